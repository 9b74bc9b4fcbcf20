package dev.taskexec.executor.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.HealthCheck;
import dev.taskexec.api.proto.ContainerSpec;

/**
 * Whether a container has a health check, and the wait in {@code start} until a container with
 * one is healthy.
 *
 * <p>Separate from {@link DockerController} because the rules for an effective check (the spec's,
 * else the image's; {@code NONE} or an empty test means none) and the wait on the container's
 * events are one concern that {@code start} only asks about.
 */
final class HealthWait {

    /** Stops the container once it is found unhealthy, before the failure is thrown. */
    interface Shutdown {
        void run() throws Exception;
    }

    private final ContainerInspector inspector;
    private final String name;

    HealthWait(ContainerInspector inspector, String name) {
        this.inspector = inspector;
        this.name = name;
    }

    /**
     * Whether a container made from {@code spec} will have a health check; null if unknown.
     *
     * @param imageHealthCheck whether the image defines one, null if unknown
     */
    static Boolean planned(ContainerSpec spec, Boolean imageHealthCheck) {
        if (spec.hasHealthcheck() && spec.getHealthcheck().getTestCount() > 0) {
            return !"NONE".equals(spec.getHealthcheck().getTest(0));
        }
        return imageHealthCheck; // an empty test inherits the image's check
    }

    static boolean hasHealthCheck(InspectContainerResponse c) {
        return effective(c.getConfig() == null ? null : c.getConfig().getHealthcheck());
    }

    static boolean effective(HealthCheck hc) {
        if (hc == null || hc.getTest() == null || hc.getTest().isEmpty()) {
            return false; // no check, or one that would stay "starting" forever
        }
        return !"NONE".equals(hc.getTest().get(0));
    }

    /**
     * Waits until the started container is healthy (returns null) or has exited (returns its
     * inspect, for the caller to report the exit). An unhealthy container is stopped with
     * {@code shutdown}, then {@link UnhealthyContainerException} is thrown.
     *
     * @param events the container's events, subscribed to before it was started
     */
    InspectContainerResponse awaitHealthy(ContainerEvents events, Shutdown shutdown)
            throws Exception {
        while (true) {
            InspectContainerResponse c = inspector.inspect("waiting for health");
            if (!Boolean.TRUE.equals(c.getState().getRunning())) {
                return c;
            }
            String health =
                    c.getState().getHealth() == null ? "" : c.getState().getHealth().getStatus();
            if ("healthy".equals(health)) {
                return null;
            }
            if ("unhealthy".equals(health)) {
                shutdown.run();
                throw new UnhealthyContainerException(
                        "container " + name + " is unhealthy" + lastHealthOutput(c));
            }
            String action = events.next();
            if ("destroy".equals(action)) {
                throw new ContainerGoneException(
                        "container " + name + " was removed while starting");
            }
            // die and health_status: re-inspect, which is the authority on the state.
        }
    }

    private static String lastHealthOutput(InspectContainerResponse c) {
        var health = c.getState().getHealth();
        if (health == null || health.getLog() == null || health.getLog().isEmpty()) {
            return "";
        }
        var last = health.getLog().get(health.getLog().size() - 1);
        String out = last.getOutput() == null ? "" : last.getOutput().strip();
        return ": last check exited "
                + last.getExitCodeLong()
                + (out.isEmpty() ? "" : " with \"" + out + "\"");
    }
}

package dev.taskexec.executor.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.taskexec.api.ExitException;
import dev.taskexec.api.proto.ContainerStatus;
import dev.taskexec.api.support.ExitMessages;

/**
 * Inspects one container by its name, and reads what an inspect says: whether it exited, its
 * status, the failure its exit code means.
 *
 * <p>Separate from {@link DockerController} because the lifecycle, the health wait and the log
 * reader all ask the engine about the container and must read its answer the same way (a 404 is
 * "no container", "exited" and "dead" are both an exit).
 */
final class ContainerInspector {

    private final Engine engine;
    private final String name;

    ContainerInspector(Engine engine, String name) {
        this.engine = engine;
        this.name = name;
    }

    /**
     * The container as the engine sees it.
     *
     * @param during what the caller is doing, for the messages
     * @throws ContainerGoneException if there is no such container
     */
    InspectContainerResponse inspect(String during) throws Exception {
        InspectContainerResponse c = inspectOrNull(during);
        if (c == null) {
            throw new ContainerGoneException(during + ": container " + name + " does not exist");
        }
        return c;
    }

    /**
     * The container as the engine sees it, or null if there is no such container.
     *
     * @param during what the caller is doing, for the messages
     */
    InspectContainerResponse inspectOrNull(String during) throws Exception {
        try {
            return engine.call(
                    during + ": inspecting container " + name,
                    () -> engine.client().inspectContainerCmd(name).exec());
        } catch (EngineException e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    static boolean isExited(InspectContainerResponse c) {
        String status = c.getState().getStatus();
        return "exited".equals(status) || "dead".equals(status);
    }

    /** Throws the {@link ExitException} of an exited container whose code is not 0. */
    static void throwIfFailed(InspectContainerResponse c) throws ExitException {
        var state = c.getState();
        long code = state.getExitCodeLong() == null ? 0 : state.getExitCodeLong();
        if (code == 0) {
            return;
        }
        StringBuilder cause = new StringBuilder();
        if (Boolean.TRUE.equals(state.getOOMKilled())) {
            Long limit = c.getHostConfig() == null ? null : c.getHostConfig().getMemory();
            cause.append("killed by the kernel's OOM killer");
            if (limit != null && limit > 0) {
                cause.append(" (memory limit ").append(limit).append(" bytes)");
            }
        }
        if (state.getError() != null && !state.getError().isEmpty()) {
            cause.append(cause.isEmpty() ? "" : ": ").append(state.getError());
        }
        throw new ExitException(
                (int) code, ExitMessages.nonZeroExit((int) code, cause.toString()), status(c));
    }

    static ContainerStatus status(InspectContainerResponse c) {
        var state = c.getState();
        return ContainerStatus.newBuilder()
                .setContainerId(c.getId())
                .setPid(state.getPidLong() == null ? 0 : state.getPidLong().intValue())
                .setExitCode(
                        state.getExitCodeLong() == null ? 0 : state.getExitCodeLong().intValue())
                .build();
    }
}

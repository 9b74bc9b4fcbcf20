package dev.taskexec.conformance.check;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.taskexec.api.ContainerStatuser;
import dev.taskexec.api.Controller;
import dev.taskexec.api.ControllerLogs;
import dev.taskexec.api.Executor;
import dev.taskexec.api.ExecutorProvider;
import dev.taskexec.api.PortStatuser;
import dev.taskexec.conformance.Capability;
import dev.taskexec.conformance.Rules;
import dev.taskexec.conformance.Workloads;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Works out which optional capabilities a backend offers when its author did not
 * declare them: the interface-based ones ({@code LOGS}, {@code CONTAINER_STATUS},
 * {@code PORT_STATUS}) by looking at a controller the executor makes for a simple
 * task; {@code GRACEFUL_STOP} is presumed (every backend with signals has it);
 * {@code UPDATE_REJECTION} is not (swarmkit's reference Docker controller accepts
 * every update).
 */
@API(status = INTERNAL, since = "0.1")
public final class CapabilityDetector {

    /** What is presumed when nothing can be looked at: the rules then fail with the real cause. */
    private static final Set<Capability> PRESUMED =
            EnumSet.of(
                    Capability.LOGS,
                    Capability.CONTAINER_STATUS,
                    Capability.PORT_STATUS,
                    Capability.GRACEFUL_STOP);

    private CapabilityDetector() {}

    /**
     * Creates an executor, asks it for a controller of a task running
     * {@code workloads.exit(0)} (without preparing it), looks at the controller's
     * interfaces, and closes both. Each call has the deadline {@code limit}.
     *
     * @return the detected capabilities; {@link #PRESUMED} if the backend cannot be asked
     */
    public static Set<Capability> detect(
            ExecutorProvider provider,
            Map<String, String> options,
            Workloads workloads,
            Duration limit) {
        Set<Capability> found = EnumSet.of(Capability.GRACEFUL_STOP);
        Executor executor = null;
        Controller controller = null;
        try {
            Executor created =
                    Calls.within(
                            Rules.LC_1,
                            "ExecutorProvider.create",
                            limit,
                            () -> provider.create(options));
            executor = created;
            Subject probe =
                    new Subject(
                            provider,
                            options,
                            workloads,
                            Set.of(),
                            dev.taskexec.conformance.ResourceProbe.none(),
                            KitSettings.fromSystemProperties());
            var task = new Env(probe, Rules.LC_1).newTask(workloads.exit(0));
            controller =
                    Calls.within(
                            Rules.LC_1,
                            "Executor.controller",
                            limit,
                            () -> created.controller(task));
            if (controller == null) {
                return EnumSet.copyOf(PRESUMED);
            }
            if (controller instanceof ControllerLogs) {
                found.add(Capability.LOGS);
            }
            if (controller instanceof ContainerStatuser) {
                found.add(Capability.CONTAINER_STATUS);
            }
            if (controller instanceof PortStatuser) {
                found.add(Capability.PORT_STATUS);
            }
            return found;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EnumSet.copyOf(PRESUMED);
        } catch (Exception | AssertionError e) {
            return EnumSet.copyOf(PRESUMED);
        } finally {
            close(controller, executor, limit);
        }
    }

    private static void close(Controller controller, Executor executor, Duration limit) {
        try {
            if (controller != null) {
                Controller c = controller;
                Calls.outcome(Rules.LC_1, "Controller.remove", limit, c::remove);
                Calls.outcome(Rules.LC_1, "Controller.close", limit, c::close);
            }
            if (executor != null) {
                Executor e = executor;
                Calls.outcome(Rules.LC_1, "Executor.close", limit, e::close);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | AssertionError ignored) {
            // Detection is best effort.
        }
    }
}

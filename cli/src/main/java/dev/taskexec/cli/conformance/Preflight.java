package dev.taskexec.cli.conformance;

import dev.taskexec.api.Controller;
import dev.taskexec.api.Executor;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.cli.Backends;
import dev.taskexec.cli.BoundedCall;
import dev.taskexec.cli.CommandException;
import dev.taskexec.cli.ExitCodes;
import dev.taskexec.conformance.Workloads;
import dev.taskexec.core.ExecutorRegistry;
import java.time.Duration;
import java.util.Map;

/**
 * Checks, before a conformance run, the mistakes that would otherwise fail every rule with the
 * same message: a bad {@code -o}, a runtime that cannot be reached ({@code describe()} fails or
 * does not answer), and workloads the backend refuses outright (a container backend given no
 * image). Each becomes one clear line instead of forty failed rules.
 */
final class Preflight {

    private Preflight() {}

    /** How long the backend may take to describe itself and to make a controller. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /**
     * @throws CommandException (exit 1) naming what is wrong
     * @throws InterruptedException if interrupted while waiting for the backend
     */
    static void check(
            ExecutorRegistry registry,
            String name,
            Map<String, String> options,
            Workloads workloads,
            String refusalHint)
            throws InterruptedException {
        try (Executor executor = Backends.open(registry, name, options, ExitCodes.FAILURE)) {
            String describeFailure = BoundedCall.failure(executor::describe, TIMEOUT).orElse(null);
            if (describeFailure != null) {
                throw new CommandException(
                        ExitCodes.FAILURE,
                        "executor '"
                                + name
                                + "' cannot run here: "
                                + describeFailure
                                + "; nothing was certified (see 'taskexec executors')");
            }
            Task task =
                    Task.newBuilder()
                            .setId("taskexec-conformance-preflight")
                            .setSpec(workloads.exit(0))
                            .setDesiredState(TaskState.RUNNING)
                            .build();
            String refusal =
                    BoundedCall.failure(
                                    () -> {
                                        Controller controller = executor.controller(task);
                                        if (controller != null) {
                                            controller.close(); // never prepared: nothing to remove
                                        }
                                        return null;
                                    },
                                    TIMEOUT)
                            .orElse(null);
            if (refusal != null) {
                throw new CommandException(
                        ExitCodes.FAILURE,
                        "executor '"
                                + name
                                + "' refuses the kit's workloads ("
                                + workloads
                                + "): "
                                + refusal
                                + refusalHint);
            }
        }
    }
}

package dev.taskexec.conformance.check;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.taskexec.api.proto.TaskSpec;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.conformance.Fault;
import dev.taskexec.conformance.Workloads;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A generated scenario: a workload, perhaps a fault injected into it, the desired
 * state the task is assigned with, and the actions applied to the task after it
 * was resolved.
 *
 * @param workload the workload the task runs
 * @param fault    the injected fault, if any
 * @param desired  the desired state the task starts with
 * @param actions  what happens to the task, in order
 */
@API(status = INTERNAL, since = "0.1")
public record Scenario(
        Workload workload, Optional<Fault> fault, TaskState desired, List<Action> actions) {

    /**
     * Copies {@code actions}.
     *
     * @throws NullPointerException if {@code actions} or one of its elements is null
     */
    public Scenario {
        actions = List.copyOf(actions);
    }

    /** The spec of this scenario's workload, with its fault injected. */
    public TaskSpec spec(Workloads workloads) {
        TaskSpec spec = workload.spec(workloads);
        if (fault.isEmpty()) {
            return spec;
        }
        return workloads
                .withFault(spec, fault.get())
                .orElseThrow(
                        () ->
                                new IllegalStateException(
                                        workloads + " cannot inject " + fault.get()));
    }

    @Override
    public String toString() {
        return workload
                + fault.map(f -> " with " + f).orElse("")
                + ", desired "
                + desired
                + ", then "
                + actions;
    }

    /** The workloads a scenario can run; each knows the exit it must end with. */
    public enum Workload {
        EXIT_0(0),
        EXIT_3(3),
        EXIT_AFTER_1S_0(0),
        EXIT_AFTER_1S_5(5),
        RUN_UNTIL_STOPPED(-1);

        private final int exitCode;

        Workload(int exitCode) {
            this.exitCode = exitCode;
        }

        /** The code the workload exits with on its own, or -1 if it never exits on its own. */
        public int exitCode() {
            return exitCode;
        }

        /** The spec for this workload. */
        public TaskSpec spec(Workloads workloads) {
            return switch (this) {
                case EXIT_0 -> workloads.exit(0);
                case EXIT_3 -> workloads.exit(3);
                case EXIT_AFTER_1S_0 -> workloads.exitAfter(Duration.ofSeconds(1), 0);
                case EXIT_AFTER_1S_5 -> workloads.exitAfter(Duration.ofSeconds(1), 5);
                case RUN_UNTIL_STOPPED -> workloads.runUntilStopped(Duration.ofSeconds(1));
            };
        }

        @Override
        public String toString() {
            return switch (this) {
                case EXIT_0 -> "exit(0)";
                case EXIT_3 -> "exit(3)";
                case EXIT_AFTER_1S_0 -> "exitAfter(1s, 0)";
                case EXIT_AFTER_1S_5 -> "exitAfter(1s, 5)";
                case RUN_UNTIL_STOPPED -> "runUntilStopped";
            };
        }
    }
}

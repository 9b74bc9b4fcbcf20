package dev.taskexec.conformance.check;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.taskexec.api.proto.TaskState;
import org.apiguardian.api.API;

/**
 * One thing an orchestrator or agent does to a task in a generated scenario
 * (LC-8, RS-5). The {@code toString} of each is what a shrunk failing scenario
 * prints, so it is short and reads like a script.
 */
@API(status = INTERNAL, since = "0.1")
public sealed interface Action {

    /** One {@code Lifecycle.step}; if a step is already in flight, waits a little for it instead. */
    record StepOnce() implements Action {
        @Override
        public String toString() {
            return "step";
        }
    }

    /** Steps until the lifecycle reports NOOP or a step blocks (in {@code await}). */
    record RunUntilIdle() implements Action {
        @Override
        public String toString() {
            return "run";
        }
    }

    /** Raises the desired state, interrupting the in-flight step as the agent does on an update. */
    record Raise(TaskState desired) implements Action {
        @Override
        public String toString() {
            return "raise(" + desired + ")";
        }
    }

    /** Interrupts the in-flight step, if there is one. */
    record Interrupt() implements Action {
        @Override
        public String toString() {
            return "interrupt";
        }
    }

    /** Interrupts the in-flight step and calls {@code Controller.update} with an equal task. */
    record Update() implements Action {
        @Override
        public String toString() {
            return "update";
        }
    }
}

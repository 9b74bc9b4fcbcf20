package dev.taskexec.core;

import static org.apiguardian.api.API.Status.STABLE;

import dev.taskexec.api.proto.TaskStatus;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The result of one {@link Lifecycle#step lifecycle step}: the status to report and put back on
 * the task, and what the caller should do next.
 *
 * <p>The status is always the one to report, whatever the outcome: a {@link Outcome#RETRY} still
 * carries the failure's message in {@code err} (for temporary failures), and a
 * {@link Outcome#NOOP} may carry refreshed container or port status. When nothing changed, the
 * status is the task's own {@code TaskStatus} instance.
 *
 * @param status the new status of the task; never null
 * @param outcome what the step achieved; never null
 */
@API(status = STABLE, since = "0.1")
public record Step(TaskStatus status, Outcome outcome) {

    /**
     * What a step achieved, and so what the caller does next. These are swarmkit's three results
     * of {@code Do}: {@code nil}, {@code ErrTaskNoop} and {@code ErrTaskRetry}.
     */
    public enum Outcome {
        /**
         * The task moved (to a later state, or to a terminal REJECTED / FAILED); step again with
         * the new status placed on the task.
         */
        PROGRESSED,
        /**
         * Nothing more can happen until the task changes (a new desired state, or an update);
         * stepping again with the same task does nothing.
         */
        NOOP,
        /**
         * The operation failed temporarily, or was interrupted or timed out; stepping again
         * retries it. Callers should back off before retrying.
         */
        RETRY
    }

    /**
     * @throws NullPointerException if {@code status} or {@code outcome} is null
     */
    public Step {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(outcome, "outcome");
    }
}

package dev.taskexec.executor.fake;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One call made on a {@link FakeController}, as seen by its caller (after any
 * {@link Interceptor}): a snapshot taken when {@link FakeController#calls()} was read, so a call
 * still blocked shows as {@link Outcome#IN_PROGRESS}.
 *
 * @param sequence where the call started in the executor-wide order of all calls on all its
 *     controllers (strictly increasing in start order)
 * @param controllerId the {@linkplain FakeController#id() controller} it was made on
 * @param call which call
 * @param thread the calling thread's name, or {@code #id} for an unnamed (virtual) thread
 * @param startedAt when it started, on the executor's {@link java.time.Clock}
 * @param outcome how it ended, or that it has not yet
 * @param elapsed how long it took, in real time (even with a {@link ManualClock}); null while in
 *     progress
 * @param failure what it threw; null unless {@link Outcome#FAILED}
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record CallRecord(
        long sequence,
        long controllerId,
        Call call,
        String thread,
        Instant startedAt,
        Outcome outcome,
        Duration elapsed,
        Throwable failure) {

    /** How a call ended. */
    public enum Outcome {
        /** It has not returned yet. */
        IN_PROGRESS,
        /** It returned normally. */
        SUCCEEDED,
        /** It threw {@link #failure()}. */
        FAILED
    }

    /** Checks that the fields agree with the outcome. */
    public CallRecord {
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(thread, "thread");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(outcome, "outcome");
        if ((outcome == Outcome.FAILED) != (failure != null)) {
            throw new IllegalArgumentException("a failure goes with, and only with, FAILED");
        }
        if ((outcome == Outcome.IN_PROGRESS) != (elapsed == null)) {
            throw new IllegalArgumentException("elapsed is null exactly while IN_PROGRESS");
        }
    }

    /** Whether the call returned normally. */
    public boolean succeeded() {
        return outcome == Outcome.SUCCEEDED;
    }

    /** A line such as {@code #7 c2 start on main: FAILED after 3ms: ScriptedFailureException: boom}. */
    @Override
    public String toString() {
        StringBuilder s =
                new StringBuilder()
                        .append('#')
                        .append(sequence)
                        .append(" c")
                        .append(controllerId)
                        .append(' ')
                        .append(call.word())
                        .append(" on ")
                        .append(thread)
                        .append(": ")
                        .append(outcome);
        if (elapsed != null) {
            s.append(" after ").append(elapsed.toMillis()).append("ms");
        }
        if (failure != null) {
            s.append(": ").append(failure.getClass().getSimpleName());
            if (failure.getMessage() != null) {
                s.append(": ").append(failure.getMessage());
            }
        }
        return s.toString();
    }
}

package dev.taskexec.conformance;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The outcome of one rule in a {@link ConformanceReport}.
 *
 * @param rule     the rule
 * @param outcome  passed, failed or skipped
 * @param message  why it failed or was skipped (starting with the rule id); empty when it passed
 * @param duration how long its check ran
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record RuleResult(Rule rule, Outcome outcome, String message, Duration duration) {

    /** What happened to a rule. */
    public enum Outcome {
        /** The backend obeys the rule. */
        PASSED,
        /** The backend broke the rule, or the kit could not check it because a hook or call failed. */
        FAILED,
        /** The rule does not apply: a capability or a resource probe the backend does not declare. */
        SKIPPED
    }

    /**
     * A null {@code message} becomes empty.
     *
     * @throws NullPointerException if {@code rule}, {@code outcome} or {@code duration} is null
     */
    public RuleResult {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(outcome, "outcome");
        message = message == null ? "" : message;
        Objects.requireNonNull(duration, "duration");
    }
}

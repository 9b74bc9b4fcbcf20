package dev.taskexec.conformance.check;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.taskexec.conformance.Rule;
import org.apiguardian.api.API;

/**
 * A backend broke a rule. Its message always starts with the rule id, so a test
 * report or the {@code ConformanceRunner} report points at {@code RULES.md}.
 */
@API(status = INTERNAL, since = "0.1")
public final class RuleViolation extends AssertionError {

    private static final long serialVersionUID = 1L;

    private final transient Rule rule;

    /**
     * @param rule    the rule broken; its id prefixes the message
     * @param message what the backend did wrong
     * @throws NullPointerException if {@code rule} is null
     */
    public RuleViolation(Rule rule, String message) {
        super(rule.id() + ": " + message);
        this.rule = rule;
    }

    /**
     * @param rule    the rule broken; its id prefixes the message
     * @param message what the backend did wrong
     * @param cause   what the backend threw, or null
     * @throws NullPointerException if {@code rule} is null
     */
    public RuleViolation(Rule rule, String message, Throwable cause) {
        super(rule.id() + ": " + message, cause);
        this.rule = rule;
    }

    /** The rule that was broken. */
    public Rule rule() {
        return rule;
    }
}

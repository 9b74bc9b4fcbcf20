package dev.taskexec.conformance.check;

import dev.taskexec.conformance.Rule;

/**
 * A backend broke a rule. Its message always starts with the rule id, so a test
 * report or the {@code ConformanceRunner} report points at {@code RULES.md}.
 */
public final class RuleViolation extends AssertionError {

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

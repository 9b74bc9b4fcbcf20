package dev.taskexec.conformance.check;

import dev.taskexec.conformance.Rule;

/**
 * A rule and the check that verifies it.
 *
 * @param rule  the rule
 * @param check what the kit does to verify it
 */
public record RuleCheck(Rule rule, Check check) {
}

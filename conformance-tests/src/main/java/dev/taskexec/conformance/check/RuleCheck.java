package dev.taskexec.conformance.check;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.taskexec.conformance.Rule;
import org.apiguardian.api.API;

/**
 * A rule and the check that verifies it.
 *
 * @param rule  the rule
 * @param check what the kit does to verify it
 */
@API(status = INTERNAL, since = "0.1")
public record RuleCheck(Rule rule, Check check) {}

package dev.taskexec.cli.conformance;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.conformance.ConformanceReport;
import dev.taskexec.conformance.Rule;
import dev.taskexec.conformance.RuleResult;
import dev.taskexec.conformance.Rules;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {

    private static final Rule REQUIRED =
            Rules.all().stream().filter(Rule::required).findFirst().orElseThrow();
    private static final Rule OPTIONAL =
            Rules.all().stream().filter(r -> r.capability().isPresent()).findFirst().orElseThrow();

    @Test
    void aFailedRequiredRuleFailsTheRun() {
        ConformanceReport report =
                report(
                        result(REQUIRED, RuleResult.Outcome.FAILED),
                        result(OPTIONAL, RuleResult.Outcome.PASSED));

        assertFalse(ConformanceCommand.Summary.certified(report));
        assertTrue(report.toJson().contains("\"conforms\": false"), report.toJson());
    }

    /** An optional rule runs only for a capability declared or detected, so its failure counts like any other. */
    @Test
    void aFailedOptionalRuleFailsTheRunAsTheReportSays() {
        ConformanceReport report =
                report(
                        result(REQUIRED, RuleResult.Outcome.PASSED),
                        result(OPTIONAL, RuleResult.Outcome.FAILED));

        assertFalse(ConformanceCommand.Summary.certified(report));
        assertTrue(report.toJson().contains("\"conforms\": false"), report.toJson());
        assertTrue(print(report).contains("FAILED      " + OPTIONAL.id()), print(report));
    }

    @Test
    void skippedRulesDoNotFailTheRun() {
        ConformanceReport report = report(result(REQUIRED, RuleResult.Outcome.SKIPPED));

        assertTrue(ConformanceCommand.Summary.certified(report));
        assertTrue(report.toJson().contains("\"conforms\": true"), report.toJson());
    }

    private static String print(ConformanceReport report) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConformanceCommand.Summary.print(
                new PrintStream(bytes, true, StandardCharsets.UTF_8), report);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static RuleResult result(Rule rule, RuleResult.Outcome outcome) {
        return new RuleResult(
                rule,
                outcome,
                outcome == RuleResult.Outcome.PASSED ? "" : rule.id() + ": because",
                Duration.ZERO);
    }

    private static ConformanceReport report(RuleResult... results) {
        return new ConformanceReport(
                "test", "workloads", Instant.EPOCH, Duration.ZERO, List.of(results));
    }
}

package dev.taskexec.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConformanceReportTest {

    private final ConformanceReport report =
            new ConformanceReport(
                    "demo",
                    "Workloads.fake()",
                    Instant.parse("2026-11-29T15:00:00Z"),
                    Duration.ofMillis(1234),
                    List.of(
                            new RuleResult(
                                    Rules.LC_2,
                                    RuleResult.Outcome.PASSED,
                                    "",
                                    Duration.ofMillis(10)),
                            new RuleResult(
                                    Rules.EX_2,
                                    RuleResult.Outcome.FAILED,
                                    "EX-2: exit code \"3\" lost\n\tsee RULES.md \\ EX-2",
                                    Duration.ofMillis(20)),
                            new RuleResult(
                                    Rules.LG_1,
                                    RuleResult.Outcome.SKIPPED,
                                    "LG-1: skipped, no LOGS",
                                    Duration.ZERO)));

    @Test
    void aReportWithAFailureDoesNotConform() {
        assertFalse(report.conforms());
        assertEquals(List.of("EX-2"), report.failed().stream().map(r -> r.rule().id()).toList());
        assertEquals(1, report.passed().size());
        assertEquals(1, report.skipped().size());
    }

    @Test
    void skippedRulesDoNotCountAgainstConformance() {
        ConformanceReport skippedOnly =
                new ConformanceReport(
                        "demo",
                        "w",
                        Instant.EPOCH,
                        Duration.ZERO,
                        List.of(
                                new RuleResult(
                                        Rules.LG_1,
                                        RuleResult.Outcome.SKIPPED,
                                        "LG-1: skipped",
                                        Duration.ZERO)));
        assertTrue(skippedOnly.conforms());
    }

    @Test
    void textHasALinePerRuleAndTheReasons() {
        String text = report.toText();
        assertTrue(text.contains("PASS LC-2 "), text);
        assertTrue(text.contains("FAIL EX-2 "), text);
        assertTrue(text.contains("       EX-2: exit code \"3\" lost"), text);
        assertTrue(text.contains("SKIP LG-1 "), text);
        assertTrue(text.contains("1 passed, 1 failed, 1 skipped in 1.2 s: DOES NOT CONFORM"), text);
    }

    @Test
    void jsonEscapesAndStructure() {
        String expected =
                """
                {
                  "provider": "demo",
                  "workloads": "Workloads.fake()",
                  "started": "2026-11-29T15:00:00Z",
                  "durationMillis": 1234,
                  "conforms": false,
                  "passed": 1,
                  "failed": 1,
                  "skipped": 1,
                  "results": [
                    {"id": "LC-2", "title": "%s", "required": true, "capability": null, "outcome": "PASSED", \
                "message": "", "durationMillis": 10},
                    {"id": "EX-2", "title": "%s", "required": true, "capability": null, "outcome": "FAILED", \
                "message": "EX-2: exit code \\"3\\" lost\\n\\tsee RULES.md \\\\ EX-2", "durationMillis": 20},
                    {"id": "LG-1", "title": "%s", "required": false, "capability": "LOGS", "outcome": "SKIPPED", \
                "message": "LG-1: skipped, no LOGS", "durationMillis": 0}
                  ]
                }
                """
                        .formatted(Rules.LC_2.title(), Rules.EX_2.title(), Rules.LG_1.title());
        assertEquals(expected, report.toJson());
    }

    @Test
    void controlCharactersAreEscapedAsUnicode() {
        assertEquals("\"a\\u0001b\"", ConformanceReport.quote("a\u0001b"));
    }
}

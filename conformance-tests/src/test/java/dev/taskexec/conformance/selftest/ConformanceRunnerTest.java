package dev.taskexec.conformance.selftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.conformance.Capability;
import dev.taskexec.conformance.ConformanceReport;
import dev.taskexec.conformance.ConformanceRunner;
import dev.taskexec.conformance.Rule;
import dev.taskexec.conformance.RuleResult;
import dev.taskexec.conformance.Rules;
import dev.taskexec.conformance.Workloads;
import dev.taskexec.conformance.check.CapabilityDetector;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@link ConformanceRunner} runs the same kit without JUnit wiring and reports per rule. */
class ConformanceRunnerTest {

    @Test
    void theFakePassesEveryRuleItsWorkloadsCanExpressAndProgressIsReportedPerRule() {
        FakeBackend backend = FakeBackend.healthy();
        List<String> progress = new CopyOnWriteArrayList<>();
        ConformanceReport report =
                ConformanceRunner.forProvider(backend)
                        .workloads(Workloads.fake())
                        .capabilities(EnumSet.allOf(Capability.class))
                        .resources(backend.probe())
                        .examples(5)
                        .onRule(result -> progress.add(result.rule().id()))
                        .run();

        assertTrue(report.conforms(), report.toText());
        // The fake has no environment, directories, signals or processes: those rules are skipped,
        // saying why.
        assertEquals(
                List.of("LC-11", "LC-12", "LC-13", "EX-6", "EX-7", "RS-6"),
                report.skipped().stream().map(r -> r.rule().id()).toList(),
                report.toText());
        assertTrue(
                report.skipped().stream()
                        .allMatch(r -> r.message().contains("Workloads.fake() gives no")),
                report.toText());
        assertEquals(Rules.all().size() - 6, report.passed().size(), report.toText());
        assertEquals(
                Rules.all().stream().map(Rule::id).toList(),
                report.results().stream().map(r -> r.rule().id()).toList());
        assertEquals(Rules.all().size(), progress.size());
        assertTrue(report.toJson().contains("\"conforms\": true"));
    }

    @Test
    void rulesWithoutTheirCapabilityOrProbeAreSkippedNotFailed() {
        ConformanceReport report =
                ConformanceRunner.forProvider(FakeBackend.healthy())
                        .workloads(Workloads.fake())
                        .capabilities(Set.of())
                        .rules("LC-2", "LG-1", "EX-4", "RS-1")
                        .run();

        assertTrue(report.conforms(), report.toText());
        assertEquals(RuleResult.Outcome.PASSED, report.result("LC-2").orElseThrow().outcome());
        for (String id : List.of("LG-1", "EX-4", "RS-1")) {
            RuleResult result = report.result(id).orElseThrow();
            assertEquals(RuleResult.Outcome.SKIPPED, result.outcome(), report.toText());
            assertTrue(result.message().startsWith(id + ": skipped"), result.message());
        }
        assertEquals(4, report.results().size());
    }

    @Test
    void undeclaredCapabilitiesAreDetectedFromTheControllersInterfaces() {
        FakeBackend plain = FakeBackend.withPlainControllers();
        assertEquals(
                Set.of(Capability.GRACEFUL_STOP),
                CapabilityDetector.detect(
                        plain, Map.of(), Workloads.fake(), Duration.ofSeconds(5)));
        assertEquals(
                Set.of(
                        Capability.LOGS,
                        Capability.CONTAINER_STATUS,
                        Capability.PORT_STATUS,
                        Capability.GRACEFUL_STOP),
                CapabilityDetector.detect(
                        FakeBackend.healthy(), Map.of(), Workloads.fake(), Duration.ofSeconds(5)));

        ConformanceReport report =
                ConformanceRunner.forProvider(plain)
                        .workloads(Workloads.fake())
                        .rules("LG-1", "EX-4", "ID-8", "EX-2")
                        .run();
        assertTrue(report.conforms(), report.toText());
        assertEquals(
                List.of("ID-8", "EX-4", "LG-1"),
                report.skipped().stream().map(r -> r.rule().id()).toList());
        assertTrue(plain.leaks().isEmpty(), "detection leaked: " + plain.leaks());
    }

    @Test
    void aProviderThatCannotCreateExecutorsFailsEveryRuleWithItsReason() {
        ConformanceReport report =
                ConformanceRunner.forProvider(new BrokenProvider())
                        .workloads(Workloads.fake())
                        .rules("LC-1", "LC-2")
                        .run();

        for (RuleResult result : report.results()) {
            assertEquals(RuleResult.Outcome.FAILED, result.outcome(), report.toText());
            assertTrue(result.message().startsWith(result.rule().id() + ": "), result.message());
            assertTrue(result.message().contains("daemon unreachable"), result.message());
        }
    }

    /** A provider whose runtime is missing. */
    private static final class BrokenProvider implements dev.taskexec.api.ExecutorProvider {
        @Override
        public String name() {
            return "broken";
        }

        @Override
        public String description() {
            return "always fails";
        }

        @Override
        public dev.taskexec.api.Executor create(java.util.Map<String, String> options) {
            throw new IllegalStateException("daemon unreachable");
        }
    }
}

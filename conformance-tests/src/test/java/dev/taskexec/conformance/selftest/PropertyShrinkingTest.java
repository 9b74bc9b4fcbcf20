package dev.taskexec.conformance.selftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.ExitException;
import dev.taskexec.conformance.ConformanceReport;
import dev.taskexec.conformance.ConformanceRunner;
import dev.taskexec.conformance.RuleResult;
import dev.taskexec.conformance.Workloads;
import dev.taskexec.executor.fake.Call;
import org.junit.jupiter.api.Test;

/**
 * The property rules find a bug the example tests are written for too, and report
 * the smallest scenario that shows it, readably. The seed is fixed so the run is
 * repeatable.
 */
class PropertyShrinkingTest {

    /** The rules this test's broken backend is failed by, for {@link RuleCoverageTest}. */
    static final java.util.Set<String> FAILS = java.util.Set.of("LC-8");

    @Test
    void aLostExitCodeIsShrunkToTheSmallestScenario() {
        FakeBackend backend =
                FakeBackend.broken(
                        "exit-code-lost",
                        inv -> {
                            try {
                                inv.proceed();
                            } catch (ExitException e) {
                                if (inv.call() != Call.AWAIT) {
                                    throw e;
                                }
                            }
                        });
        ConformanceReport report =
                ConformanceRunner.forProvider(backend)
                        .workloads(Workloads.fake())
                        .rules("LC-8")
                        .examples(40)
                        .seed(42)
                        .run();

        RuleResult result = report.result("LC-8").orElseThrow();
        assertEquals(RuleResult.Outcome.FAILED, result.outcome(), report.toText());
        assertTrue(
                result.message().startsWith("LC-8: property falsified (seed 42;"),
                result.message());
        assertTrue(
                result.message()
                        .contains(
                                "the smallest failing scenario found: exit(3), desired RUNNING, then []"),
                result.message());
        assertTrue(
                result.message().contains("the task ended COMPLETE but its workload exits with 3"),
                result.message());
    }
}

package dev.taskexec.conformance.selftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.ExitException;
import dev.taskexec.conformance.Capability;
import dev.taskexec.conformance.ConformanceReport;
import dev.taskexec.conformance.ConformanceRunner;
import dev.taskexec.conformance.RuleResult;
import dev.taskexec.conformance.Workloads;
import dev.taskexec.executor.fake.Call;
import dev.taskexec.executor.fake.Interceptor;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each RC rule can fail: fakes broken the ways backends get recovery wrong are failed by the rule
 * written for it, with the rule's id first, while the healthy fake passes them all.
 */
class RecoveryBugsTest {

    /** await on a controller that did not start the task itself reports success whatever the exit. */
    private static final Interceptor EXIT_LOST_AFTER_RESTART =
            inv -> {
                try {
                    inv.proceed();
                } catch (ExitException e) {
                    if (inv.call() == Call.AWAIT
                            && !inv.controller().callSequence().contains(Call.START)) {
                        return;
                    }
                    throw e;
                }
            };

    /** logs of a controller that did not start the task itself publish nothing (kept in the dead agent's memory). */
    private static final Interceptor LOGS_LOST_AFTER_RESTART =
            inv -> {
                if (inv.call() == Call.LOGS
                        && !inv.controller().callSequence().contains(Call.START)) {
                    return;
                }
                inv.proceed();
            };

    private static final String[] ALL = {"RC-1", "RC-2", "RC-3", "RC-4", "RC-5", "RC-6"};

    static Stream<Arguments> bugs() {
        return Stream.of(
                Arguments.of("amnesiac", FakeBackend.amnesiac(), List.of(ALL)),
                Arguments.of(
                        "exit-lost-after-restart",
                        FakeBackend.brokenAcrossRestarts(
                                "exit-lost-after-restart", EXIT_LOST_AFTER_RESTART),
                        List.of("RC-3")),
                Arguments.of(
                        "logs-lost-after-restart",
                        FakeBackend.brokenAcrossRestarts(
                                "logs-lost-after-restart", LOGS_LOST_AFTER_RESTART),
                        List.of("RC-4")),
                Arguments.of("no-reaper", FakeBackend.withoutReaper(), List.of("RC-6")));
    }

    @ParameterizedTest(name = "{0} fails {2}")
    @MethodSource("bugs")
    void theKitFailsTheRecoveryRuleWrittenForTheBug(
            String name, FakeBackend backend, List<String> failing) {
        ConformanceReport report = run(backend);
        for (RuleResult result : report.results()) {
            String id = result.rule().id();
            if (failing.contains(id)) {
                assertEquals(RuleResult.Outcome.FAILED, result.outcome(), report.toText());
                assertTrue(result.message().startsWith(id + ": "), result.message());
            } else {
                assertEquals(RuleResult.Outcome.PASSED, result.outcome(), report.toText());
            }
        }
    }

    @org.junit.jupiter.api.Test
    void theHealthyFakePassesEveryRecoveryRule() {
        ConformanceReport report = run(FakeBackend.healthy());
        assertTrue(report.conforms(), report.toText());
        assertEquals(ALL.length, report.passed().size(), report.toText());
    }

    private static ConformanceReport run(FakeBackend backend) {
        return ConformanceRunner.forProvider(backend)
                .workloads(Workloads.fake())
                .capabilities(EnumSet.allOf(Capability.class))
                .resources(backend.probe())
                .rules(ALL)
                .run();
    }
}

package dev.taskexec.conformance.selftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.ExitException;
import dev.taskexec.api.TaskAlreadyStartedException;
import dev.taskexec.conformance.ConformanceReport;
import dev.taskexec.conformance.ConformanceRunner;
import dev.taskexec.conformance.RuleResult;
import dev.taskexec.conformance.Workloads;
import dev.taskexec.executor.fake.Call;
import dev.taskexec.executor.fake.Interceptor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kit catches the bugs users of executors get burned by: each deliberately
 * broken backend, built on the fake by one interceptor, is failed with the rule
 * written for that bug, and the failure message starts with the rule's id.
 */
class BrokenBackendsTest {

    /** A second start is refused with the wrong exception, as if the backend tried to start again. */
    private static final Interceptor START_NOT_IDEMPOTENT = inv -> {
        try {
            inv.proceed();
        } catch (TaskAlreadyStartedException e) {
            if (inv.call() == Call.START) {
                throw new IllegalStateException("container is already running");
            }
            throw e;
        }
    };

    /** await returns normally whatever the exit code. */
    private static final Interceptor EXIT_CODE_LOST = inv -> {
        try {
            inv.proceed();
        } catch (ExitException e) {
            if (inv.call() != Call.AWAIT) {
                throw e;
            }
        }
    };

    /** remove claims success and frees nothing. */
    private static final Interceptor REMOVE_LEAKS = inv -> {
        if (inv.call() != Call.REMOVE) {
            inv.proceed();
        }
    };

    /** await swallows interruptions and goes back to waiting. */
    private static final Interceptor AWAIT_IGNORES_INTERRUPTION = inv -> {
        if (inv.call() != Call.AWAIT) {
            inv.proceed();
            return;
        }
        while (true) {
            try {
                inv.proceed();
                return;
            } catch (InterruptedException swallowed) {
                // The bug: keep waiting.
            }
        }
    };

    /** shutdown kills at once instead of signalling and waiting the grace period. */
    private static final Interceptor SHUTDOWN_IGNORES_GRACE = inv -> {
        if (inv.call() == Call.SHUTDOWN) {
            inv.controller().terminate();
            return;
        }
        inv.proceed();
    };

    /** shutdown ignores the task's grace period and waits Docker's default 10 s before killing. */
    private static final Interceptor SHUTDOWN_USES_DEFAULT_GRACE = inv -> {
        if (inv.call() == Call.SHUTDOWN) {
            // the bug being simulated (a hard-coded 10 s grace period), not test synchronisation
            TimeUnit.SECONDS.sleep(10);
            inv.controller().terminate();
            return;
        }
        inv.proceed();
    };

    static Stream<Arguments> bugs() {
        return Stream.of(
                Arguments.of("start-not-idempotent", START_NOT_IDEMPOTENT, "ID-2", new String[] {"ID-2", "LC-2"}),
                Arguments.of("exit-code-lost", EXIT_CODE_LOST, "EX-2", new String[] {"EX-1", "EX-2"}),
                Arguments.of("remove-leaks", REMOVE_LEAKS, "RS-1", new String[] {"RS-1", "ID-5"}),
                Arguments.of("await-ignores-interruption", AWAIT_IGNORES_INTERRUPTION, "CX-1",
                        new String[] {"CX-1", "LC-2"}),
                Arguments.of("shutdown-ignores-grace", SHUTDOWN_IGNORES_GRACE, "LC-10",
                        new String[] {"LC-10", "LC-4"}),
                Arguments.of("shutdown-uses-default-grace", SHUTDOWN_USES_DEFAULT_GRACE, "LC-10",
                        new String[] {"LC-10", "LC-2"}));
    }

    @ParameterizedTest(name = "{0} fails {2}")
    @MethodSource("bugs")
    void theKitFailsTheRuleWrittenForTheBug(String name, Interceptor bug, String rule, String[] rules) {
        FakeBackend backend = FakeBackend.broken(name, bug);
        ConformanceReport report = ConformanceRunner.forProvider(backend)
                .workloads(Workloads.fake())
                .resources(backend.probe())
                .rules(rules)
                .run();

        RuleResult result = report.result(rule).orElseThrow();
        assertEquals(RuleResult.Outcome.FAILED, result.outcome(), report.toText());
        assertTrue(result.message().startsWith(rule + ": "), result.message());
        assertFalse(report.conforms());
        // The other rule run alongside is unaffected by this bug: the kit pins the failure down.
        for (RuleResult other : report.results()) {
            if (!other.rule().id().equals(rule)) {
                assertEquals(RuleResult.Outcome.PASSED, other.outcome(), report.toText());
            }
        }
    }
}

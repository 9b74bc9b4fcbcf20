package dev.taskexec.conformance.selftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.ExitException;
import dev.taskexec.api.TaskAlreadyStartedException;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import dev.taskexec.conformance.ConformanceReport;
import dev.taskexec.conformance.ConformanceRunner;
import dev.taskexec.conformance.RuleResult;
import dev.taskexec.conformance.Workloads;
import dev.taskexec.executor.fake.Call;
import dev.taskexec.executor.fake.Interceptor;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kit catches the bugs users of executors get burned by: each deliberately
 * broken backend, built on the fake by one interceptor or controller wrapper, is failed with the rule
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

    /** logs drops {@code since}, as a backend that never passes it on to its log store. */
    private static final UnaryOperator<LogSubscriptionOptions> SINCE_IGNORED =
            options -> options.toBuilder().clearSince().build();

    /** A positive tail is dropped (treated as 0, all messages), as a backend that only handles Docker's negative one. */
    private static final UnaryOperator<LogSubscriptionOptions> POSITIVE_TAIL_IGNORED =
            options -> options.getTail() > 0 ? options.toBuilder().clearTail().build() : options;

    /** tail -1 is read as Docker's "all" instead of swarmkit's "none of the existing messages". */
    private static final UnaryOperator<LogSubscriptionOptions> TAIL_MINUS_ONE_AS_ALL =
            options -> options.getTail() == -1 ? options.toBuilder().clearTail().build() : options;

    static Stream<Arguments> bugs() {
        return Stream.of(
                Arguments.of("start-not-idempotent", broken("start-not-idempotent", START_NOT_IDEMPOTENT), "ID-2",
                        new String[] {"ID-2", "LC-2"}),
                Arguments.of("exit-code-lost", broken("exit-code-lost", EXIT_CODE_LOST), "EX-2",
                        new String[] {"EX-1", "EX-2"}),
                Arguments.of("remove-leaks", broken("remove-leaks", REMOVE_LEAKS), "RS-1",
                        new String[] {"RS-1", "ID-5"}),
                Arguments.of("await-ignores-interruption",
                        broken("await-ignores-interruption", AWAIT_IGNORES_INTERRUPTION), "CX-1",
                        new String[] {"CX-1", "LC-2"}),
                Arguments.of("shutdown-ignores-grace", broken("shutdown-ignores-grace", SHUTDOWN_IGNORES_GRACE),
                        "LC-10", new String[] {"LC-10", "LC-4"}),
                Arguments.of("shutdown-uses-default-grace",
                        broken("shutdown-uses-default-grace", SHUTDOWN_USES_DEFAULT_GRACE), "LC-10",
                        new String[] {"LC-10", "LC-2"}),
                Arguments.of("logs-ignore-since", logsRewrite("logs-ignore-since", SINCE_IGNORED), "LG-8",
                        new String[] {"LG-8", "LG-1"}),
                Arguments.of("logs-ignore-positive-tail",
                        logsRewrite("logs-ignore-positive-tail", POSITIVE_TAIL_IGNORED), "LG-9",
                        new String[] {"LG-9", "LG-5"}),
                Arguments.of("logs-tail-minus-one-as-all",
                        logsRewrite("logs-tail-minus-one-as-all", TAIL_MINUS_ONE_AS_ALL), "LG-10",
                        new String[] {"LG-10", "LG-6"}));
    }

    private static FakeBackend broken(String name, Interceptor bug) {
        return FakeBackend.broken(name, bug);
    }

    private static FakeBackend logsRewrite(String name, UnaryOperator<LogSubscriptionOptions> bug) {
        return FakeBackend.brokenBy(name, controller -> new RewritesLogOptions(controller, bug));
    }

    @ParameterizedTest(name = "{0} fails {2}")
    @MethodSource("bugs")
    void theKitFailsTheRuleWrittenForTheBug(String name, FakeBackend backend, String rule, String[] rules) {
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

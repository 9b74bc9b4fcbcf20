package dev.taskexec.conformance.selftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.Controller;
import dev.taskexec.api.Errors;
import dev.taskexec.api.ExecutorProvider;
import dev.taskexec.api.ExitException;
import dev.taskexec.api.TaskAlreadyStartedException;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import dev.taskexec.conformance.ConformanceReport;
import dev.taskexec.conformance.ConformanceRunner;
import dev.taskexec.conformance.ResourceProbe;
import dev.taskexec.conformance.RuleResult;
import dev.taskexec.conformance.Workloads;
import dev.taskexec.executor.fake.Call;
import dev.taskexec.executor.fake.FakeController;
import dev.taskexec.executor.fake.Interceptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kit catches the bugs users of executors get burned by: each deliberately
 * broken backend, built on the fake by one interceptor or controller wrapper, is failed with the rule
 * written for that bug, and the failure message starts with the rule's id.
 */
class BrokenBackendsTest {

    /** The broken host backends leave processes behind, as their bugs do: none may outlive the test. */
    @org.junit.jupiter.api.AfterEach
    void killWhatBrokenHostBackendsLeft() {
        dev.taskexec.conformance.TestProcesses.killMarked();
    }

    /** A second start is refused with the wrong exception, as if the backend tried to start again. */
    private static final Interceptor START_NOT_IDEMPOTENT =
            inv -> {
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
    private static final Interceptor EXIT_CODE_LOST =
            inv -> {
                try {
                    inv.proceed();
                } catch (ExitException e) {
                    if (inv.call() != Call.AWAIT) {
                        throw e;
                    }
                }
            };

    /** remove claims success and frees nothing. */
    private static final Interceptor REMOVE_LEAKS =
            inv -> {
                if (inv.call() != Call.REMOVE) {
                    inv.proceed();
                }
            };

    /** shutdown kills at once instead of signalling and waiting the grace period. */
    private static final Interceptor SHUTDOWN_IGNORES_GRACE =
            inv -> {
                if (inv.call() == Call.SHUTDOWN) {
                    inv.controller().terminate();
                    return;
                }
                inv.proceed();
            };

    /** shutdown ignores the task's grace period and waits Docker's default 10 s before killing. */
    private static final Interceptor SHUTDOWN_USES_DEFAULT_GRACE =
            inv -> {
                if (inv.call() == Call.SHUTDOWN) {
                    // the bug being simulated (a hard-coded 10 s grace period), not test
                    // synchronisation
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

    /** Closing a controller does nothing, so a closed controller still starts its workload. */
    private static final java.util.function.Function<FakeController, Controller> CLOSE_IGNORED =
            controller ->
                    new PlainController(controller) {
                        @Override
                        public void close() {
                            // The bug: nothing is released and nothing refuses later calls.
                        }
                    };

    /** The first start of every controller fails with a correctly classified temporary error: not a bug. */
    private static Interceptor firstStartFailsTemporarily() {
        Set<FakeController> failedOnce = ConcurrentHashMap.newKeySet();
        return inv -> {
            if (inv.call() == Call.START && failedOnce.add(inv.controller())) {
                throw Errors.temporary(new IllegalStateException("the daemon is restarting"));
            }
            inv.proceed();
        };
    }

    /**
     * A broken backend, how the kit runs it, the rules it must fail, and the rules run with them
     * (which must pass: the kit pins the failure down); {@code tuning} sets what else the run needs
     * (declared capabilities, a property test's seed).
     */
    record Case(
            String name,
            ExecutorProvider backend,
            Workloads workloads,
            ResourceProbe probe,
            Set<String> fails,
            List<String> passes,
            UnaryOperator<ConformanceRunner> tuning) {
        Case(
                String name,
                ExecutorProvider backend,
                Workloads workloads,
                ResourceProbe probe,
                Set<String> fails,
                List<String> passes) {
            this(name, backend, workloads, probe, fails, passes, UnaryOperator.identity());
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> bugs() {
        return Stream.concat(firstBugs(), EveryRuleBugs.cases());
    }

    private static Stream<Case> firstBugs() {
        return Stream.of(
                fake(
                        "start-not-idempotent",
                        broken("start-not-idempotent", START_NOT_IDEMPOTENT),
                        "ID-2",
                        "LC-2"),
                fake("exit-code-lost", broken("exit-code-lost", EXIT_CODE_LOST), "EX-2", "EX-1"),
                fake("remove-leaks", broken("remove-leaks", REMOVE_LEAKS), "RS-1", "ID-5"),
                fake(
                        "await-ignores-interruption",
                        broken(
                                "await-ignores-interruption",
                                EveryRuleBugs.ignoresInterruption(Call.AWAIT)),
                        "CX-1",
                        "LC-2"),
                fake(
                        "shutdown-ignores-grace",
                        broken("shutdown-ignores-grace", SHUTDOWN_IGNORES_GRACE),
                        "LC-10",
                        "LC-4"),
                fake(
                        "shutdown-uses-default-grace",
                        broken("shutdown-uses-default-grace", SHUTDOWN_USES_DEFAULT_GRACE),
                        "LC-10",
                        "LC-2"),
                fake(
                        "logs-ignore-since",
                        logsRewrite("logs-ignore-since", SINCE_IGNORED),
                        "LG-8",
                        "LG-1"),
                fake(
                        "logs-ignore-positive-tail",
                        logsRewrite("logs-ignore-positive-tail", POSITIVE_TAIL_IGNORED),
                        "LG-9",
                        "LG-5"),
                fake(
                        "logs-tail-minus-one-as-all",
                        logsRewrite("logs-tail-minus-one-as-all", TAIL_MINUS_ONE_AS_ALL),
                        "LG-10",
                        "LG-6"),
                new Case(
                        "keyed-by-slot",
                        ExecutorBug.keyedBySlot(),
                        Workloads.fake(),
                        ResourceProbe.none(),
                        Set.of("LC-14", "LC-7"),
                        List.of("EX-1")),
                fake(
                        "close-ignored",
                        FakeBackend.brokenBy("close-ignored", CLOSE_IGNORED),
                        "ID-6",
                        "ID-5"),
                new Case(
                        "leaks-fork-join-pool",
                        ExecutorBug.leaksPool(),
                        Workloads.fake(),
                        ResourceProbe.none(),
                        Set.of("RS-4"),
                        List.of("EX-1")),
                new Case(
                        "fake-runs-what-it-cannot-honour",
                        ExecutorBug.runsWhatItCannotHonour(),
                        Workloads.fake(),
                        ResourceProbe.none(),
                        Set.of("ER-5"),
                        List.of("ER-1")),
                host(HostBackend.Bug.IGNORES_ENV, Set.of("EX-6"), "EX-1"),
                host(HostBackend.Bug.IGNORES_DIR, Set.of("EX-7"), "EX-1"),
                host(HostBackend.Bug.ALWAYS_SIGTERM, Set.of("LC-11"), "LC-9"),
                host(HostBackend.Bug.KILLS_ONLY_CHILD, Set.of("LC-12", "LC-13", "RS-6"), "EX-1"),
                host(HostBackend.Bug.REMOVE_LEAVES_RUNNING, Set.of("RS-6"), "LC-12"),
                host(HostBackend.Bug.SIGNAL_DEATH_AS_MINUS_ONE, Set.of("EX-3"), "EX-2"),
                host(HostBackend.Bug.RUNS_WHAT_IT_CANNOT_HONOUR, Set.of("ER-5"), "ER-1"));
    }

    private static Case fake(String name, FakeBackend backend, String fails, String passes) {
        return new Case(
                name, backend, Workloads.fake(), backend.probe(), Set.of(fails), List.of(passes));
    }

    private static Case host(HostBackend.Bug bug, Set<String> fails, String... passes) {
        HostBackend backend = new HostBackend(bug);
        return new Case(
                backend.name(),
                backend,
                Workloads.posixShell(),
                ResourceProbe.none(),
                fails,
                List.of(passes));
    }

    private static FakeBackend broken(String name, Interceptor bug) {
        return FakeBackend.broken(name, bug);
    }

    private static FakeBackend logsRewrite(String name, UnaryOperator<LogSubscriptionOptions> bug) {
        return FakeBackend.brokenBy(name, controller -> new RewritesLogOptions(controller, bug));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bugs")
    void theKitFailsTheRulesWrittenForTheBugAndNoOther(Case bug) {
        List<String> rules = new ArrayList<>(bug.fails());
        rules.addAll(bug.passes());
        ConformanceReport report =
                bug.tuning()
                        .apply(
                                ConformanceRunner.forProvider(bug.backend())
                                        .workloads(bug.workloads())
                                        .resources(bug.probe())
                                        .rules(rules.toArray(String[]::new)))
                        .run();

        assertFalse(report.conforms(), report.toText());
        for (RuleResult result : report.results()) {
            String id = result.rule().id();
            if (bug.fails().contains(id)) {
                assertEquals(RuleResult.Outcome.FAILED, result.outcome(), report.toText());
                assertTrue(result.message().startsWith(id + ": "), result.message());
            } else {
                assertEquals(RuleResult.Outcome.PASSED, result.outcome(), report.toText());
            }
        }
    }

    /** A backend whose first start of every task fails with a temporary error, correctly classified, is clean. */
    @Test
    void aBackendWithTransientClassifiedFailuresConforms() {
        FakeBackend backend = FakeBackend.broken("transient-start", firstStartFailsTemporarily());
        ConformanceReport report =
                ConformanceRunner.forProvider(backend)
                        .workloads(Workloads.fake())
                        .resources(backend.probe())
                        .rules("LC-2", "LC-3", "EX-1", "EX-2")
                        .run();

        assertTrue(report.conforms(), report.toText());
        assertEquals(4, report.passed().size(), report.toText());
    }

    /** The healthy host backend passes every rule its broken variants fail: none of them fails by accident. */
    @Test
    void theHealthyHostBackendPassesTheRulesItsBugsFail() {
        List<String> rules =
                bugs().filter(c -> c.backend() instanceof HostBackend)
                        .flatMap(c -> Stream.concat(c.fails().stream(), c.passes().stream()))
                        .distinct()
                        .toList();
        ConformanceReport report =
                ConformanceRunner.forProvider(new HostBackend(HostBackend.Bug.NONE))
                        .workloads(Workloads.posixShell())
                        .rules(rules.toArray(String[]::new))
                        .run();

        assertTrue(report.conforms(), report.toText());
        assertEquals(rules.size(), report.passed().size(), report.toText());
    }
}

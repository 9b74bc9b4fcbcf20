package dev.taskexec.conformance.selftest;

import dev.taskexec.api.Controller;
import dev.taskexec.api.Errors;
import dev.taskexec.api.ExecutorProvider;
import dev.taskexec.api.ExitException;
import dev.taskexec.api.LogPublisher;
import dev.taskexec.api.TaskAlreadyPreparedException;
import dev.taskexec.api.TaskUpdateRejectedException;
import dev.taskexec.api.proto.ContainerStatus;
import dev.taskexec.api.proto.LogMessage;
import dev.taskexec.api.proto.LogStream;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import dev.taskexec.api.proto.PortStatus;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.conformance.Capability;
import dev.taskexec.conformance.ConformanceRunner;
import dev.taskexec.conformance.ResourceProbe;
import dev.taskexec.conformance.Workloads;
import dev.taskexec.executor.fake.Call;
import dev.taskexec.executor.fake.FakeController;
import dev.taskexec.executor.fake.ForwardingController;
import dev.taskexec.executor.fake.Interceptor;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * One broken backend for each rule the first cases of {@link BrokenBackendsTest} left without one:
 * each is the fake (or the fake's provider) with the one mistake its rule was written for, as
 * {@code RULES.md} gives the reason, and is run by {@link BrokenBackendsTest} with the rules it must
 * fail and a related rule it must still pass. {@link RuleCoverageTest} checks that, together with
 * the other self-tests, every rule of the catalogue is failed by some broken backend.
 */
final class EveryRuleBugs {

    private EveryRuleBugs() {}

    static Stream<BrokenBackendsTest.Case> cases() {
        return Stream.of(
                // LC
                provider("misnamed-provider", ExecutorBug.misnamed(), Set.of("LC-1"), "LC-2"),
                fake(
                        "unclassified-transient-start",
                        broken("unclassified-transient-start", firstStartFailsUnclassified()),
                        Set.of("LC-2", "LC-3", "EX-1"),
                        "LC-5"),
                fake(
                        "runs-in-prepare",
                        broken("runs-in-prepare", runsInPrepare()),
                        Set.of("LC-3"),
                        "LC-2"),
                fake(
                        "shutdown-returns-while-running",
                        broken("shutdown-returns-while-running", SHUTDOWN_DOES_NOTHING),
                        Set.of("LC-4"),
                        "LC-6"),
                fake(
                        "shutdown-before-start-fails",
                        broken("shutdown-before-start-fails", SHUTDOWN_BEFORE_START_FAILS),
                        Set.of("LC-5"),
                        "LC-4"),
                fake(
                        "terminate-only-signals",
                        broken("terminate-only-signals", TERMINATE_ONLY_SIGNALS),
                        Set.of("LC-6"),
                        "LC-4"),
                fake(
                        "shutdown-kills-at-once",
                        broken("shutdown-kills-at-once", SHUTDOWN_KILLS_AT_ONCE),
                        Set.of("LC-9", "LC-10"),
                        "LC-4"),
                // ID
                fake(
                        "prepare-conflicts",
                        broken("prepare-conflicts", PREPARE_CONFLICTS),
                        Set.of("ID-1"),
                        "LC-2"),
                fake(
                        "exit-read-once",
                        broken("exit-read-once", exitReadOnce()),
                        Set.of("ID-3", "EX-2"),
                        "EX-1"),
                fake(
                        "stop-after-exit-fails",
                        broken("stop-after-exit-fails", STOP_AFTER_EXIT_FAILS),
                        Set.of("ID-4"),
                        "LC-4"),
                fake(
                        "remove-not-idempotent",
                        broken("remove-not-idempotent", REMOVE_NOT_IDEMPOTENT),
                        Set.of("ID-5"),
                        "RS-1"),
                fake(
                        "update-refused-once-prepared",
                        broken("update-refused-once-prepared", UPDATE_REFUSED_ONCE_PREPARED),
                        Set.of("ID-7"),
                        "LC-2"),
                tuned(
                        fake(
                                "update-ignores-spec",
                                broken("update-ignores-spec", UPDATE_IGNORED),
                                Set.of("ID-8"),
                                "ID-7"),
                        runner -> runner.capabilities(EnumSet.allOf(Capability.class))),
                // CX
                fake(
                        "interrupted-await-loses-exit",
                        broken("interrupted-await-loses-exit", interruptedAwaitLosesExit()),
                        Set.of("CX-2"),
                        "CX-1"),
                fake(
                        "shutdown-ignores-interruption",
                        broken("shutdown-ignores-interruption", ignoresInterruption(Call.SHUTDOWN)),
                        Set.of("CX-3"),
                        "LC-10"),
                fake(
                        "follow-ignores-interruption",
                        broken("follow-ignores-interruption", ignoresInterruption(Call.LOGS)),
                        Set.of("CX-4"),
                        "LG-6"),
                // EX
                fake(
                        "success-exit-code-unknown",
                        wrapped("success-exit-code-unknown", SuccessExitCodeUnknown::new),
                        Set.of("EX-1"),
                        "EX-2"),
                fake(
                        "container-status-cached",
                        wrapped("container-status-cached", ContainerStatusCached::new),
                        Set.of("EX-4"),
                        "EX-2"),
                fake(
                        "port-status-throws",
                        wrapped("port-status-throws", PortStatusThrows::new),
                        Set.of("EX-5"),
                        "EX-4"),
                // LG
                fake(
                        "stderr-tagged-stdout",
                        republished(
                                "stderr-tagged-stdout",
                                m -> m.toBuilder().setStream(LogStream.LOG_STREAM_STDOUT).build()),
                        Set.of("LG-1"),
                        "LG-2"),
                fake(
                        "log-queue-drops-when-full",
                        wrapped("log-queue-drops-when-full", DropsWhenFull::new),
                        Set.of("LG-2"),
                        "LG-1"),
                fake(
                        "log-context-without-node",
                        republished(
                                "log-context-without-node",
                                m ->
                                        m.toBuilder()
                                                .setContext(
                                                        m.getContext().toBuilder().clearNodeId())
                                                .build()),
                        Set.of("LG-3"),
                        "LG-1"),
                fake(
                        "logs-ignore-streams",
                        logsRewrite(
                                "logs-ignore-streams", o -> o.toBuilder().clearStreams().build()),
                        Set.of("LG-4"),
                        "LG-1"),
                fake(
                        "negative-tail-as-docker",
                        logsRewrite(
                                "negative-tail-as-docker",
                                o ->
                                        o.getTail() < 0
                                                ? o.toBuilder().setTail(o.getTail() - 1).build()
                                                : o),
                        Set.of("LG-5"),
                        "LG-9"),
                fake(
                        "follow-only-new-lines",
                        logsRewrite(
                                "follow-only-new-lines",
                                o -> o.getFollow() ? o.toBuilder().setTail(-1).build() : o),
                        Set.of("LG-6"),
                        "LG-1"),
                fake(
                        "publisher-failure-stops-logs",
                        FakeBackend.brokenBy(
                                "publisher-failure-stops-logs", new PublisherFailureStopsLogs()),
                        Set.of("LG-7"),
                        "LG-1"),
                // RS
                fake(
                        "remove-skips-running",
                        broken("remove-skips-running", REMOVE_SKIPS_RUNNING),
                        Set.of("RS-2"),
                        "RS-1"),
                // A fixed seed, so that the scenarios (a random seed by default) are the same on
                // every run. With
                // its probe, LC-6, EX-3 and CX-3 (which kill the workload) would fail too; they are
                // left out for time.
                tuned(
                        fake(
                                "remove-skips-failed",
                                broken("remove-skips-failed", REMOVE_SKIPS_FAILED),
                                Set.of("RS-5"),
                                "RS-1"),
                        runner -> runner.examples(20).seed(42)),
                fake(
                        "remove-skips-unstarted",
                        broken("remove-skips-unstarted", REMOVE_SKIPS_UNSTARTED),
                        Set.of("RS-3"),
                        "RS-1"),
                // ER
                fake(
                        "prepare-failures-temporary",
                        broken("prepare-failures-temporary", PREPARE_FAILURES_TEMPORARY),
                        Set.of("ER-1"),
                        "ER-3"),
                provider(
                        "refuses-unknown-runtime-vaguely",
                        ExecutorBug.refusesUnknownRuntimeVaguely(),
                        Set.of("ER-2"),
                        "ER-3"),
                provider(
                        "runs-task-without-runtime",
                        ExecutorBug.runsTaskWithoutRuntime(),
                        Set.of("ER-3"),
                        "ER-2"),
                provider(
                        "ignores-unknown-options",
                        ExecutorBug.ignoresUnknownOptions(),
                        Set.of("ER-4"),
                        "LC-1"));
    }

    // ---- the bugs ----

    /** The first start of every controller fails with a temporary error that is not classified as one. */
    private static Interceptor firstStartFailsUnclassified() {
        Set<FakeController> failedOnce = ConcurrentHashMap.newKeySet();
        return inv -> {
            if (inv.call() == Call.START && failedOnce.add(inv.controller())) {
                throw new IllegalStateException(
                        "the daemon is restarting"); // the bug: no Errors.temporary
            }
            inv.proceed();
        };
    }

    /**
     * prepare runs the workload at once (docker run rather than create) when the task is desired
     * RUNNING, and start does nothing, since prepare "already ran it": a task prepared while desired
     * READY is never started. The fake's own start stands in for the run prepare would have done.
     */
    private static Interceptor runsInPrepare() {
        Map<FakeController, TaskState> preparedFor = new ConcurrentHashMap<>();
        return inv -> {
            if (inv.call() == Call.PREPARE) {
                preparedFor.putIfAbsent(inv.controller(), inv.task().getDesiredState());
            }
            if (inv.call() == Call.START && preparedFor.get(inv.controller()) == TaskState.READY) {
                return; // the bug: start is a no-op
            }
            inv.proceed();
        };
    }

    /**
     * {@code call} swallows interruptions and goes back to what it was doing (waiting out the exit
     * or the grace period, following the logs): the bug of a blocking call that cannot be
     * cancelled.
     */
    static Interceptor ignoresInterruption(Call call) {
        return inv -> {
            if (inv.call() != call) {
                inv.proceed();
                return;
            }
            while (true) {
                try {
                    inv.proceed();
                    return;
                } catch (InterruptedException swallowed) {
                    // The bug: carry on as if nothing asked it to stop.
                }
            }
        };
    }

    /** shutdown returns at once and stops nothing, as if remove were left to do it. */
    private static final Interceptor SHUTDOWN_DOES_NOTHING =
            inv -> {
                if (inv.call() != Call.SHUTDOWN) {
                    inv.proceed();
                }
            };

    /** shutdown of a task that never started fails ("container is not running") instead of doing nothing. */
    private static final Interceptor SHUTDOWN_BEFORE_START_FAILS =
            inv -> {
                if (inv.call() == Call.SHUTDOWN
                        && !inv.controller().callSequence().contains(Call.START)) {
                    throw new IllegalStateException("container is not running");
                }
                inv.proceed();
            };

    /** terminate sends the stop signal, like shutdown without the wait: a workload that ignores it runs on. */
    private static final Interceptor TERMINATE_ONLY_SIGNALS =
            inv -> {
                if (inv.call() != Call.TERMINATE) {
                    inv.proceed();
                }
            };

    /** shutdown kills at once instead of sending the stop signal first. */
    private static final Interceptor SHUTDOWN_KILLS_AT_ONCE =
            inv -> {
                if (inv.call() == Call.SHUTDOWN) {
                    inv.controller().terminate();
                    return;
                }
                inv.proceed();
            };

    /** A second prepare fails as Docker's create does for a name in use, instead of TaskAlreadyPreparedException. */
    private static final Interceptor PREPARE_CONFLICTS =
            inv -> {
                try {
                    inv.proceed();
                } catch (TaskAlreadyPreparedException e) {
                    throw new IllegalStateException(
                            "Conflict. The container name is already in use");
                }
            };

    /** The exit status is reaped by the first await; later awaits find no exit and report success. */
    private static Interceptor exitReadOnce() {
        Set<FakeController> reaped = ConcurrentHashMap.newKeySet();
        return inv -> {
            if (inv.call() != Call.AWAIT) {
                inv.proceed();
                return;
            }
            if (reaped.contains(inv.controller())) {
                return;
            }
            try {
                inv.proceed();
            } catch (ExitException e) {
                reaped.add(inv.controller());
                throw e;
            }
            reaped.add(inv.controller());
        };
    }

    /** shutdown and terminate of a workload that already exited fail ("no such process"). */
    private static final Interceptor STOP_AFTER_EXIT_FAILS =
            inv -> {
                if ((inv.call() == Call.SHUTDOWN || inv.call() == Call.TERMINATE)
                        && exited(inv.controller())) {
                    throw new IllegalStateException("kill: no such process");
                }
                inv.proceed();
            };

    /** remove of what is already gone (or never made) fails ("No such container"). */
    private static final Interceptor REMOVE_NOT_IDEMPOTENT =
            inv -> {
                if (inv.call() == Call.REMOVE && inv.controller().containerStatus().isEmpty()) {
                    throw new IllegalStateException("No such container");
                }
                inv.proceed();
            };

    /** Every update of a prepared task is refused, equal or not, because a created container cannot change. */
    private static final Interceptor UPDATE_REFUSED_ONCE_PREPARED =
            inv -> {
                if (inv.call() == Call.UPDATE
                        && inv.controller().callSequence().contains(Call.PREPARE)) {
                    throw new TaskUpdateRejectedException("a created container cannot be updated");
                }
                inv.proceed();
            };

    /** update accepts everything and compares nothing: a changed spec is silently ignored. */
    private static final Interceptor UPDATE_IGNORED =
            inv -> {
                if (inv.call() != Call.UPDATE) {
                    inv.proceed();
                }
            };

    /** An interrupted await deregisters the exit listener, so a later await no longer sees the exit code. */
    private static Interceptor interruptedAwaitLosesExit() {
        Set<FakeController> lost = ConcurrentHashMap.newKeySet();
        return inv -> {
            if (inv.call() != Call.AWAIT) {
                inv.proceed();
                return;
            }
            try {
                inv.proceed();
            } catch (InterruptedException e) {
                lost.add(inv.controller());
                throw e;
            } catch (ExitException e) {
                if (!lost.contains(inv.controller())) {
                    throw e;
                }
            }
        };
    }

    /** Every failure of prepare is classified as temporary, so a spec that can never run is retried forever. */
    private static final Interceptor PREPARE_FAILURES_TEMPORARY =
            inv -> {
                try {
                    inv.proceed();
                } catch (InterruptedException | TaskAlreadyPreparedException e) {
                    throw e;
                } catch (Exception e) {
                    if (inv.call() != Call.PREPARE) {
                        throw e;
                    }
                    throw Errors.temporary(e);
                }
            };

    /** remove of a running task skips it (a non-forced remove that refuses, its error swallowed). */
    private static final Interceptor REMOVE_SKIPS_RUNNING =
            inv -> {
                if (inv.call() == Call.REMOVE && running(inv.controller())) {
                    return;
                }
                inv.proceed();
            };

    /** remove cleans up only on the success path: a container that exited non-zero (or was killed) stays. */
    private static final Interceptor REMOVE_SKIPS_FAILED =
            inv -> {
                if (inv.call() == Call.REMOVE
                        && exited(inv.controller())
                        && inv.controller()
                                .containerStatus()
                                .map(s -> s.getExitCode() != 0)
                                .orElse(false)) {
                    return;
                }
                inv.proceed();
            };

    /** remove cleans up only what was started: a prepared, never started container stays. */
    private static final Interceptor REMOVE_SKIPS_UNSTARTED =
            inv -> {
                if (inv.call() == Call.REMOVE
                        && !inv.controller().callSequence().contains(Call.START)) {
                    return;
                }
                inv.proceed();
            };

    /** Reports -1 ("unknown") as the exit code of a container that exited 0: only a non-zero code is read. */
    private static final class SuccessExitCodeUnknown extends ForwardingController {
        SuccessExitCodeUnknown(FakeController delegate) {
            super(delegate);
        }

        @Override
        public Optional<ContainerStatus> containerStatus() throws Exception {
            return delegate.containerStatus()
                    .map(
                            s ->
                                    s.getPid() == 0 && s.getExitCode() == 0
                                            ? s.toBuilder().setExitCode(-1).build()
                                            : s);
        }
    }

    /** Inspects the container once, when it first runs, and reports that status ever after. */
    private static final class ContainerStatusCached extends ForwardingController {
        private volatile ContainerStatus cached;

        ContainerStatusCached(FakeController delegate) {
            super(delegate);
        }

        @Override
        public Optional<ContainerStatus> containerStatus() throws Exception {
            ContainerStatus seen = cached;
            if (seen != null) {
                return Optional.of(seen);
            }
            Optional<ContainerStatus> now = delegate.containerStatus();
            if (now.isPresent() && now.get().getPid() != 0) {
                cached = now.get();
            }
            return now;
        }
    }

    /** portStatus fails when the container has no published ports instead of answering empty. */
    private static final class PortStatusThrows extends ForwardingController {
        PortStatusThrows(FakeController delegate) {
            super(delegate);
        }

        @Override
        public Optional<PortStatus> portStatus() {
            throw new IllegalStateException(
                    "no network settings: the container publishes no ports");
        }
    }

    /** Copies log messages through a 100-message queue whose offer is not checked: what does not fit is dropped. */
    private static final class DropsWhenFull extends ForwardingController {
        private static final int CAPACITY = 100;

        DropsWhenFull(FakeController delegate) {
            super(delegate);
        }

        @Override
        public void logs(LogPublisher publisher, LogSubscriptionOptions options) throws Exception {
            AtomicInteger queued = new AtomicInteger();
            delegate.logs(
                    message -> {
                        if (queued.incrementAndGet() <= CAPACITY) {
                            publisher.publish(message);
                        }
                    },
                    options);
        }
    }

    /** The log pump of a controller stops for good at the first publisher failure: later subscribers get nothing. */
    private static final class PublisherFailureStopsLogs
            implements Function<FakeController, Controller> {
        @Override
        public Controller apply(FakeController controller) {
            return new ForwardingController(controller) {
                private volatile boolean pumpDead;

                @Override
                public void logs(LogPublisher publisher, LogSubscriptionOptions options)
                        throws Exception {
                    if (pumpDead) {
                        return;
                    }
                    delegate.logs(
                            message -> {
                                try {
                                    publisher.publish(message);
                                } catch (Exception e) {
                                    pumpDead = true;
                                    throw e;
                                }
                            },
                            options);
                }
            };
        }
    }

    // ---- helpers ----

    private static boolean running(FakeController controller) {
        return controller.containerStatus().map(s -> s.getPid() != 0).orElse(false);
    }

    private static boolean exited(FakeController controller) {
        return controller.containerStatus().map(s -> s.getPid() == 0).orElse(false)
                && controller.callSequence().contains(Call.START);
    }

    private static BrokenBackendsTest.Case fake(
            String name, FakeBackend backend, Set<String> fails, String passes) {
        return new BrokenBackendsTest.Case(
                name, backend, Workloads.fake(), backend.probe(), fails, List.of(passes));
    }

    private static BrokenBackendsTest.Case provider(
            String name, ExecutorProvider backend, Set<String> fails, String passes) {
        return new BrokenBackendsTest.Case(
                name, backend, Workloads.fake(), ResourceProbe.none(), fails, List.of(passes));
    }

    private static BrokenBackendsTest.Case tuned(
            BrokenBackendsTest.Case c, UnaryOperator<ConformanceRunner> tuning) {
        return new BrokenBackendsTest.Case(
                c.name(), c.backend(), c.workloads(), c.probe(), c.fails(), c.passes(), tuning);
    }

    private static FakeBackend broken(String name, Interceptor bug) {
        return FakeBackend.broken(name, bug);
    }

    private static FakeBackend wrapped(
            String name, Function<FakeController, ? extends Controller> bug) {
        return FakeBackend.brokenBy(name, bug);
    }

    private static FakeBackend logsRewrite(String name, UnaryOperator<LogSubscriptionOptions> bug) {
        return FakeBackend.brokenBy(name, controller -> new RewritesLogOptions(controller, bug));
    }

    /** logs publishes every message changed by {@code bug}. */
    private static FakeBackend republished(String name, UnaryOperator<LogMessage> bug) {
        return FakeBackend.brokenBy(
                name,
                controller ->
                        new ForwardingController(controller) {
                            @Override
                            public void logs(LogPublisher publisher, LogSubscriptionOptions options)
                                    throws Exception {
                                delegate.logs(
                                        message -> publisher.publish(bug.apply(message)), options);
                            }
                        });
    }
}

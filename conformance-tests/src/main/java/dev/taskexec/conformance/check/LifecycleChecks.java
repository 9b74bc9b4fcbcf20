package dev.taskexec.conformance.check;

import static dev.taskexec.api.proto.TaskState.ACCEPTED;
import static dev.taskexec.api.proto.TaskState.ASSIGNED;
import static dev.taskexec.api.proto.TaskState.COMPLETE;
import static dev.taskexec.api.proto.TaskState.FAILED;
import static dev.taskexec.api.proto.TaskState.PREPARING;
import static dev.taskexec.api.proto.TaskState.READY;
import static dev.taskexec.api.proto.TaskState.RUNNING;
import static dev.taskexec.api.proto.TaskState.SHUTDOWN;
import static dev.taskexec.api.proto.TaskState.STARTING;

import dev.taskexec.api.Controller;
import dev.taskexec.api.Executor;
import dev.taskexec.api.ExecutorProvider;
import dev.taskexec.api.proto.NodeDescription;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.conformance.Capability;
import dev.taskexec.conformance.Rules;
import dev.taskexec.core.Step;
import java.time.Duration;
import java.util.List;

/** The LC rules: the lifecycle a task walks through. */
final class LifecycleChecks {

    static final Duration GRACE = Duration.ofSeconds(1);
    static final Duration EXIT_LIMIT = Duration.ofSeconds(5);

    /** RETRY steps LC-2 tolerates, for a backend whose first attempt fails temporarily. */
    private static final int MAX_RETRIES = 5;

    private LifecycleChecks() {}

    static List<RuleCheck> checks() {
        return List.of(
                new RuleCheck(Rules.LC_1, LifecycleChecks::providerDescribesItself),
                new RuleCheck(Rules.LC_2, LifecycleChecks::walksEveryState),
                new RuleCheck(Rules.LC_3, LifecycleChecks::pausesAtDesiredState),
                new RuleCheck(Rules.LC_4, LifecycleChecks::shutdownStopsRunningWorkload),
                new RuleCheck(Rules.LC_5, LifecycleChecks::shutdownBeforeStart),
                new RuleCheck(Rules.LC_6, LifecycleChecks::terminateStopsStubbornWorkload),
                new RuleCheck(Rules.LC_7, LifecycleChecks::tasksDoNotInterfere),
                new RuleCheck(Rules.LC_8, PropertyChecks::lifecycleInvariants),
                new RuleCheck(Rules.LC_9, LifecycleChecks::shutdownSignalsFirst),
                new RuleCheck(Rules.LC_10, LifecycleChecks::shutdownHonoursGracePeriod),
                FidelityChecks.stopSignal(),
                ProcessTreeChecks.terminate(),
                ProcessTreeChecks.shutdown(),
                new RuleCheck(Rules.LC_14, LifecycleChecks::sameSlotTasksStayApart));
    }

    private static void providerDescribesItself(Env env) throws Exception {
        ExecutorProvider provider = env.subject().provider();
        String name = provider.name();
        env.check(
                ExecutorProvider.isValidName(name),
                "ExecutorProvider.name() must be "
                        + ExecutorProvider.NAME_SYNTAX
                        + ", was '"
                        + name
                        + "'");
        String description = provider.description();
        env.check(
                description != null && !description.isBlank() && description.lines().count() == 1,
                "ExecutorProvider.description() must be one non-empty line, was '"
                        + description
                        + "'");
        Executor executor = env.newExecutor();
        NodeDescription node =
                Calls.within(
                        env.rule(), "Executor.describe()", env.callTimeout(), executor::describe);
        env.check(node != null, "Executor.describe() returned null");
    }

    private static void walksEveryState(Env env) throws Exception {
        TaskDriver task = env.resolved(env.workloads().exit(0));
        int retries = 0;
        // Until the task ends (COMPLETE, or a state it should never reach, which the history check
        // reports).
        for (int i = 0; i < 8 + MAX_RETRIES && !TaskDriver.isTerminal(task.state()); i++) {
            TaskState before = task.state();
            Step step = task.step();
            if (step.outcome() == Step.Outcome.RETRY) {
                // A temporary failure, correctly classified, is retried by the agent: no state is
                // skipped.
                env.check(
                        ++retries <= MAX_RETRIES,
                        "the step at "
                                + before
                                + " kept returning RETRY (err '"
                                + task.status().getErr()
                                + "')");
                env.check(
                        task.state() == before,
                        "a step that returned RETRY moved the task from "
                                + before
                                + " to "
                                + task.state());
                continue;
            }
            env.check(
                    step.outcome() == Step.Outcome.PROGRESSED,
                    "the step at "
                            + before
                            + " (desired RUNNING) returned "
                            + step.outcome()
                            + " instead of PROGRESSED"
                            + " (err '"
                            + task.status().getErr()
                            + "')");
        }
        List<TaskState> expected =
                List.of(ASSIGNED, ACCEPTED, PREPARING, READY, STARTING, RUNNING, COMPLETE);
        env.check(
                task.history().equals(expected),
                "expected the states "
                        + expected
                        + " but the task went through "
                        + task.history()
                        + " (err '"
                        + task.status().getErr()
                        + "')");
        Step after = task.step();
        env.check(
                after.outcome() == Step.Outcome.NOOP && task.state() == COMPLETE,
                "the step after COMPLETE returned "
                        + after.outcome()
                        + " with state "
                        + task.state()
                        + ", expected NOOP");
        task.removeAndClose();
    }

    private static void pausesAtDesiredState(Env env) throws Exception {
        // As the agent does: the controller is made for the task as assigned, desired READY, and is
        // given the task again through update when the desired state is raised.
        TaskDriver task = env.task(env.workloads().exit(0));
        task.desire(READY).resolveOrFail();
        TaskState paused = task.settle();
        env.check(
                paused == READY,
                "with desired state READY the task settled at "
                        + paused
                        + " (err '"
                        + task.status().getErr()
                        + "')");
        Task raised = task.desire(RUNNING).task();
        CallResult<Void> updated =
                task.run(
                        "Controller.update (desired state raised to RUNNING)",
                        c -> c.update(raised));
        env.check(
                updated.returned(),
                "update with the task whose desired state was raised from READY to RUNNING threw "
                        + Causes.describe(updated.thrown()));
        TaskState done = task.settle();
        env.check(
                done == COMPLETE,
                "after raising the desired state from READY to RUNNING the task settled at "
                        + done
                        + " instead of COMPLETE (err '"
                        + task.status().getErr()
                        + "')");
        task.removeAndClose();
    }

    private static void shutdownStopsRunningWorkload(Env env) throws Exception {
        TaskDriver task = env.resolved(env.workloads().runUntilStopped(GRACE)).startRunning();
        task.desire(SHUTDOWN);
        Step step = task.step(GRACE.plus(EXIT_LIMIT));
        env.check(
                task.state() == SHUTDOWN,
                "desired SHUTDOWN at RUNNING gave "
                        + step.outcome()
                        + " with state "
                        + task.state()
                        + " (err '"
                        + task.status().getErr()
                        + "'), expected SHUTDOWN");
        task.awaitTarget(
                EXIT_LIMIT,
                "shutdown returned but the workload was still running "
                        + Calls.seconds(EXIT_LIMIT)
                        + " later (await did not return)");
        task.removeAndCloseReleased();
    }

    private static void shutdownBeforeStart(Env env) throws Exception {
        TaskDriver task = env.resolved(env.workloads().exit(0));
        env.check(
                task.runTo(READY) == READY, "the task did not settle at READY: " + task.history());
        TaskState end = task.runTo(SHUTDOWN);
        env.check(
                end == SHUTDOWN,
                "a prepared, never started task with desired SHUTDOWN ended "
                        + end
                        + " (err '"
                        + task.status().getErr()
                        + "'), expected SHUTDOWN");
        task.removeAndClose();
    }

    private static void terminateStopsStubbornWorkload(Env env) throws Exception {
        TaskDriver task =
                env.resolved(env.workloads().ignoreStopSignal(Duration.ofSeconds(30)))
                        .startRunning();
        CallResult<Void> terminated =
                task.run("Controller.terminate()", EXIT_LIMIT, Controller::terminate);
        env.check(terminated.returned(), "terminate threw " + Causes.describe(terminated.thrown()));
        task.awaitTarget(
                EXIT_LIMIT,
                "terminate returned but a workload ignoring its stop signal was still running "
                        + Calls.seconds(EXIT_LIMIT)
                        + " later");
        task.removeAndCloseReleased();
    }

    private static void tasksDoNotInterfere(Env env) throws Exception {
        Executor executor = env.executor();
        TaskDriver stopped = env.task(executor, env.workloads().runUntilStopped(GRACE));
        TaskDriver survivor =
                env.task(executor, env.workloads().exitAfter(Duration.ofSeconds(2), 7));
        stopped.startRunning();
        survivor.startRunning();
        stopped.desire(SHUTDOWN);
        stopped.step(GRACE.plus(EXIT_LIMIT));
        env.check(
                stopped.state() == SHUTDOWN,
                "the first task did not shut down: " + stopped.state());
        TaskState end = survivor.settle();
        env.check(
                end == FAILED && survivor.status().getContainer().getExitCode() == 7,
                "the second task should have exited on its own with code 7 but ended "
                        + end
                        + " with exit code "
                        + survivor.status().getContainer().getExitCode()
                        + " (err '"
                        + survivor.status().getErr()
                        + "'): shutting down one task affected the other");
        stopped.removeAndClose();
        survivor.removeAndClose();
    }

    private static void sameSlotTasksStayApart(Env env) throws Exception {
        Executor executor = env.executor();
        // Env gives every task the same service id and slot; only the ids differ.
        TaskDriver first = env.task(executor, env.workloads().exitAfter(Duration.ofSeconds(2), 5));
        TaskDriver second = env.task(executor, env.workloads().exitAfter(Duration.ofSeconds(2), 6));
        env.check(
                first.task().getServiceId().equals(second.task().getServiceId())
                        && first.task().getSlot() == second.task().getSlot(),
                "the kit's two tasks differ in service or slot");
        first.resolveOrFail();
        second.resolveOrFail();
        // Interleaved, as an agent running a rolling update does: both prepared before either
        // starts.
        env.check(
                first.runTo(READY) == READY,
                "the first task did not settle at READY: " + first.history());
        env.check(
                second.runTo(READY) == READY,
                "the second task (same service and slot) did not settle at READY: "
                        + second.history()
                        + " (err '"
                        + second.status().getErr()
                        + "')");
        first.desire(RUNNING).stepTo(RUNNING);
        second.desire(RUNNING).stepTo(RUNNING);
        TaskState firstEnd = first.settle();
        TaskState secondEnd = second.settle();
        int firstCode = first.status().getContainer().getExitCode();
        int secondCode = second.status().getContainer().getExitCode();
        env.check(
                firstEnd == FAILED && firstCode == 5 && secondEnd == FAILED && secondCode == 6,
                "two tasks of the same service and slot, exiting 5 and 6, ended "
                        + firstEnd
                        + " with "
                        + firstCode
                        + " and "
                        + secondEnd
                        + " with "
                        + secondCode
                        + ": the backend mixed them up (state keyed by"
                        + " service or slot instead of task id?)");
        first.removeAndClose();
        CallResult<Void> exit =
                second.awaitTarget(
                        Duration.ofSeconds(2),
                        "after the first task was removed, await of the second one (same service and slot) blocked");
        int after = exit.returned() ? 0 : Causes.exitCode(exit.thrown()).orElse(-1);
        env.check(
                after == 6,
                "after the first task (same service and slot) was removed, await of the second one"
                        + " reported "
                        + (exit.returned() ? "a normal exit" : Causes.describe(exit.thrown()))
                        + " instead of its exit code 6: removing one task touched the other");
        second.removeAndClose();
    }

    private static void shutdownSignalsFirst(Env env) throws Exception {
        env.requireCapability(Capability.GRACEFUL_STOP);
        Duration grace = Duration.ofSeconds(5);
        TaskDriver task =
                env.resolved(env.workloads().runUntilStopped(grace)).startRunning().awaitReady();
        task.desire(SHUTDOWN);
        task.step(grace.plus(EXIT_LIMIT));
        env.check(task.state() == SHUTDOWN, "desired SHUTDOWN gave state " + task.state());
        CallResult<Void> exit =
                task.awaitTarget(EXIT_LIMIT, "the workload was still running after shutdown");
        // Exit 0 from the workload's handler, or 128 + SIGTERM from a process that died of the
        // stop signal itself: either way the stop signal came first. 137 (SIGKILL) did not.
        if (!exit.returned() && Causes.exitCode(exit.thrown()).orElse(-1) != 143) {
            throw env.violation(
                    "a workload that exits 0 on its stop signal ended with "
                            + Causes.exitCode(exit.thrown()).stream()
                                    .mapToObj(c -> "exit code " + c)
                                    .findFirst()
                                    .orElse(Causes.describe(exit.thrown()))
                            + " after shutdown: it was killed instead of being sent its stop signal",
                    exit.thrown());
        }
        task.removeAndClose();
    }

    private static void shutdownHonoursGracePeriod(Env env) throws Exception {
        env.requireCapability(Capability.GRACEFUL_STOP);
        TaskDriver task =
                env.resolved(env.workloads().ignoreStopSignal(GRACE)).startRunning().awaitReady();
        task.desire(SHUTDOWN);
        long started = System.nanoTime();
        Step step = task.step(Duration.ofSeconds(20));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        env.check(
                task.state() == SHUTDOWN,
                "desired SHUTDOWN gave "
                        + step.outcome()
                        + " with state "
                        + task.state()
                        + " (err '"
                        + task.status().getErr()
                        + "')");
        env.check(
                took.compareTo(Duration.ofMillis(800)) >= 0,
                "shutdown of a workload that ignores its stop signal returned after "
                        + Calls.seconds(took)
                        + ", before its stop_grace_period of 1 s: it was killed early, or shutdown did not wait for it");
        env.check(
                took.compareTo(Duration.ofSeconds(5)) <= 0,
                "shutdown with stop_grace_period 1 s took "
                        + Calls.seconds(took)
                        + ": the grace period was not honoured (10 s is the usual default)");
        task.awaitTarget(EXIT_LIMIT, "shutdown returned but the workload was still running");
        task.removeAndCloseReleased();
    }
}

package dev.taskexec.conformance.check;

import static dev.taskexec.api.proto.TaskState.FAILED;
import static dev.taskexec.api.proto.TaskState.RUNNING;

import dev.taskexec.api.Controller;
import dev.taskexec.api.ControllerLogs;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import dev.taskexec.conformance.Capability;
import dev.taskexec.conformance.Rules;
import dev.taskexec.core.Step;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/** The CX rules: blocking calls honour interruption, and interruption is not cancellation of the task. */
final class CancellationChecks {

    /** How long an interrupted call may take to return. */
    static final Duration PROMPTLY = Duration.ofSeconds(2);

    /** How long the kit lets a call block before interrupting it, at most. */
    static final Duration SETTLE_IN = Duration.ofMillis(500);

    private CancellationChecks() {}

    static List<RuleCheck> checks() {
        return List.of(
                new RuleCheck(Rules.CX_1, CancellationChecks::interruptedAwait),
                new RuleCheck(Rules.CX_2, CancellationChecks::interruptedAwaitKeepsTask),
                new RuleCheck(Rules.CX_3, CancellationChecks::interruptedShutdown),
                new RuleCheck(Rules.CX_4, CancellationChecks::interruptedFollow));
    }

    private static void interruptedAwait(Env env) throws Exception {
        TaskDriver task =
                env.resolved(env.workloads().runUntilStopped(LifecycleChecks.GRACE)).startRunning();

        // Directly: await must end by an interruption.
        Controller controller = task.controller();
        InFlight<Void> await = InFlight.start("Controller.await()", controller::await);
        CallResult<Void> direct = interrupt(env, await, "Controller.await() on a running target");
        env.check(
                !direct.returned(),
                "Controller.await() on a running target returned normally when interrupted;"
                        + " it must throw InterruptedException (or an exception caused by one)");
        env.check(
                Causes.isInterruption(direct.thrown()),
                "Controller.await() threw "
                        + Causes.describe(direct.thrown())
                        + " when interrupted; expected InterruptedException"
                        + " or an exception caused by one");

        // Through the lifecycle, as the agent does: the step retries and the task stays RUNNING.
        InFlight<Step> step = task.stepAsync();
        step.awaitParked(SETTLE_IN);
        step.interrupt();
        Step retried = task.finish(step, PROMPTLY);
        env.check(
                retried.outcome() == Step.Outcome.RETRY && task.state() == RUNNING,
                "an interrupted step at RUNNING gave "
                        + retried.outcome()
                        + " with state "
                        + task.state()
                        + " (err '"
                        + task.status().getErr()
                        + "'), expected RETRY at RUNNING");
        task.removeAndClose();
    }

    private static void interruptedAwaitKeepsTask(Env env) throws Exception {
        TaskDriver task =
                env.resolved(env.workloads().exitAfter(Duration.ofSeconds(2), 7)).startRunning();
        Controller controller = task.controller();
        InFlight<Void> await = InFlight.start("Controller.await()", controller::await);
        interrupt(env, await, "Controller.await() on a running target");
        var end = task.settle();
        env.check(
                end == FAILED && task.status().getContainer().getExitCode() == 7,
                "after an interrupted await the task ended "
                        + end
                        + " with exit code "
                        + task.status().getContainer().getExitCode()
                        + " (err '"
                        + task.status().getErr()
                        + "'); the workload should have exited on its own with 7");
        task.removeAndClose();
    }

    private static void interruptedShutdown(Env env) throws Exception {
        env.requireCapability(Capability.GRACEFUL_STOP);
        TaskDriver task =
                env.resolved(env.workloads().ignoreStopSignal(Duration.ofSeconds(10)))
                        .startRunning()
                        .awaitReady();
        Controller controller = task.controller();
        InFlight<Void> shutdown = InFlight.start("Controller.shutdown()", controller::shutdown);
        interrupt(env, shutdown, "Controller.shutdown() waiting out a 10 s grace period");
        task.mustSucceed(
                "Controller.terminate() after an interrupted shutdown", Controller::terminate);
        task.awaitTarget(
                LifecycleChecks.EXIT_LIMIT,
                "terminate after an interrupted shutdown did not stop the workload");
        task.removeAndCloseReleased();
    }

    private static void interruptedFollow(Env env) throws Exception {
        env.requireCapability(Capability.LOGS);
        TaskDriver task =
                env.resolved(env.workloads().runUntilStopped(LifecycleChecks.GRACE)).startRunning();
        ControllerLogs logs = LogChecks.logsOf(env, task);
        LogSubscriptionOptions follow = LogSubscriptionOptions.newBuilder().setFollow(true).build();
        InFlight<Void> call =
                InFlight.start(
                        "ControllerLogs.logs(follow)", () -> logs.logs(message -> {}, follow));
        interrupt(env, call, "ControllerLogs.logs with follow");
        task.removeAndClose();
    }

    /**
     * Lets {@code call} block, interrupts it and waits for it to end.
     *
     * @throws RuleViolation if it has ended before the interruption (so nothing was checked) or does not end promptly
     */
    static <T> CallResult<T> interrupt(Env env, InFlight<T> call, String what)
            throws InterruptedException {
        call.awaitParked(SETTLE_IN);
        if (call.isDone()) {
            CallResult<T> early;
            try {
                early = call.await(Duration.ZERO);
            } catch (TimeoutException impossible) {
                throw new IllegalStateException(impossible);
            }
            throw env.violation(
                    what
                            + " did not block: it "
                            + (early.returned()
                                    ? "returned"
                                    : "threw " + Causes.describe(early.thrown()))
                            + " at once",
                    early.thrown());
        }
        call.interrupt();
        try {
            return call.await(PROMPTLY);
        } catch (TimeoutException e) {
            throw env.violation(
                    what
                            + " ignored the interruption: still blocked "
                            + Calls.seconds(PROMPTLY)
                            + " after its thread was interrupted");
        }
    }
}

package dev.taskexec.conformance.check;

import static dev.taskexec.api.proto.TaskState.COMPLETE;
import static dev.taskexec.api.proto.TaskState.FAILED;
import static dev.taskexec.api.proto.TaskState.READY;
import static dev.taskexec.api.proto.TaskState.RUNNING;

import dev.taskexec.api.Controller;
import dev.taskexec.api.TaskAlreadyPreparedException;
import dev.taskexec.api.TaskAlreadyStartedException;
import dev.taskexec.api.TaskUpdateRejectedException;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.conformance.Capability;
import dev.taskexec.conformance.Rules;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/** The ID rules: repeated and late calls are harmless. */
final class IdempotencyChecks {

    private static final Duration PROMPTLY = Duration.ofSeconds(2);

    private IdempotencyChecks() {}

    static List<RuleCheck> checks() {
        return List.of(
                new RuleCheck(Rules.ID_1, IdempotencyChecks::secondPrepare),
                new RuleCheck(Rules.ID_2, IdempotencyChecks::secondStart),
                new RuleCheck(Rules.ID_3, IdempotencyChecks::awaitRepeats),
                new RuleCheck(Rules.ID_4, IdempotencyChecks::stopAfterExit),
                new RuleCheck(Rules.ID_5, IdempotencyChecks::removeTwice),
                new RuleCheck(Rules.ID_6, IdempotencyChecks::closedController),
                new RuleCheck(Rules.ID_7, IdempotencyChecks::equalUpdates),
                new RuleCheck(Rules.ID_8, IdempotencyChecks::changedSpecRejected));
    }

    private static void secondPrepare(Env env) throws Exception {
        TaskDriver task = env.resolved(env.workloads().exit(0));
        env.check(
                task.runTo(READY) == READY, "the task did not settle at READY: " + task.history());
        CallResult<Void> again = task.run("the second Controller.prepare()", Controller::prepare);
        env.check(
                again.returned() || again.thrown() instanceof TaskAlreadyPreparedException,
                "a second prepare must return or throw TaskAlreadyPreparedException, but threw "
                        + Causes.describe(again.thrown()));
        TaskState end = task.runTo(RUNNING);
        env.check(
                end == COMPLETE,
                "after a second prepare the task ended "
                        + end
                        + " instead of COMPLETE (err '"
                        + task.status().getErr()
                        + "')");
        task.removeAndClose();
    }

    private static void secondStart(Env env) throws Exception {
        TaskDriver task =
                env.resolved(env.workloads().exitAfter(Duration.ofSeconds(2), 3)).startRunning();
        CallResult<Void> whileRunning =
                task.run("the second Controller.start() (while running)", Controller::start);
        env.check(
                whileRunning.returned()
                        || whileRunning.thrown() instanceof TaskAlreadyStartedException,
                "a second start while running must return or throw TaskAlreadyStartedException, but threw "
                        + Causes.describe(whileRunning.thrown()));
        TaskState end = task.settle();
        env.check(
                end == FAILED && task.status().getContainer().getExitCode() == 3,
                "after a second start the task ended "
                        + end
                        + " with exit code "
                        + task.status().getContainer().getExitCode()
                        + " instead of FAILED with 3");
        CallResult<Void> afterExit = task.run("Controller.start() after exit", Controller::start);
        env.check(
                afterExit.returned() || afterExit.thrown() instanceof TaskAlreadyStartedException,
                "start after exit must return or throw TaskAlreadyStartedException, but threw "
                        + Causes.describe(afterExit.thrown()));
        // A workload started again would run for another 2 s before reporting its exit.
        CallResult<Void> exit =
                task.awaitTarget(
                        Duration.ofMillis(1500),
                        "after start was called on an exited task, await blocked: the workload was started a second time");
        OptionalInt code = exit.returned() ? OptionalInt.of(0) : Causes.exitCode(exit.thrown());
        env.check(
                code.isPresent() && code.getAsInt() == 3,
                "after start was called on an exited task, await reported "
                        + (exit.returned() ? "a normal exit" : Causes.describe(exit.thrown()))
                        + " instead of exit code 3");
        task.removeAndClose();
    }

    private static void awaitRepeats(Env env) throws Exception {
        for (int expected : new int[] {3, 0}) {
            TaskDriver task = env.resolved(env.workloads().exit(expected));
            TaskState end = task.settle();
            env.check(
                    end == (expected == 0 ? COMPLETE : FAILED),
                    "exit " + expected + " ended " + end);
            for (int round = 1; round <= 2; round++) {
                CallResult<Void> exit =
                        task.awaitTarget(
                                PROMPTLY,
                                "await after the target exited blocked for "
                                        + Calls.seconds(PROMPTLY));
                if (expected == 0) {
                    env.check(
                            exit.returned(),
                            "await number "
                                    + round
                                    + " after exit 0 threw "
                                    + Causes.describe(exit.thrown()));
                } else {
                    OptionalInt code =
                            exit.returned() ? OptionalInt.empty() : Causes.exitCode(exit.thrown());
                    env.check(
                            code.isPresent() && code.getAsInt() == expected,
                            "await number "
                                    + round
                                    + " after exit "
                                    + expected
                                    + " reported "
                                    + (exit.returned()
                                            ? "a normal exit"
                                            : Causes.describe(exit.thrown()))
                                    + " instead of an ExitCoder with "
                                    + expected);
                }
            }
            task.removeAndClose();
        }
    }

    private static void stopAfterExit(Env env) throws Exception {
        TaskDriver task = env.resolved(env.workloads().exit(0));
        env.check(task.settle() == COMPLETE, "exit 0 did not complete: " + task.history());
        for (int round = 1; round <= 2; round++) {
            task.mustSucceed(
                    "Controller.shutdown() #" + round + " after exit", Controller::shutdown);
        }
        for (int round = 1; round <= 2; round++) {
            task.mustSucceed(
                    "Controller.terminate() #" + round + " after exit", Controller::terminate);
        }
        task.removeAndClose();
    }

    private static void removeTwice(Env env) throws Exception {
        TaskDriver neverPrepared = env.resolved(env.workloads().exit(0));
        neverPrepared.mustSucceed("Controller.remove() before prepare", Controller::remove);
        neverPrepared.mustSucceed(
                "the second Controller.remove() before prepare", Controller::remove);
        neverPrepared.mustSucceed("Controller.close()", Controller::close);
        neverPrepared.markCleaned();

        TaskDriver completed = env.resolved(env.workloads().exit(0));
        env.check(
                completed.settle() == COMPLETE, "exit 0 did not complete: " + completed.history());
        completed.mustSucceed("Controller.remove()", Controller::remove);
        completed.mustSucceed("the second Controller.remove()", Controller::remove);
        completed.mustSucceed("Controller.close()", Controller::close);
        completed.markCleaned();
    }

    private static void closedController(Env env) throws Exception {
        TaskDriver task = env.resolved(env.workloads().exit(0));
        task.mustSucceed("Controller.close()", Controller::close);
        task.mustSucceed("the second Controller.close()", Controller::close);
        List<Call> calls =
                List.of(
                        new Call("prepare", Controller::prepare),
                        new Call("start", Controller::start),
                        new Call("await", Controller::await));
        for (Call call : calls) {
            CallResult<Void> result =
                    task.run(
                            "Controller." + call.name() + "() after close",
                            PROMPTLY,
                            call.action());
            // The SPI lets a closed controller refuse (ControllerClosedException) or answer; any
            // other
            // failure is fine too as long as it is prompt: what matters is that nothing hangs.
            if (call.name().equals("start") && result.returned()) {
                throw env.violation(
                        "start after close returned normally: a closed controller must not start"
                                + " its workload (throw ControllerClosedException)");
            }
        }
        // Nothing was prepared, so there is nothing to remove; swarmkit's controllers refuse calls
        // after close.
        task.markCleaned();

        // A prepared controller has everything start needs: only close stands between it and a run.
        TaskDriver prepared = env.resolved(env.workloads().exit(0));
        env.check(
                prepared.runTo(READY) == READY,
                "the task did not settle at READY: " + prepared.history());
        prepared.mustSucceed("Controller.close() of a prepared controller", Controller::close);
        CallResult<Void> started =
                prepared.run(
                        "Controller.start() after close of a prepared controller",
                        PROMPTLY,
                        Controller::start);
        prepared.markCleaned();
        removeWithFreshController(env, prepared);
        if (started.returned()) {
            throw env.violation(
                    "start after close of a prepared controller returned normally: a closed controller"
                            + " must not start its workload (throw ControllerClosedException), since nobody will remove it");
        }
    }

    /** Removes what a closed controller prepared, through a new controller for the same task, as a restarted agent would. */
    private static void removeWithFreshController(Env env, TaskDriver closed) throws Exception {
        Controller again =
                Calls.within(
                        env.rule(),
                        "Executor.controller (to remove after close)",
                        env.callTimeout(),
                        () -> closed.executor().controller(closed.task()));
        if (again == null) {
            return;
        }
        for (TaskDriver.ControllerAction action :
                List.<TaskDriver.ControllerAction>of(
                        Controller::terminate, Controller::remove, Controller::close)) {
            Calls.outcome(
                    env.rule(),
                    "clean-up after close",
                    env.callTimeout(),
                    () -> action.apply(again));
        }
    }

    private static void equalUpdates(Env env) throws Exception {
        TaskDriver task = env.resolved(env.workloads().exit(3));
        update(env, task, "before prepare");
        env.check(
                task.runTo(READY) == READY, "the task did not settle at READY: " + task.history());
        update(env, task, "when prepared");
        task.desire(RUNNING).stepTo(RUNNING);
        env.check(
                task.state() == RUNNING || task.state() == FAILED,
                "the task did not start: " + task.history());
        update(env, task, "while running");
        TaskState end = task.settle();
        env.check(
                end == FAILED && task.status().getContainer().getExitCode() == 3,
                "with updates the task ended "
                        + end
                        + " with exit code "
                        + task.status().getContainer().getExitCode()
                        + " instead of FAILED with 3");
        update(env, task, "after exit");
        CallResult<Void> exit =
                task.awaitTarget(PROMPTLY, "await after exit blocked after an update");
        OptionalInt code = exit.returned() ? OptionalInt.empty() : Causes.exitCode(exit.thrown());
        env.check(
                code.isPresent() && code.getAsInt() == 3,
                "after an update following the exit, await reported "
                        + (exit.returned() ? "a normal exit" : Causes.describe(exit.thrown()))
                        + " instead of exit code 3");
        task.removeAndClose();
    }

    private static void update(Env env, TaskDriver task, String when) throws Exception {
        Task same = task.task();
        CallResult<Void> result =
                task.run("Controller.update(equal task) " + when, c -> c.update(same));
        env.check(
                result.returned(),
                "update with an equal task " + when + " threw " + Causes.describe(result.thrown()));
    }

    private static void changedSpecRejected(Env env) throws Exception {
        env.requireCapability(Capability.UPDATE_REJECTION);
        TaskDriver task = env.resolved(env.workloads().exit(0));
        env.check(
                task.runTo(READY) == READY, "the task did not settle at READY: " + task.history());
        Task changed = task.taskWithSpec(env.workloads().exit(1));
        CallResult<Void> result =
                task.run("Controller.update(changed spec)", c -> c.update(changed));
        env.check(
                !result.returned()
                        && Causes.has(result.thrown(), TaskUpdateRejectedException.class),
                "an update changing the runtime spec of a prepared task must throw TaskUpdateRejectedException, but "
                        + (result.returned()
                                ? "it was accepted"
                                : "threw " + Causes.describe(result.thrown())));
        task.removeAndClose();
    }

    private record Call(String name, TaskDriver.ControllerAction action) {}
}

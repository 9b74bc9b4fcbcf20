package dev.taskexec.conformance.check;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.taskexec.api.Controller;
import dev.taskexec.api.Executor;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import dev.taskexec.core.Lifecycle;
import dev.taskexec.core.Resolution;
import dev.taskexec.core.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Drives one task the way swarmkit's agent does: resolve a controller with
 * {@link Lifecycle#resolve}, then call {@link Lifecycle#step} repeatedly, putting
 * each returned status back on the task before the next call. Every call has a
 * deadline, and every status is checked against the lifecycle invariants (the
 * state never moves backwards, terminal states absorb, nothing is REJECTED once
 * the task reached STARTING); a broken invariant fails the rule being checked.
 *
 * <p>Not thread-safe: one check drives a task from one thread, and an in-flight
 * step is handed back through {@link #stepAsync()} / {@link #finish}.
 */
@API(status = INTERNAL, since = "0.1")
public final class TaskDriver {

    /** At most this many steps to settle; a real lifecycle needs at most 8. */
    private static final int MAX_STEPS = 24;

    /** At most this many consecutive RETRY outcomes before the kit calls it a livelock. */
    private static final int MAX_RETRIES = 5;

    private final Env env;
    private final Executor executor;
    private Task task;
    private Controller controller;
    private final List<TaskState> history = new ArrayList<>();
    private boolean reachedStarting;
    private boolean cleaned;

    TaskDriver(Env env, Executor executor, Task task) {
        this.env = env;
        this.executor = executor;
        this.task = task;
        history.add(task.getStatus().getState());
    }

    /** The task as of the last step: its status is the last one the lifecycle returned. Does not block. */
    public Task task() {
        return task;
    }

    /** The task's last status; {@code task().getStatus()}. Does not block. */
    public TaskStatus status() {
        return task.getStatus();
    }

    /** The task's current state; {@code status().getState()}. Does not block. */
    public TaskState state() {
        return task.getStatus().getState();
    }

    /** Every state the task has been in, in order, the initial one included. */
    public List<TaskState> history() {
        return List.copyOf(history);
    }

    /** The executor this task is driven on; it is closed by the {@link Env} that made it, not here. */
    public Executor executor() {
        return executor;
    }

    /**
     * The task's controller.
     *
     * @throws RuleViolation if the task was not resolved to a controller
     */
    public Controller controller() {
        if (controller == null) {
            throw env.violation(
                    "no controller: the task was not resolved (state "
                            + state()
                            + ", err '"
                            + status().getErr()
                            + "')");
        }
        return controller;
    }

    /** Sets the desired state, as a task update from the orchestrator would. */
    public TaskDriver desire(TaskState desired) {
        task = task.toBuilder().setDesiredState(desired).build();
        return this;
    }

    /** Replaces the task's spec (keeping status and desired state), for update checks. */
    public Task taskWithSpec(dev.taskexec.api.proto.TaskSpec spec) {
        return task.toBuilder().setSpec(spec).build();
    }

    /** Resolves the controller with {@link Lifecycle#resolve} and applies the status. */
    public Resolution resolve() throws Exception {
        Resolution resolution =
                Calls.within(
                        env.rule(),
                        "Lifecycle.resolve (Executor.controller)",
                        env.callTimeout(),
                        () -> Lifecycle.resolve(task, executor));
        if (resolution == null) {
            throw env.violation("Lifecycle.resolve returned null");
        }
        controller = resolution.controller();
        apply(resolution.status());
        return resolution;
    }

    /**
     * Resolves and fails the rule if that did not give a controller.
     *
     * @throws RuleViolation if the executor refused the task
     */
    public TaskDriver resolveOrFail() throws Exception {
        Resolution resolution = resolve();
        if (!resolution.resolved() || controller == null) {
            throw env.violation(
                    "Executor.controller refused a valid task: "
                            + (resolution.failure() == null
                                    ? "no controller"
                                    : resolution.failure()),
                    resolution.failure());
        }
        return this;
    }

    /** One {@link Lifecycle#step}, with the call deadline; applies the returned status. */
    public Step step() throws Exception {
        return step(env.callTimeout());
    }

    /** One {@link Lifecycle#step} with a specific deadline; applies the returned status. */
    public Step step(Duration limit) throws Exception {
        Controller target = controller();
        Task current = task;
        Step step =
                Calls.within(
                        env.rule(),
                        "Lifecycle.step at "
                                + current.getStatus().getState()
                                + " (desired "
                                + current.getDesiredState()
                                + ")",
                        limit,
                        () -> Lifecycle.step(current, target));
        return applyStep(step);
    }

    /** Starts one step on a kit thread and returns it in flight; hand it to {@link #finish}. */
    public InFlight<Step> stepAsync() {
        Controller target = controller();
        Task current = task;
        return InFlight.start(
                "Lifecycle.step at "
                        + current.getStatus().getState()
                        + " (desired "
                        + current.getDesiredState()
                        + ")",
                () -> Lifecycle.step(current, target));
    }

    /**
     * Waits for a step started with {@link #stepAsync()} and applies its status.
     *
     * @throws RuleViolation if it does not end within {@code limit}, or if step threw
     */
    public Step finish(InFlight<Step> inFlight, Duration limit) throws Exception {
        CallResult<Step> result = Calls.finish(env.rule(), inFlight, limit);
        if (!result.returned()) {
            throw env.violation("Lifecycle.step threw " + result.thrown(), result.thrown());
        }
        return applyStep(result.value());
    }

    /**
     * Steps until the lifecycle reports NOOP, and returns the state reached.
     *
     * @throws RuleViolation if it does not settle within a bounded number of steps
     */
    public TaskState settle() throws Exception {
        int retries = 0;
        for (int i = 0; i < MAX_STEPS; i++) {
            Step step = step();
            switch (step.outcome()) {
                case NOOP -> {
                    return state();
                }
                case RETRY -> {
                    if (++retries > MAX_RETRIES) {
                        throw env.violation(
                                "the task keeps retrying at "
                                        + state()
                                        + ": err '"
                                        + status().getErr()
                                        + "'");
                    }
                }
                case PROGRESSED -> retries = 0;
            }
        }
        throw env.violation(
                "the task did not settle within " + MAX_STEPS + " steps; states " + history);
    }

    /** Sets the desired state and settles. */
    public TaskState runTo(TaskState desired) throws Exception {
        desire(desired);
        return settle();
    }

    /**
     * Steps until the state is at least {@code state} or the lifecycle reports NOOP.
     * Used to stop at RUNNING without waiting for the workload to exit: the step
     * that reaches RUNNING (start) returns before the one that would wait.
     */
    public TaskState stepTo(TaskState state) throws Exception {
        int retries = 0;
        for (int i = 0; i < MAX_STEPS && state().getNumber() < state.getNumber(); i++) {
            Step step = step();
            if (step.outcome() == Step.Outcome.NOOP) {
                break;
            }
            if (step.outcome() == Step.Outcome.RETRY && ++retries > MAX_RETRIES) {
                throw env.violation(
                        "the task keeps retrying at "
                                + state()
                                + ": err '"
                                + status().getErr()
                                + "'");
            }
        }
        return state();
    }

    /** Resolves and steps until RUNNING, failing the rule if it ends anywhere else. */
    public TaskDriver startRunning() throws Exception {
        if (controller == null) {
            resolveOrFail();
        }
        TaskState reached = stepTo(TaskState.RUNNING);
        if (reached != TaskState.RUNNING) {
            throw env.violation(
                    "expected the task to reach RUNNING but it is "
                            + reached
                            + " (err '"
                            + status().getErr()
                            + "', states "
                            + history
                            + ")");
        }
        return this;
    }

    /**
     * Waits until a {@code runUntilStopped} or {@code ignoreStopSignal} workload has
     * written {@link dev.taskexec.conformance.Workloads#READY}, so that a stop signal
     * cannot land before the workload's handler exists. Reads the logs when the backend
     * offers them (up to 5 s); otherwise it cannot observe readiness and gives the
     * workload half a second, the one place the kit waits on time rather than on an event.
     */
    public TaskDriver awaitReady() throws Exception {
        Controller target = controller();
        if (env.subject().capabilities().contains(dev.taskexec.conformance.Capability.LOGS)
                && target instanceof dev.taskexec.api.ControllerLogs logs) {
            java.util.concurrent.atomic.AtomicBoolean ready =
                    new java.util.concurrent.atomic.AtomicBoolean();
            dev.taskexec.api.proto.LogSubscriptionOptions follow =
                    dev.taskexec.api.proto.LogSubscriptionOptions.newBuilder()
                            .setFollow(true)
                            .build();
            InFlight<Void> reading =
                    InFlight.start(
                            "ControllerLogs.logs(follow) for the ready line",
                            () -> {
                                logs.logs(
                                        message -> {
                                            if (message.getData()
                                                    .toStringUtf8()
                                                    .contains(
                                                            dev.taskexec.conformance.Workloads
                                                                    .READY)) {
                                                ready.set(true);
                                                throw new ReadyLineSeen();
                                            }
                                        },
                                        follow);
                            });
            Poll.until(Duration.ofSeconds(5), ready::get, seen -> seen || reading.isDone());
            if (!reading.isDone()) {
                reading.interrupt();
            }
            try {
                reading.await(Duration.ofSeconds(2));
            } catch (java.util.concurrent.TimeoutException ignored) {
                // CX-4 judges a follow that ignores interruption; here it only delays.
            }
            if (ready.get()) {
                return this;
            }
        }
        Thread.sleep(500);
        return this;
    }

    /**
     * Runs a controller call with a specific deadline; returns how it ended without rethrowing.
     *
     * @throws RuleViolation if it did not return within {@code limit} (it is interrupted and left)
     * @throws InterruptedException if interrupted while waiting for it
     */
    public <T> CallResult<T> call(String what, Duration limit, ControllerCall<T> call)
            throws InterruptedException {
        Controller target = controller();
        return Calls.outcome(env.rule(), what, limit, () -> call.apply(target));
    }

    /**
     * Runs a controller call that returns nothing with the kit's call deadline; returns how it
     * ended without rethrowing.
     *
     * @throws RuleViolation if it did not return in time (it is interrupted and left)
     * @throws InterruptedException if interrupted while waiting for it
     */
    public CallResult<Void> run(String what, ControllerAction action) throws InterruptedException {
        return run(what, env.callTimeout(), action);
    }

    /**
     * Runs a controller call that returns nothing with a specific deadline; returns how it ended
     * without rethrowing.
     *
     * @throws RuleViolation if it did not return within {@code limit} (it is interrupted and left)
     * @throws InterruptedException if interrupted while waiting for it
     */
    public CallResult<Void> run(String what, Duration limit, ControllerAction action)
            throws InterruptedException {
        Controller target = controller();
        return Calls.outcome(env.rule(), what, limit, () -> action.apply(target));
    }

    /** Runs a void controller call with the deadline; fails the rule if it throws. */
    public void mustSucceed(String what, ControllerAction action) throws Exception {
        CallResult<Void> result = run(what, action);
        if (!result.returned()) {
            throw env.violation(what + " threw " + result.thrown(), result.thrown());
        }
    }

    /**
     * Calls {@code await} directly (as the agent does after an interrupted step) and
     * waits up to {@code limit} for it.
     *
     * @throws RuleViolation with {@code ifStillRunning} if it did not return in time
     */
    public CallResult<Void> awaitTarget(Duration limit, String ifStillRunning)
            throws InterruptedException {
        Controller target = controller();
        InFlight<Void> call = InFlight.start("Controller.await()", target::await);
        try {
            return call.await(limit);
        } catch (java.util.concurrent.TimeoutException e) {
            call.interrupt();
            throw env.violation(ifStillRunning);
        }
    }

    /** Removes and closes the controller with deadlines, failing the rule if either throws. */
    public void removeAndClose() throws Exception {
        mustSucceed("Controller.remove()", Controller::remove);
        mustSucceed("Controller.close()", Controller::close);
        cleaned = true;
    }

    /**
     * {@link #removeAndClose()}, then, when the subject has a {@link dev.taskexec.conformance.ResourceProbe}
     * that inspects, fails the rule if the probe still sees anything of the task: the rules that
     * kill a workload (LC-4, LC-6, LC-10, EX-3, CX-3) check that nothing of it survived.
     */
    public void removeAndCloseReleased() throws Exception {
        removeAndClose();
        if (env.subject().probe().inspects()) {
            ResourceChecks.expectReleased(
                    env, task, "after the stopped task was removed and closed");
        }
    }

    /** Marks the task as cleaned up by the check itself. */
    public void markCleaned() {
        cleaned = true;
    }

    /**
     * Best-effort clean-up after a check: terminate, remove, close, each with a
     * short deadline, ignoring failures.
     */
    void cleanUp() {
        if (cleaned || controller == null) {
            return;
        }
        cleaned = true;
        Duration limit = env.callTimeout();
        for (ControllerAction action :
                List.<ControllerAction>of(
                        Controller::terminate, Controller::remove, Controller::close)) {
            try {
                Calls.outcome(env.rule(), "clean-up", limit, () -> action.apply(controller));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error ignored) {
                // Best effort: the check's verdict is already made.
            }
        }
    }

    private Step applyStep(Step step) {
        if (step == null) {
            throw env.violation("Lifecycle.step returned null");
        }
        apply(step.status());
        return step;
    }

    private void apply(TaskStatus next) {
        if (next == null) {
            throw env.violation("the lifecycle returned a null status");
        }
        TaskState before = state();
        TaskState after = next.getState();
        if (after.getNumber() < before.getNumber()) {
            throw env.violation(
                    "lifecycle invariant: the state moved backwards from "
                            + before
                            + " to "
                            + after
                            + " (states "
                            + history
                            + ")");
        }
        if (isTerminal(before) && after != before) {
            throw env.violation(
                    "lifecycle invariant: terminal state " + before + " changed to " + after);
        }
        if (reachedStarting && after == TaskState.REJECTED) {
            throw env.violation(
                    "lifecycle invariant: REJECTED after the task reached STARTING (states "
                            + history
                            + ", err '"
                            + next.getErr()
                            + "')");
        }
        if (after.getNumber() >= TaskState.STARTING.getNumber() && after != TaskState.REJECTED) {
            reachedStarting = true;
        }
        task = task.toBuilder().setStatus(next).build();
        if (after != before) {
            history.add(after);
        }
    }

    /** COMPLETE, SHUTDOWN, FAILED, REJECTED and beyond. */
    public static boolean isTerminal(TaskState state) {
        return state.getNumber() >= TaskState.COMPLETE.getNumber();
    }

    /** Ends the log subscription that waited for the ready line. */
    private static final class ReadyLineSeen extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReadyLineSeen() {
            super("the ready line was seen", null, false, false);
        }
    }

    /** A controller call that returns a value. */
    @FunctionalInterface
    public interface ControllerCall<T> {
        T apply(Controller controller) throws Exception;
    }

    /** A controller call that returns nothing. */
    @FunctionalInterface
    public interface ControllerAction {
        void apply(Controller controller) throws Exception;
    }
}

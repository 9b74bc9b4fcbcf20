package dev.taskexec.core;

import static dev.taskexec.core.FakeTasks.desired;
import static dev.taskexec.core.FakeTasks.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.Errors;
import dev.taskexec.api.proto.Meta;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import dev.taskexec.executor.fake.Call;
import dev.taskexec.executor.fake.CallRecord;
import dev.taskexec.executor.fake.FakeController;
import dev.taskexec.executor.fake.FakeExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class TaskRunnerTest {

    private final FakeExecutor fake = FakeExecutor.create();
    private final TrackingThreads threads = new TrackingThreads();
    private final RecordingSleeper sleeper = RecordingSleeper.immediate();
    private final RecordingReporter reporter = new RecordingReporter();
    private final List<TaskRunner> runners = new ArrayList<>();

    private RunnerOptions options(Sleeper sleeper) {
        return RunnerOptions.defaults()
                .withBackoff(new BackoffPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0))
                .withRandom(BackoffPolicyTest.fixed(0.5))
                .withSleeper(sleeper)
                .withThreadFactory(threads);
    }

    /** Resolves the task on the fake, as the worker would, and starts a runner on it. */
    private TaskRunner start(Task task, StatusReporter reporter, Sleeper sleeper) {
        Resolution resolution = Lifecycle.resolve(task, fake);
        assertTrue(resolution.resolved(), () -> "resolution failed: " + resolution.failure());
        TaskRunner runner =
                TaskRunner.start(
                        task.toBuilder().setStatus(resolution.status()).build(),
                        resolution.controller(),
                        reporter,
                        options(sleeper));
        runners.add(runner);
        return runner;
    }

    private FakeController controllerOf(String taskId) {
        List<FakeController> made = fake.controllers(taskId);
        assertEquals(1, made.size(), "controllers made for " + taskId);
        return made.get(0);
    }

    private static boolean awaitInProgress(FakeController controller) {
        List<CallRecord> calls = controller.calls();
        return !calls.isEmpty()
                && calls.get(calls.size() - 1).call() == Call.AWAIT
                && calls.get(calls.size() - 1).outcome() == CallRecord.Outcome.IN_PROGRESS;
    }

    private static long count(FakeController controller, Call call) {
        return controller.callSequence().stream().filter(c -> c == call).count();
    }

    @AfterEach
    void closeEverything() {
        runners.forEach(TaskRunner::close);
        fake.controllers().forEach(FakeController::close);
        assertEquals(List.of(), threads.alive(), "threads left running");
    }

    @Test
    void runsATaskToCompletionReportingEveryStateOnce() {
        TaskRunner runner = start(task("t1", TaskState.RUNNING), reporter, sleeper);
        reporter.awaitState("t1", TaskState.COMPLETE);
        assertEquals(
                List.of(
                        TaskState.PREPARING,
                        TaskState.READY,
                        TaskState.STARTING,
                        TaskState.RUNNING,
                        TaskState.COMPLETE),
                reporter.states("t1"));
        assertEquals(TaskState.COMPLETE, runner.status().getState());
        assertEquals(TaskState.COMPLETE, runner.task().getStatus().getState());
    }

    @Test
    void raisingTheDesiredStateInterruptsABlockingAwaitAndActsAtOnce() {
        Task task = task("t1", TaskState.RUNNING, "after=never");
        // A blocking sleeper: had the runner backed off after the interrupted await, it would
        // stall here and the test would time out waiting for SHUTDOWN.
        RecordingSleeper blocking = RecordingSleeper.blocking();
        TaskRunner runner = start(task, reporter, blocking);
        FakeController controller = controllerOf("t1");
        reporter.awaitState("t1", TaskState.RUNNING);
        Eventually.until(
                () -> awaitInProgress(controller), () -> "await to block: " + controller.calls());

        assertTrue(runner.update(desired(task, TaskState.SHUTDOWN)));
        reporter.awaitState("t1", TaskState.SHUTDOWN);

        List<CallRecord> calls = controller.calls();
        CallRecord await =
                calls.stream().filter(c -> c.call() == Call.AWAIT).findFirst().orElseThrow();
        assertEquals(CallRecord.Outcome.FAILED, await.outcome(), calls::toString);
        assertTrue(
                Errors.find(await.failure(), InterruptedException.class).isPresent(),
                () -> "await should end by interruption: " + await);
        assertEquals(
                List.of(Call.PREPARE, Call.START, Call.AWAIT, Call.UPDATE, Call.SHUTDOWN),
                controller.callSequence(),
                "the controller gets the update before the shutdown");
        assertEquals(TaskState.SHUTDOWN, controller.task().getDesiredState());
        assertEquals(
                List.of(), blocking.delays(), "an interruption by an update is not backed off");
        assertEquals(TaskState.SHUTDOWN, runner.status().getState());
    }

    @Test
    void anUpdateThatChangesNothingRelevantInterruptsNothing() {
        Task task = task("t1", TaskState.RUNNING, "after=never");
        TaskRunner runner = start(task, reporter, sleeper);
        FakeController controller = controllerOf("t1");
        Eventually.until(
                () -> awaitInProgress(controller), () -> "await to block: " + controller.calls());

        Task sameButStatusAndMeta =
                task.toBuilder()
                        .setStatus(
                                TaskStatus.newBuilder().setState(TaskState.FAILED).setErr("stale"))
                        .setMeta(
                                Meta.newBuilder()
                                        .setVersion(
                                                dev.taskexec.api.proto.Version.newBuilder()
                                                        .setIndex(7)))
                        .build();
        assertFalse(runner.update(sameButStatusAndMeta), "status and meta do not count");
        assertFalse(
                runner.update(desired(task, TaskState.READY)), "a lower desired state is ignored");
        assertFalse(
                runner.update(task("other", TaskState.SHUTDOWN)),
                "another task's update is ignored");

        // update() interrupts synchronously when it accepts, so the await would already be over.
        assertTrue(awaitInProgress(controller), controller.calls()::toString);
        assertEquals(List.of(Call.PREPARE, Call.START, Call.AWAIT), controller.callSequence());
        assertEquals(TaskState.RUNNING, runner.status().getState());
    }

    @Test
    void retriesBackOffExponentiallyWithFullJitter() {
        start(
                task(
                        "t1",
                        TaskState.RUNNING,
                        "start=temporary:busy,temporary:busy,temporary:busy,temporary:busy,temporary:busy,ok"),
                reporter,
                sleeper);
        reporter.awaitState("t1", TaskState.COMPLETE);

        // jitter fixed at one half of 100ms x 2^n, capped at 1s
        assertEquals(
                List.of(
                        Duration.ofMillis(50),
                        Duration.ofMillis(100),
                        Duration.ofMillis(200),
                        Duration.ofMillis(400),
                        Duration.ofMillis(500)),
                sleeper.delays());
        assertEquals(6, count(controllerOf("t1"), Call.START));
        List<TaskStatus> statuses = reporter.statuses("t1");
        assertTrue(
                statuses.stream()
                        .anyMatch(
                                s ->
                                        s.getState() == TaskState.STARTING
                                                && s.getErr().equals("busy")),
                () -> "the temporary failure is reported on the status: " + statuses);
    }

    @Test
    void anUpdateCutsABackoffShort() {
        Task task = task("t1", TaskState.RUNNING, "start=temporary:busy");
        RecordingSleeper blocking = RecordingSleeper.blocking();
        TaskRunner runner = start(task, reporter, blocking);
        Eventually.until(() -> blocking.delays().size() == 1, () -> "the first backoff");

        assertTrue(runner.update(desired(task, TaskState.SHUTDOWN)));
        reporter.awaitState("t1", TaskState.SHUTDOWN);
        assertEquals(1, blocking.delays().size(), "no second backoff");
    }

    @Test
    void aReporterThatThrowsDoesNotStopTheTask() {
        List<TaskState> attempted = new java.util.concurrent.CopyOnWriteArrayList<>();
        TaskRunner runner =
                start(
                        task("t1", TaskState.RUNNING),
                        (id, status) -> {
                            attempted.add(status.getState());
                            if (status.getState() == TaskState.READY) {
                                throw new Exception("checked failure");
                            }
                            throw new IllegalStateException("unchecked failure");
                        },
                        sleeper);
        Eventually.until(() -> runner.status().getState() == TaskState.COMPLETE, () -> "COMPLETE");
        assertEquals(
                List.of(
                        TaskState.PREPARING,
                        TaskState.READY,
                        TaskState.STARTING,
                        TaskState.RUNNING,
                        TaskState.COMPLETE),
                attempted);
    }

    @Test
    void aReporterThatBlocksStallsOnlyItsOwnTaskAndCloseEndsIt() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        TaskRunner stuck =
                start(
                        task("stuck", TaskState.RUNNING),
                        (id, status) -> {
                            entered.countDown();
                            never.await(); // ends only by interruption
                        },
                        sleeper);
        assertTrue(entered.await(20, TimeUnit.SECONDS));

        start(task("free", TaskState.RUNNING), reporter, sleeper);
        reporter.awaitState("free", TaskState.COMPLETE);
        assertEquals(
                TaskState.PREPARING,
                stuck.status().getState(),
                "the stuck task waits on its reporter");

        CompletableFuture<Void> closing = CompletableFuture.runAsync(stuck::close);
        closing.get(20, TimeUnit.SECONDS);
        assertTrue(stuck.isTerminated());
    }

    @Test
    void closeInterruptsTheOperationAndLeavesNoThread() {
        Task task = task("t1", TaskState.RUNNING, "after=never");
        TaskRunner runner = start(task, reporter, sleeper);
        FakeController controller = controllerOf("t1");
        Eventually.until(
                () -> awaitInProgress(controller), () -> "await to block: " + controller.calls());
        assertEquals(1, threads.alive("taskexec-task-t1"));

        runner.close();
        assertTrue(runner.isTerminated());
        assertEquals(0, threads.alive("taskexec-task-"));
        assertFalse(awaitInProgress(controller), "await was interrupted");
        assertFalse(controller.isClosed(), "the runner does not own the controller");
        assertFalse(
                runner.update(desired(task, TaskState.SHUTDOWN)),
                "updates after close are ignored");
        runner.close(); // idempotent
        assertEquals(TaskState.RUNNING, runner.status().getState());
    }

    @Test
    void argumentsAreChecked() {
        Resolution resolution = Lifecycle.resolve(task("t1", TaskState.RUNNING), fake);
        var empty =
                org.junit.jupiter.api.Assertions.assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                TaskRunner.start(
                                        task("", TaskState.RUNNING),
                                        resolution.controller(),
                                        reporter));
        assertTrue(empty.getMessage().contains("id"), empty.getMessage());
        assertInstanceOf(
                NullPointerException.class,
                org.junit.jupiter.api.Assertions.assertThrows(
                        NullPointerException.class,
                        () -> TaskRunner.start(null, resolution.controller(), reporter)));
    }
}

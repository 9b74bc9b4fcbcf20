package dev.taskexec.core;

import static dev.taskexec.core.FakeTasks.desired;
import static dev.taskexec.core.FakeTasks.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.proto.LogMessage;
import dev.taskexec.api.proto.LogSelector;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import dev.taskexec.executor.fake.Call;
import dev.taskexec.executor.fake.FakeController;
import dev.taskexec.executor.fake.FakeExecutor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class WorkerTest {

    private static final List<TaskState> TO_COMPLETE =
            List.of(
                    TaskState.ACCEPTED,
                    TaskState.PREPARING,
                    TaskState.READY,
                    TaskState.STARTING,
                    TaskState.RUNNING,
                    TaskState.COMPLETE);

    private final FakeExecutor fake = FakeExecutor.create();
    private final TrackingThreads threads = new TrackingThreads();
    private final RecordingSleeper sleeper = RecordingSleeper.immediate();
    private final Worker worker =
            Worker.create(
                    fake,
                    RunnerOptions.defaults()
                            .withBackoff(
                                    new BackoffPolicy(
                                            Duration.ofMillis(100), Duration.ofSeconds(1), 2.0))
                            .withRandom(BackoffPolicyTest.fixed(0.5))
                            .withSleeper(sleeper)
                            .withThreadFactory(threads));

    @AfterEach
    void closeEverything() {
        worker.close();
        assertEquals(List.of(), threads.alive(), "threads left running after close");
        for (FakeController controller : fake.controllers()) {
            assertTrue(controller.isClosed(), () -> controller + " left open by close");
            assertEquals(
                    1, count(controller, Call.CLOSE), () -> controller + " closed more than once");
        }
    }

    private static long count(FakeController controller, Call call) {
        return controller.callSequence().stream().filter(c -> c == call).count();
    }

    private FakeController controllerOf(String taskId) {
        List<FakeController> made = fake.controllers(taskId);
        assertEquals(1, made.size(), "controllers made for " + taskId);
        return made.get(0);
    }

    private void awaitState(String taskId, TaskState state) {
        Eventually.until(
                () -> worker.status(taskId).map(s -> s.getState() == state).orElse(false),
                () -> taskId + " to be " + state + ", is " + worker.status(taskId));
    }

    @Test
    void assignRunsNewTasksAndAListenerSeesEveryStatusInOrder() {
        RecordingReporter listener = new RecordingReporter();
        worker.listen(listener);
        worker.assign(List.of(task("a", TaskState.RUNNING), task("b", TaskState.RUNNING)));
        listener.awaitState("a", TaskState.COMPLETE);
        listener.awaitState("b", TaskState.COMPLETE);
        assertEquals(TO_COMPLETE, listener.states("a"));
        assertEquals(TO_COMPLETE, listener.states("b"));
        assertEquals(TaskState.COMPLETE, worker.status("a").orElseThrow().getState());
        assertEquals(List.of("a", "b"), List.copyOf(worker.statuses().keySet()));
    }

    @Test
    void aFailedResolutionIsReportedAndTheTaskGetsNoRunner() {
        RecordingReporter listener = new RecordingReporter();
        worker.listen(listener);
        worker.assign(List.of(task("bad", TaskState.RUNNING, "no-such-word")));
        listener.awaitState("bad", TaskState.REJECTED);
        TaskStatus status = worker.status("bad").orElseThrow();
        assertEquals(TaskState.REJECTED, status.getState());
        assertTrue(status.getErr().contains("no-such-word"), status::toString);
        assertEquals(0, threads.alive("taskexec-task-"), "no runner for an unresolved task");

        worker.assign(
                List.of(
                        desired(
                                task("bad", TaskState.RUNNING, "no-such-word"),
                                TaskState.SHUTDOWN)));
        assertEquals(
                TaskState.REJECTED,
                worker.status("bad").orElseThrow().getState(),
                "updates are ignored");
        worker.assign(List.of());
        assertTrue(worker.status("bad").isEmpty(), "a removed task is forgotten");
    }

    @Test
    void aRemovedTaskIsShutDownRemovedAndClosedExactlyOnce() throws Exception {
        worker.assign(
                List.of(
                        task("running", TaskState.RUNNING, "after=never"),
                        task("done", TaskState.RUNNING)));
        awaitState("running", TaskState.RUNNING);
        awaitState("done", TaskState.COMPLETE);

        worker.assign(List.of());
        assertTrue(worker.statuses().isEmpty());
        assertTrue(worker.awaitCleanup(Duration.ofSeconds(20)));

        FakeController running = controllerOf("running");
        assertEquals(
                List.of(1L, 1L, 1L),
                List.of(
                        count(running, Call.SHUTDOWN),
                        count(running, Call.REMOVE),
                        count(running, Call.CLOSE)),
                running.callSequence()::toString);
        FakeController done = controllerOf("done");
        assertEquals(
                List.of(0L, 1L, 1L),
                List.of(
                        count(done, Call.SHUTDOWN),
                        count(done, Call.REMOVE),
                        count(done, Call.CLOSE)),
                done.callSequence()::toString);
        assertEquals(List.of(), fake.leaks());
        assertEquals(
                List.of("taskexec-status-writer"),
                threads.alive(),
                "no runner or clean-up thread; the worker's one status thread lives until close");
    }

    @Test
    void anIncrementalUpdateAddsUpdatesAndRemovesOnlyWhatItNames() throws Exception {
        Task keep = task("keep", TaskState.RUNNING, "after=never");
        worker.assign(List.of(keep, task("drop", TaskState.RUNNING, "after=never")));
        awaitState("keep", TaskState.RUNNING);
        awaitState("drop", TaskState.RUNNING);

        worker.update(List.of(task("new", TaskState.RUNNING)), List.of("drop", "unknown"));
        awaitState("new", TaskState.COMPLETE);
        assertTrue(worker.awaitCleanup(Duration.ofSeconds(20)));
        assertEquals(List.of("keep", "new"), List.copyOf(worker.statuses().keySet()));
        assertTrue(controllerOf("drop").isRemoved());
        assertFalse(controllerOf("keep").isRemoved());

        worker.update(List.of(desired(keep, TaskState.SHUTDOWN)), List.of());
        awaitState("keep", TaskState.SHUTDOWN);
    }

    @Test
    void cleanUpFailuresAreRetriedABoundedNumberOfTimes() throws Exception {
        worker.assign(
                List.of(
                        task(
                                "flaky",
                                TaskState.RUNNING,
                                "after=never",
                                "remove=fail:disk,fail:disk,ok"),
                        task("broken", TaskState.RUNNING, "after=never", "remove=fail:stuck")));
        awaitState("flaky", TaskState.RUNNING);
        awaitState("broken", TaskState.RUNNING);

        worker.assign(List.of());
        assertTrue(worker.awaitCleanup(Duration.ofSeconds(20)));

        FakeController flaky = controllerOf("flaky");
        assertEquals(3, count(flaky, Call.REMOVE));
        assertTrue(flaky.isRemoved());
        assertEquals(1, count(flaky, Call.CLOSE));
        FakeController broken = controllerOf("broken");
        assertEquals(Worker.CLEANUP_ATTEMPTS, count(broken, Call.REMOVE));
        assertFalse(broken.isRemoved());
        assertEquals(1, count(broken, Call.CLOSE), "closed even when remove gave up");
        // two waits for flaky, two for broken, from the injected backoff
        assertEquals(
                List.of(
                        Duration.ofMillis(50),
                        Duration.ofMillis(50),
                        Duration.ofMillis(100),
                        Duration.ofMillis(100)),
                sleeper.delays().stream().sorted().toList());
    }

    @Test
    void listenersThatThrowOrBlockStallNeitherTasksNorOtherListeners() throws Exception {
        AtomicInteger thrown = new AtomicInteger();
        worker.listen(
                (id, status) -> {
                    thrown.incrementAndGet();
                    throw new IllegalStateException("listener bug");
                });
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        ListenerHandle blocking =
                worker.listen(
                        (id, status) -> {
                            blocked.countDown();
                            never.await(); // ends only by interruption
                        });
        RecordingReporter healthy = new RecordingReporter();
        worker.listen(healthy);

        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            tasks.add(task("t" + i, TaskState.RUNNING));
        }
        worker.assign(tasks);
        assertTrue(blocked.await(20, TimeUnit.SECONDS));
        Eventually.until(
                () -> healthy.tasksThatSaw(TaskState.COMPLETE) == 50,
                () -> healthy.tasksThatSaw(TaskState.COMPLETE) + " of 50 complete");
        for (int i = 0; i < 50; i++) {
            assertEquals(TO_COMPLETE, healthy.states("t" + i));
        }
        // the throwing listener runs on its own thread and is slowed by logging each failure
        Eventually.until(
                () -> thrown.get() == 50 * TO_COMPLETE.size(),
                () -> "the throwing listener to get every status; got " + thrown.get());
        assertTrue(blocking.backlog() > 0, "the blocked listener fell behind alone");

        CompletableFuture.runAsync(blocking::close).get(20, TimeUnit.SECONDS);
        assertTrue(blocking.isClosed());
    }

    @Test
    void listenReplaysTheLatestStatusesThenStreamsChangesUntilClosed() {
        Task a = task("a", TaskState.RUNNING, "after=never");
        Task b = task("b", TaskState.RUNNING, "after=never");
        worker.assign(List.of(a, b));
        awaitState("a", TaskState.RUNNING);
        awaitState("b", TaskState.RUNNING);

        RecordingReporter listener = new RecordingReporter();
        ListenerHandle handle = worker.listen(listener);
        Eventually.until(() -> listener.order().size() == 2, () -> listener.order().toString());
        assertEquals(List.of("a:RUNNING", "b:RUNNING"), listener.order());

        worker.assign(List.of(desired(a, TaskState.SHUTDOWN), b));
        listener.awaitState("a", TaskState.SHUTDOWN);
        assertEquals(List.of(TaskState.RUNNING, TaskState.SHUTDOWN), listener.states("a"));

        handle.close();
        worker.assign(List.of(desired(a, TaskState.SHUTDOWN), desired(b, TaskState.SHUTDOWN)));
        awaitState("b", TaskState.SHUTDOWN);
        assertEquals(List.of(TaskState.RUNNING), listener.states("b"), "nothing after close");
    }

    @Test
    void aThousandTasksAssignedThenUnassignedLeaveNoRunnerThreadOrController() throws Exception {
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            tasks.add(task("t" + i, TaskState.RUNNING, "after=never"));
        }
        worker.assign(tasks);
        Eventually.until(
                () ->
                        worker.statuses().values().stream()
                                        .filter(s -> s.getState() == TaskState.RUNNING)
                                        .count()
                                == 1_000,
                () -> "1,000 tasks RUNNING");
        assertEquals(1_000, threads.alive("taskexec-task-"));

        worker.assign(List.of());
        assertTrue(worker.awaitCleanup(Duration.ofSeconds(60)));
        assertEquals(Map.of(), worker.statuses());
        assertEquals(
                List.of("taskexec-status-writer"),
                threads.alive(),
                "no runner or clean-up thread; the worker's one status thread lives until close");
        assertEquals(1_000, fake.controllers().size());
        for (FakeController controller : fake.controllers()) {
            assertTrue(controller.isRemoved() && controller.isClosed(), controller::toString);
            assertEquals(1, count(controller, Call.REMOVE), controller.callSequence()::toString);
            assertEquals(1, count(controller, Call.CLOSE), controller.callSequence()::toString);
        }
        assertEquals(List.of(), fake.leaks());
    }

    @Test
    void logsOfMatchingTasksAreStreamedOnce() throws Exception {
        worker.assign(
                List.of(
                        task("a", TaskState.RUNNING, "stdout=from-a"),
                        task("b", TaskState.RUNNING, "stdout=from-b"),
                        task("x", TaskState.RUNNING, "stdout=from-x").toBuilder()
                                .setServiceId("other")
                                .build()));
        awaitState("a", TaskState.COMPLETE);
        awaitState("b", TaskState.COMPLETE);
        awaitState("x", TaskState.COMPLETE);

        List<String> lines = new CopyOnWriteArrayList<>();
        LogSubscription subscription =
                worker.subscribeLogs(
                        LogSelector.newBuilder().addServiceIds("svc").build(),
                        LogSubscriptionOptions.getDefaultInstance(),
                        message -> lines.add(text(message)));
        assertTrue(subscription.await(Duration.ofSeconds(20)));
        assertEquals(List.of("from-a", "from-b"), lines.stream().sorted().toList());

        LogSubscription none =
                worker.subscribeLogs(
                        LogSelector.getDefaultInstance(),
                        LogSubscriptionOptions.getDefaultInstance(),
                        message -> lines.add(text(message)));
        assertTrue(none.isDone(), "an empty selector matches nothing");
    }

    @Test
    void aFollowingLogSubscriptionPicksUpNewTasksUntilClosed() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        LogSubscription subscription =
                worker.subscribeLogs(
                        LogSelector.newBuilder().addTaskIds("later").build(),
                        LogSubscriptionOptions.newBuilder().setFollow(true).build(),
                        message -> lines.add(text(message)));
        worker.assign(
                List.of(
                        task("later", TaskState.RUNNING, "stdout=hello", "after=never"),
                        task("unrelated", TaskState.RUNNING, "stdout=nope")));
        Eventually.until(
                () -> lines.contains("hello"), () -> "the follower to see hello: " + lines);
        assertFalse(subscription.isDone());
        subscription.close();
        assertTrue(subscription.await(Duration.ofSeconds(20)));
        assertEquals(List.of("hello"), lines);
        assertEquals(0, threads.alive("taskexec-logs-"));
    }

    @Test
    void aFollowedTaskThatIsRemovedHasItsStreamEnded() throws Exception {
        worker.assign(List.of(task("a", TaskState.RUNNING, "stdout=one", "after=never")));
        awaitState("a", TaskState.RUNNING);
        List<String> lines = new CopyOnWriteArrayList<>();
        LogSubscription subscription =
                worker.subscribeLogs(
                        LogSelector.newBuilder().addTaskIds("a").build(),
                        LogSubscriptionOptions.newBuilder().setFollow(true).build(),
                        message -> lines.add(text(message)));
        Eventually.until(() -> lines.contains("one"), () -> "the follower to see one: " + lines);
        assertEquals(1, threads.alive("taskexec-logs-a"));

        worker.assign(List.of());
        assertTrue(worker.awaitCleanup(Duration.ofSeconds(20)));
        Eventually.until(
                () -> threads.alive("taskexec-logs-") == 0,
                () -> "the stream of a removed task to end");
        assertFalse(subscription.isDone(), "a follower stays open for tasks to come");
        subscription.close();
        assertTrue(subscription.isDone());
    }

    @Test
    void anInterruptedCloseStillStoresEveryStatusTheRunnersReported() throws Exception {
        // The store holds the first runner status (PREPARING) until released, so the statuses the
        // runner reports after it wait in the status writer's queue while close runs.
        CountDownLatch release = new CountDownLatch(1);
        TaskStore memory = TaskStore.inMemory();
        TaskStore slow = new HeldStatusStore(memory, TaskState.PREPARING, release);
        Worker stored =
                Worker.open(fake, slow, RunnerOptions.defaults().withThreadFactory(threads));
        stored.assign(List.of(task("q", TaskState.RUNNING, "after=never")));
        // START is called after the runner reported READY and STARTING: both are queued now
        Eventually.until(
                () ->
                        fake.controllers("q").size() == 1
                                && controllerOf("q").callSequence().contains(Call.START),
                () -> "the task to be started");

        AtomicReference<TaskState> storedAtReturn = new AtomicReference<>();
        AtomicBoolean interruptKept = new AtomicBoolean();
        Thread closer =
                Thread.ofPlatform()
                        .name("closer")
                        .start(
                                () -> {
                                    stored.close();
                                    interruptKept.set(Thread.currentThread().isInterrupted());
                                    storedAtReturn.set(
                                            memory.load().get(0).task().getStatus().getState());
                                });
        Eventually.until(
                () ->
                        java.util.Arrays.stream(closer.getStackTrace())
                                .anyMatch(f -> f.getMethodName().equals("finishStatusWrites")),
                () -> "close to wait for the status writer");
        closer.interrupt();
        release.countDown();
        closer.join(Duration.ofSeconds(20));

        assertFalse(closer.isAlive(), "close returned");
        assertTrue(interruptKept.get(), "close keeps the caller's interrupt");
        assertTrue(
                storedAtReturn.get().getNumber() >= TaskState.STARTING.getNumber(),
                () -> "stored when close returned: " + storedAtReturn.get());
    }

    /** A store whose putStatus of one state waits (uninterruptibly) until released. */
    private record HeldStatusStore(TaskStore delegate, TaskState held, CountDownLatch release)
            implements TaskStore {
        @Override
        public List<StoredTask> load() {
            return delegate.load();
        }

        @Override
        public void put(Task task) {
            delegate.put(task);
        }

        @Override
        public void putStatus(String taskId, TaskStatus status) {
            if (status.getState() == held) {
                boolean interrupted = false;
                while (true) {
                    try {
                        release.await();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true; // a writer interrupted by close must still wait
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            delegate.putStatus(taskId, status);
        }

        @Override
        public void markRemoved(String taskId) {
            delegate.markRemoved(taskId);
        }

        @Override
        public void delete(String taskId) {
            delegate.delete(taskId);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    @Test
    void closeStopsEveryRunnerAndClosesEveryControllerWithoutRemovingIt() {
        worker.assign(
                List.of(task("a", TaskState.RUNNING, "after=never"), task("b", TaskState.RUNNING)));
        ListenerHandle listener = worker.listen(new RecordingReporter());
        awaitState("a", TaskState.RUNNING);
        awaitState("b", TaskState.COMPLETE);

        worker.close();
        assertEquals(List.of(), threads.alive());
        assertTrue(listener.isClosed());
        for (FakeController controller : fake.controllers()) {
            assertTrue(controller.isClosed());
            assertEquals(0, count(controller, Call.REMOVE), "close does not remove");
        }
        assertThrows(IllegalStateException.class, () -> worker.assign(List.of()));
        assertThrows(IllegalStateException.class, () -> worker.listen(new RecordingReporter()));
        worker.close(); // idempotent
    }

    @Test
    void callersOnManyThreadsAndALateListenerSeeOneConsistentHistory() throws Exception {
        List<RecordingReporter> listeners = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Void>> callers = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int caller = c;
            callers.add(
                    CompletableFuture.runAsync(
                            () -> {
                                for (int round = 0; round < 5; round++) {
                                    List<Task> added = new ArrayList<>();
                                    for (int i = 0; i < 10; i++) {
                                        added.add(
                                                task(
                                                        "c" + caller + "-" + round + "-" + i,
                                                        TaskState.RUNNING));
                                    }
                                    worker.update(added, List.of());
                                    if (caller == 0 && round == 2) {
                                        RecordingReporter late = new RecordingReporter();
                                        worker.listen(late);
                                        listeners.add(late);
                                    }
                                }
                            }));
        }
        CompletableFuture.allOf(callers.toArray(CompletableFuture[]::new))
                .get(60, TimeUnit.SECONDS);
        Eventually.until(
                () ->
                        worker.statuses().values().stream()
                                        .filter(s -> s.getState() == TaskState.COMPLETE)
                                        .count()
                                == 200,
                () -> "200 tasks COMPLETE");
        RecordingReporter late = listeners.get(0);
        Eventually.until(
                () -> late.tasksThatSaw(TaskState.COMPLETE) == 200,
                () ->
                        late.tasksThatSaw(TaskState.COMPLETE)
                                + " of 200 seen COMPLETE by the late listener");
        for (String id : worker.statuses().keySet()) {
            List<TaskState> states = late.states(id);
            // a replayed status, then every later one: a suffix of the full history, no repeats
            assertEquals(
                    TO_COMPLETE.subList(TO_COMPLETE.size() - states.size(), TO_COMPLETE.size()),
                    states,
                    id);
        }
    }

    @Test
    void badAssignmentsAreRejectedWithoutChangingAnything() {
        worker.assign(List.of(task("a", TaskState.RUNNING, "after=never")));
        var empty =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                worker.assign(
                                        List.of(
                                                task("b", TaskState.RUNNING),
                                                task("", TaskState.RUNNING))));
        assertEquals("assignment[1] has an empty id", empty.getMessage());
        assertEquals(List.of("a"), List.copyOf(worker.statuses().keySet()));
        assertThrows(NullPointerException.class, () -> worker.update(List.of(), null));
    }

    @Test
    void aThreadFactoryThatRefusesLeavesNothingHalfTaken() {
        FakeExecutor refusedFake = FakeExecutor.create();
        try (Worker refusing =
                Worker.create(refusedFake, RunnerOptions.defaults().withThreadFactory(r -> null))) {
            var refused =
                    assertThrows(
                            IllegalStateException.class,
                            () -> refusing.assign(List.of(task("a", TaskState.RUNNING))));
            assertTrue(refused.getMessage().contains("thread factory"), refused.getMessage());
            assertEquals(Map.of(), refusing.statuses());
            assertEquals(List.of(), refusedFake.leaks(), "the controller made for it is closed");
        }
    }

    private static String text(LogMessage message) {
        return message.getData().toString(StandardCharsets.UTF_8).strip();
    }
}

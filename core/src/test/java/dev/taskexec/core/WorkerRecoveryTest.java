package dev.taskexec.core;

import static dev.taskexec.core.FakeTasks.desired;
import static dev.taskexec.core.FakeTasks.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.Controller;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import dev.taskexec.executor.fake.Call;
import dev.taskexec.executor.fake.FakeController;
import dev.taskexec.executor.fake.FakeExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker opened on a store that an earlier worker left behind (closed without removing its
 * tasks: to the store and the backend, a crash) takes its tasks up again.
 */
@Timeout(60)
class WorkerRecoveryTest {

    private final TaskStore store = TaskStore.inMemory();
    private final FakeExecutor first = FakeExecutor.create();
    private final FakeExecutor second = first.successor();
    private final List<Worker> workers = new ArrayList<>();

    @AfterEach
    void closeEverything() {
        workers.forEach(Worker::close);
        store.close();
    }

    private Worker open(FakeExecutor executor) {
        Worker worker = Worker.open(executor, store);
        workers.add(worker);
        return worker;
    }

    private static void awaitState(Worker worker, String id, TaskState state) {
        Eventually.until(
                () -> worker.status(id).map(s -> s.getState() == state).orElse(false),
                () -> id + " to be " + state + ", is " + worker.status(id));
    }

    private long calls(String taskId, Call call) {
        long n = 0;
        for (FakeExecutor executor : List.of(first, second)) {
            for (FakeController c : executor.controllers(taskId)) {
                n += c.callSequence().stream().filter(x -> x == call).count();
            }
        }
        return n;
    }

    @Test
    void aRunningTaskIsAwaitedAgainNotStartedAgain() {
        Worker before = open(first);
        before.assign(List.of(task("a", TaskState.RUNNING, "after=never", "stdout=hello")));
        awaitState(before, "a", TaskState.RUNNING);
        before.close();

        RecordingReporter listener = new RecordingReporter();
        Worker after = open(second);
        after.listen(listener);
        listener.awaitState("a", TaskState.RUNNING);
        assertEquals(
                TaskState.RUNNING,
                listener.states("a").get(0),
                "the first status replayed is the stored one");
        after.update(
                List.of(
                        desired(
                                task("a", TaskState.RUNNING, "after=never", "stdout=hello"),
                                TaskState.SHUTDOWN)),
                List.of());
        awaitState(after, "a", TaskState.SHUTDOWN);
        assertEquals(1, calls("a", Call.START), "started exactly once across both workers");
        assertEquals(1, calls("a", Call.PREPARE), "prepared exactly once across both workers");
    }

    @Test
    void aTaskThatExitedWhileNoWorkerRanReportsItsTrueExitCode() {
        Worker before = open(first);
        before.assign(List.of(task("b", TaskState.RUNNING, "after=300ms", "exit=3")));
        awaitState(before, "b", TaskState.RUNNING);
        before.close();
        Eventually.until(
                () -> {
                    Controller probe = null;
                    try {
                        probe = second.controller(task("b", TaskState.RUNNING));
                        return ((FakeController) probe)
                                .containerStatus()
                                .map(s -> s.getExitCode() == 3)
                                .orElse(false);
                    } catch (Exception e) {
                        return false;
                    } finally {
                        if (probe != null) {
                            probe.close();
                        }
                    }
                },
                () -> "b to exit");

        Worker after = open(second);
        awaitState(after, "b", TaskState.FAILED);
        TaskStatus status = after.status("b").orElseThrow();
        assertEquals(3, status.getContainer().getExitCode(), status.toString());
        assertEquals(1, calls("b", Call.START));
        assertEquals(
                TaskState.FAILED, store.load().get(0).task().getStatus().getState(), "stored too");
    }

    @Test
    void whatNoStoredTaskClaimsIsReaped() throws Exception {
        Controller stray = first.controller(task("stray", TaskState.RUNNING, "after=never"));
        stray.prepare();
        stray.start();
        Worker kept = open(first);
        kept.assign(List.of(task("kept", TaskState.RUNNING, "after=never")));
        awaitState(kept, "kept", TaskState.RUNNING);
        kept.close();

        open(second);
        List<String> leaks = second.leaks();
        assertTrue(leaks.stream().noneMatch(l -> l.contains("stray")), leaks.toString());
        assertTrue(
                leaks.stream().anyMatch(l -> l.contains("task kept")),
                "the claimed one stays: " + leaks);
    }

    @Test
    void aRemovalCutShortBeforeItsRecordWasDeletedIsFinishedByTheNextWorker() throws Exception {
        Worker before = open(first);
        before.assign(List.of(task("gone", TaskState.RUNNING, "after=never")));
        awaitState(before, "gone", TaskState.RUNNING);
        store.markRemoved("gone"); // the moment between "let go of" and "removed": then the crash
        before.close();

        Worker after = open(second);
        assertEquals(Map.of(), after.statuses(), "a task being removed is not resumed");
        assertTrue(after.awaitCleanup(Duration.ofSeconds(20)));
        assertEquals(List.of(), store.load(), "its record is deleted once removed");
        assertEquals(List.of(), second.leaks());
        assertEquals(1, calls("gone", Call.REMOVE));
    }

    @Test
    void aRemovedTaskKeepsItsRecordUntilRemoveSucceeded() throws Exception {
        Worker worker = open(first);
        Task t = task("r", TaskState.RUNNING, "after=never", "remove=fail:disk full");
        worker.assign(List.of(t));
        awaitState(worker, "r", TaskState.RUNNING);
        worker.assign(List.of());
        assertTrue(worker.awaitCleanup(Duration.ofSeconds(20)));
        List<StoredTask> left = store.load();
        assertEquals(1, left.size(), "remove failed every time, so the record stays");
        assertTrue(left.get(0).removed());
    }

    @Test
    void everyStatusIsStoredBeforeAnyoneSeesIt() {
        List<String> violations = new CopyOnWriteArrayList<>();
        Worker worker = open(first);
        worker.listen(
                (id, status) -> {
                    TaskStatus stored =
                            store.load().stream()
                                    .filter(r -> r.id().equals(id))
                                    .findFirst()
                                    .orElseThrow()
                                    .task()
                                    .getStatus();
                    if (stored.getStateValue() < status.getStateValue()) {
                        violations.add(
                                id
                                        + " reported "
                                        + status.getState()
                                        + " while the store had "
                                        + stored.getState());
                    }
                });
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            tasks.add(task("t" + i, TaskState.RUNNING, "exit=" + (i % 3)));
        }
        worker.assign(tasks);
        for (int i = 0; i < 20; i++) {
            String id = "t" + i;
            Eventually.until(
                    () ->
                            worker.status(id)
                                    .map(s -> s.getStateValue() >= TaskState.COMPLETE_VALUE)
                                    .orElse(false),
                    () -> id + " to end");
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void anUpdateIsStoredSoTheNextWorkerActsOnIt() {
        Worker before = open(first);
        Task t = task("u", TaskState.RUNNING, "after=never");
        before.assign(List.of(t));
        awaitState(before, "u", TaskState.RUNNING);
        before.close();
        // The orchestrator's shutdown reached the store of a worker that died before acting on it.
        store.put(desired(t, TaskState.SHUTDOWN));

        Worker after = open(second);
        awaitState(after, "u", TaskState.SHUTDOWN);
        assertEquals(TaskState.SHUTDOWN, store.load().get(0).task().getDesiredState());
    }
}

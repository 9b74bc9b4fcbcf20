package dev.taskexec.store.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskSpec;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import dev.taskexec.core.Worker;
import dev.taskexec.executor.fake.FakeExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A worker on a SQLite store, closed and opened again on the same directory. */
@Timeout(60)
class DurableWorkerTest {

    @TempDir Path dir;

    private static Task task(String id, TaskState desired, String... words) {
        return Task.newBuilder()
                .setId(id)
                .setSpec(
                        TaskSpec.newBuilder()
                                .setContainer(
                                        ContainerSpec.newBuilder()
                                                .setImage("fake")
                                                .addCommand("fake")
                                                .addAllArgs(List.of(words))))
                .setDesiredState(desired)
                .setStatus(TaskStatus.newBuilder().setState(TaskState.ASSIGNED))
                .build();
    }

    private static void until(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
    }

    private static boolean at(Worker worker, String id, TaskState state) {
        return worker.status(id).map(s -> s.getState() == state).orElse(false);
    }

    @Test
    void aReopenedWorkerResumesItsTasksFromTheDirectory() throws Exception {
        FakeExecutor first = FakeExecutor.create();
        try (SqliteTaskStore store = SqliteTaskStore.open(dir);
                Worker worker = Worker.open(first, store)) {
            worker.assign(
                    List.of(
                            task("long", TaskState.RUNNING, "after=never"),
                            task("short", TaskState.RUNNING, "exit=4")));
            until(
                    () ->
                            at(worker, "long", TaskState.RUNNING)
                                    && at(worker, "short", TaskState.FAILED),
                    "both");
        }
        FakeExecutor second = first.successor();
        try (SqliteTaskStore store = SqliteTaskStore.open(dir);
                Worker worker = Worker.open(second, store)) {
            assertEquals(TaskState.RUNNING, worker.status("long").orElseThrow().getState());
            assertEquals(4, worker.status("short").orElseThrow().getContainer().getExitCode());
            worker.assign(List.of());
            assertTrue(worker.awaitCleanup(Duration.ofSeconds(20)));
            assertEquals(List.of(), store.load(), "removed tasks leave no record");
        }
        second.assertNoLeaks();
    }
}

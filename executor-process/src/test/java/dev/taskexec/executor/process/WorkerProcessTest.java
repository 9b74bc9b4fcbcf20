package dev.taskexec.executor.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.Executor;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import dev.taskexec.core.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent loop of {@code core} on real processes: {@link Worker#assign} starts a process, a
 * desired-state raise to SHUTDOWN stops it, and every status reaches a listener in order. Lives
 * here rather than in core because core cannot depend on this backend.
 */
@Timeout(60)
class WorkerProcessTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void assignStartsARealProcessAndRaisingTheDesiredStateToShutdownStopsIt(@TempDir Path dir)
            throws Exception {
        Path pidFile = dir.resolve("pid");
        Task task =
                Tasks.sh("echo $$ > '" + pidFile + "'; exec sleep 300").toBuilder()
                        .setDesiredState(TaskState.RUNNING)
                        .setStatus(TaskStatus.newBuilder().setState(TaskState.ASSIGNED))
                        .build();
        String id = task.getId();
        List<TaskState> seen = new CopyOnWriteArrayList<>();

        try (Executor executor = new ProcessExecutorProvider().create(Map.of());
                Worker worker = Worker.create(executor)) {
            worker.listen(
                    (taskId, status) -> {
                        if (taskId.equals(id)) {
                            seen.add(status.getState());
                        }
                    });
            worker.assign(List.of(task));

            Conditions.awaitTrue(
                    "the task to be RUNNING", TIMEOUT, () -> seen.contains(TaskState.RUNNING));
            Conditions.awaitTrue(
                    "the process to write its pid",
                    TIMEOUT,
                    () -> Files.exists(pidFile) && !readQuietly(pidFile).isBlank());
            long pid = Long.parseLong(readQuietly(pidFile).strip());
            assertTrue(Conditions.alive(pid), "the process runs");
            assertEquals(
                    TaskState.RUNNING,
                    worker.status(id).orElseThrow().getState(),
                    "a process that runs until stopped stays RUNNING");

            worker.assign(List.of(task.toBuilder().setDesiredState(TaskState.SHUTDOWN).build()));
            Conditions.awaitTrue(
                    "the task to be SHUTDOWN", TIMEOUT, () -> seen.contains(TaskState.SHUTDOWN));
            Conditions.awaitTrue("the process to end", TIMEOUT, () -> !Conditions.alive(pid));

            assertEquals(
                    List.of(
                            TaskState.ACCEPTED,
                            TaskState.PREPARING,
                            TaskState.READY,
                            TaskState.STARTING,
                            TaskState.RUNNING,
                            TaskState.SHUTDOWN),
                    seen,
                    "every status, in order, once");

            worker.assign(List.of());
            assertTrue(worker.awaitCleanup(TIMEOUT), "removing the task finishes");
            assertFalse(worker.status(id).isPresent());
        }
        assertEquals(List.of(), Conditions.zombieChildren(), "no unreaped children");
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}

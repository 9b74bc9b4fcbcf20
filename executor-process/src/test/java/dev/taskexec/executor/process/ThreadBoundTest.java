package dev.taskexec.executor.process;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.Executor;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import dev.taskexec.core.Worker;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The agent's threads do not grow with its running tasks: a {@link Worker} on the process backend
 * runs {@code N} {@code sleep} tasks at once with at most 64 threads in the JVM (output read by the
 * executor's one poller thread, exits learned by its one pidfd watcher), and after they are removed
 * the JVM's threads and file descriptors are back to where they started.
 *
 * <p>N is 1,000 by default; the 5,000: {@code -Dtaskexec.test.tasks=5000} (needs
 * {@code ulimit -n} above about 16,000: each running task holds three descriptors).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ThreadBoundTest {

    private static final int TASKS = Integer.getInteger("taskexec.test.tasks", 1000);
    private static final int MAX_THREADS = 64;
    private static final Duration TIMEOUT = Duration.ofSeconds(240);

    @Test
    void manyRunningTasksNeedNoThreadEach() throws Exception {
        int threadsBefore = threads();
        long fdsBefore = fds();
        Set<String> running = ConcurrentHashMap.newKeySet();
        Set<String> ended = ConcurrentHashMap.newKeySet();
        int peakThreads;
        try (Executor executor = new ProcessExecutorProvider().create(Map.of());
                Worker worker = Worker.create(executor)) {
            worker.listen((id, status) -> {
                if (status.getState() == TaskState.RUNNING) {
                    running.add(id);
                } else if (status.getState().getNumber() > TaskState.RUNNING_VALUE) {
                    ended.add(id);
                }
            });
            List<Task> tasks = new ArrayList<>();
            for (int i = 0; i < TASKS; i++) {
                tasks.add(Tasks.task("sleep", "600").toBuilder()
                        .setDesiredState(TaskState.RUNNING)
                        .setStatus(TaskStatus.newBuilder().setState(TaskState.ASSIGNED))
                        .build());
            }
            long t0 = System.nanoTime();
            worker.assign(tasks);
            Conditions.awaitTrue(TASKS + " tasks RUNNING", TIMEOUT, () -> running.size() == TASKS || !ended.isEmpty());
            assertTrue(ended.isEmpty(), "no task ended early: " + ended.size());
            peakThreads = threads();
            long t1 = System.nanoTime();
            System.out.println("ThreadBoundTest: " + TASKS + " running tasks after " + (t1 - t0) / 1_000_000 + " ms, "
                    + peakThreads + " threads (before: "
                    + threadsBefore + "), " + fds() + " file descriptors (before: " + fdsBefore + ")");
            assertTrue(peakThreads <= MAX_THREADS, TASKS + " running tasks use " + peakThreads + " threads");
            worker.assign(List.of());
            assertTrue(worker.awaitCleanup(TIMEOUT), "every task is removed");
            System.out.println("ThreadBoundTest: removed in " + (System.nanoTime() - t1) / 1_000_000 + " ms");
        }
        Conditions.awaitTrue("threads back to " + threadsBefore, Duration.ofSeconds(30),
                () -> threads() <= threadsBefore);
        Conditions.awaitTrue("file descriptors back to " + fdsBefore, Duration.ofSeconds(30), () -> fds() <= fdsBefore);
        Conditions.awaitTrue("no unreaped children", Duration.ofSeconds(30), () -> Conditions.zombieChildren().isEmpty());
    }

    private static int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    private static long fds() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

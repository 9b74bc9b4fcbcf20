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
 * <p>N is 300 by default, to keep the build short; the 5,000:
 * {@code bin/with-jdk ./mvnw -B -o -pl executor-process -am verify -Dtest=ThreadBoundTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dtaskexec.test.tasks=5000} (needs {@code ulimit -n} above
 * about 16,000: each running task holds three descriptors; and room for 5,000 more processes under
 * {@code ulimit -u} and {@code kernel.pid_max}). Stopping a task once scanned every process of the
 * host for its descendants, so removing N tasks cost O(N²); it now reads only the task's own tree
 * ({@code TaskProcesses.descendants}).
 *
 * <p>Measured on 2026-12-01 (2 cores, 24 GB, JDK 25, a machine shared with other builds), with the
 * command above: 5,000 tasks RUNNING after 24.8 s, 17 threads at the peak (64 allowed), 15,041
 * descriptors at the peak, all removed in 5.2 s; threads 15 before and after, descriptors 38 before
 * and after. Removal before the change: 1,000 tasks in 7.0 s, 2,000 in 90 s (5,000 was not tried:
 * at that growth it would pass the test's 240 s limit); after it: 1,000 in 1.0 s, 2,000 in 1.6 s.
 * Starting varies with the machine's load and grows somewhat faster than linearly (1,000 in 1.8 to
 * 3.7 s, 2,000 in 5 to 8 s, 4,000 in 8.9 s, 5,000 in 15 to 45 s between runs); not looked into yet.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ThreadBoundTest {

    private static final int TASKS = Integer.getInteger("taskexec.test.tasks", 300);
    private static final int MAX_THREADS = 64;
    private static final Duration TIMEOUT = Duration.ofSeconds(240);

    @Test
    void manyRunningTasksNeedNoThreadEach() throws Exception {
        // what any use of a Worker starts once per JVM (virtual threads' carriers, JNA, the JDK's
        // process reaper) belongs to the starting count
        run(8, false);
        int threadsBefore = threads();
        long fdsBefore = fds();
        run(TASKS, true);
        try {
            Conditions.awaitTrue(
                    "threads back to " + threadsBefore,
                    Duration.ofSeconds(60),
                    () -> threads() <= threadsBefore);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; now " + names(), e);
        }
        Conditions.awaitTrue(
                "file descriptors back to " + fdsBefore,
                Duration.ofSeconds(30),
                () -> fds() <= fdsBefore);
        Conditions.awaitTrue(
                "no unreaped children",
                Duration.ofSeconds(30),
                () -> Conditions.zombieChildren().isEmpty());
        System.out.println(
                "ThreadBoundTest: threads "
                        + threadsBefore
                        + " before, "
                        + threads()
                        + " after; file descriptors "
                        + fdsBefore
                        + " before, "
                        + fds()
                        + " after");
    }

    /** Runs {@code n} sleep tasks at once through a Worker, then removes them. */
    private static void run(int n, boolean check) throws Exception {
        Set<String> running = ConcurrentHashMap.newKeySet();
        Set<String> ended = ConcurrentHashMap.newKeySet();
        int peakThreads;
        try (Executor executor = new ProcessExecutorProvider().create(Map.of());
                Worker worker = Worker.create(executor)) {
            worker.listen(
                    (id, status) -> {
                        if (status.getState() == TaskState.RUNNING) {
                            running.add(id);
                        } else if (status.getState().getNumber() > TaskState.RUNNING_VALUE) {
                            ended.add(id);
                        }
                    });
            List<Task> tasks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                tasks.add(
                        Tasks.task("sleep", "600").toBuilder()
                                .setDesiredState(TaskState.RUNNING)
                                .setStatus(TaskStatus.newBuilder().setState(TaskState.ASSIGNED))
                                .build());
            }
            long t0 = System.nanoTime();
            worker.assign(tasks);
            Conditions.awaitTrue(
                    n + " tasks RUNNING", TIMEOUT, () -> running.size() == n || !ended.isEmpty());
            assertTrue(ended.isEmpty(), "no task ended early: " + ended.size());
            peakThreads = threads();
            long t1 = System.nanoTime();
            if (!check) {
                worker.assign(List.of());
                assertTrue(worker.awaitCleanup(TIMEOUT), "every task is removed");
                return;
            }
            System.out.println(
                    "ThreadBoundTest: "
                            + n
                            + " running tasks after "
                            + (t1 - t0) / 1_000_000
                            + " ms, "
                            + peakThreads
                            + " threads, "
                            + fds()
                            + " file descriptors");
            assertTrue(
                    peakThreads <= MAX_THREADS,
                    n + " running tasks use " + peakThreads + " threads: " + names());
            worker.assign(List.of());
            assertTrue(worker.awaitCleanup(TIMEOUT), "every task is removed");
            System.out.println(
                    "ThreadBoundTest: removed in " + (System.nanoTime() - t1) / 1_000_000 + " ms");
        }
    }

    private static String names() {
        return Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .sorted()
                .toList()
                .toString();
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

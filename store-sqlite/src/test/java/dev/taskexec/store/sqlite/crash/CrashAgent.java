package dev.taskexec.store.sqlite.crash;

import dev.taskexec.api.Executor;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import dev.taskexec.core.Worker;
import dev.taskexec.executor.docker.DockerExecutorProvider;
import dev.taskexec.executor.process.ProcessExecutorProvider;
import dev.taskexec.store.sqlite.SqliteTaskStore;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The agent the crash tests kill: a durable worker on the docker or process backend, opened on a
 * state directory, given the test's tasks, appending every status it reports to a file (one write per
 * line, so a SIGKILL loses no line that was reported).
 *
 * <p>Arguments: state directory, owner (docker) or the process backend's {@code state-dir}, run id,
 * task count, marks directory, status log, mode, backend ({@code docker} or {@code process}).
 * Modes: {@code run} (assign, then wait to be killed), {@code shutdown} (the same with the long
 * tasks desired SHUTDOWN), {@code finish} (assign with SHUTDOWN, wait until every task is
 * terminal, print "settled", then wait to be killed or told to remove), {@code remove} (assign
 * nothing, so every task is removed; exit 0 once every clean-up finished).
 */
public final class CrashAgent {

    private CrashAgent() {}

    public static void main(String[] args) throws Exception {
        Path state = Path.of(args[0]);
        String owner = args[1];
        String run = args[2];
        int n = Integer.parseInt(args[3]);
        Path marks = Path.of(args[4]);
        Path statusLog = Path.of(args[5]);
        String mode = args[6];
        boolean process = args[7].equals("process");
        try (OutputStream log = new FileOutputStream(statusLog.toFile(), true);
                SqliteTaskStore store = SqliteTaskStore.open(state);
                // the docker workloads bind-mount the marks directory: the node policy must allow
                // that one path
                Executor executor =
                        process
                                ? new ProcessExecutorProvider().create(Map.of("state-dir", owner))
                                : new DockerExecutorProvider()
                                        .create(
                                                Map.of(
                                                        "owner",
                                                        owner,
                                                        "allow-bind",
                                                        marks.toAbsolutePath().toString()))) {
            Worker worker = Worker.open(executor, store);
            worker.listen(
                    (id, status) ->
                            line(
                                    log,
                                    id
                                            + " "
                                            + status.getState()
                                            + " "
                                            + status.getContainer().getExitCode()
                                            + " "
                                            + mode
                                            + " "
                                            + status.getErr().replace('\n', ' ')));
            if (mode.equals("remove")) {
                worker.assign(List.of());
                if (!worker.awaitCleanup(Duration.ofMinutes(3))) {
                    System.out.println("clean-up did not finish");
                    System.exit(2);
                }
                worker.close();
                System.out.println("removed");
                return;
            }
            worker.assign(CrashWorkload.tasks(run, n, marks, !mode.equals("run"), process));
            if (mode.equals("finish")) {
                long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
                while (!allTerminal(worker, n)) {
                    if (System.nanoTime() > deadline) {
                        System.out.println("not settled: " + worker.statuses());
                        System.exit(3);
                    }
                    LockSupport.parkNanos(
                            Duration.ofMillis(100)
                                    .toNanos()); // polling the worker from outside; the test waits
                    // on our output
                }
                System.out.println("settled");
                System.out.flush();
            }
            Thread.currentThread().join(); // blocks until the test kills this JVM
        }
    }

    private static boolean allTerminal(Worker worker, int n) {
        Map<String, TaskStatus> statuses = worker.statuses();
        return statuses.size() == n
                && statuses.values().stream()
                        .allMatch(s -> s.getStateValue() >= TaskState.COMPLETE_VALUE);
    }

    private static synchronized void line(OutputStream log, String line) throws Exception {
        log.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
}

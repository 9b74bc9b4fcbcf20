package dev.taskexec.executor.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What keeps a task's process, and its exit code, while no agent runs: a tiny POSIX shell script,
 * {@code /bin/sh} (dash on Debian: about 1 MB resident of which most is shared), started with
 * {@code posix_spawn} as the leader of a new session and process group, with the task's output
 * files as its stdout and stderr. It
 * <ol>
 *   <li>sets a no-op trap for every catchable signal but SIGCHLD, so the stop signal sent to the
 *       task's group does not end it (a trapped signal is reset to its default in the program it
 *       runs, so the task sees the signals as it would without the shim);</li>
 *   <li>runs the task's program in the foreground, in its group, and waits for it;</li>
 *   <li>writes the program's exit status ({@code $?}: 128 + n after a death by signal n) to
 *       {@code exit} with the shell's own {@code echo} and exits with the same status.</li>
 * </ol>
 * SIGKILL cannot be trapped, so the task's {@link ProcessTree} ({@code shielded}) sends it to the
 * shim's child, and the rest of the group goes once the shim has exited. While the agent that spawned it runs, the shim is its child: the
 * {@link ExitWatcher} reaps it and its exit status is the task's. After a restart it is not: a new
 * agent {@linkplain #adopt adopts} it by pid, checked against the task id in its environment,
 * learns of its end through a pidfd, and reads the code from {@code exit}.
 *
 * <p>The exit code is written by the shim itself, with no other process: a task being killed gets
 * SIGKILL again and again for every member of its group until the shim has gone (the program may
 * not have been forked at the first try), and a helper such as {@code mv} would be one of them,
 * killed before it recorded the code (the task then read as exit 255). It is not renamed into
 * place; it is read only once the shim has gone, when its one small write is complete.
 *
 * <p>One process per running task (the shim; no JVM). A machine reboot ends the shim with the
 * task: nothing survives it.
 */
final class TaskShim {

    private static final Logger LOG = LoggerFactory.getLogger(TaskShim.class);

    static final Path SH = Path.of("/bin/sh");

    /** The exit code reported when a task's shim died without recording one (it was SIGKILLed). */
    static final int UNKNOWN_EXIT = 255;

    // $1: the task folder; the rest: the program and its arguments
    private static final String SCRIPT =
            String.join(
                    "\n",
                    "d=$1; shift",
                    "trap : 1 2 3 4 5 6 7 8 10 11 12 13 14 15 16 18 20 21 22 23 24 25 26 27 28 29 30 31",
                    "\"$@\"",
                    "rc=$?",
                    "echo $rc > \"$d/exit\"",
                    "exit $rc");

    private TaskShim() {}

    /** Whether tasks can be started through the shim here. */
    static boolean available() {
        return ExitWatcher.available()
                && PosixSpawn.available()
                && Posix.available()
                && Files.isExecutable(SH)
                && Files.isDirectory(Path.of("/proc/self"));
    }

    /** Spawns the shim for {@code argv} (the program's path first), its output to {@code files}. */
    static Spawned spawn(
            TaskDir dir,
            List<String> argv,
            Map<String, String> env,
            Path workDir,
            boolean keepStdin,
            OutputFiles files,
            ExitWatcher watcher,
            Executor waiter)
            throws IOException {
        List<String> shim = new ArrayList<>(argv.size() + 5);
        shim.add(SH.toString());
        shim.add("-c");
        shim.add(SCRIPT);
        shim.add("taskexec-shim");
        shim.add(dir.path().toString());
        shim.addAll(argv);
        dir.markStarted();
        Spawned spawned;
        try {
            spawned = PosixSpawn.spawn(SH, shim, env, workDir, keepStdin, files, watcher, waiter);
        } catch (IOException | RuntimeException e) {
            dir.unmarkStarted();
            throw e;
        }
        dir.recordPid(spawned.pid());
        return spawned;
    }

    /**
     * Finds the shim of a task whose folder says it was started, by an agent that is gone.
     *
     * @return the shim, its exit completing with the task's exit code; empty when the task was never
     *     really spawned (the agent died between marking it started and spawning it)
     */
    static Optional<Spawned> adopt(TaskDir dir, String taskId, ExitWatcher watcher)
            throws IOException {
        OptionalInt pid = dir.pid();
        if (pid.isEmpty()) {
            // the agent died between marking the start and recording the pid: only /proc can tell
            List<Integer> carrying = TaskProcesses.carrying(taskId);
            if (carrying.isEmpty()) {
                pid = dir.pid(); // it may have written the file meanwhile, and ended since
                if (pid.isEmpty()) {
                    if (dir.exitCode().isEmpty()) {
                        return Optional.empty();
                    }
                    // it ran and ended while no agent ran, its pid never recorded: only its exit is
                    // left (no pid, no group: nothing may be signalled in its name)
                    return Optional.of(
                            new Spawned(
                                    0,
                                    Optional::empty,
                                    false,
                                    null,
                                    null,
                                    null,
                                    CompletableFuture.completedFuture(recordedExit(dir, taskId))));
                }
            } else {
                pid = OptionalInt.of(leader(carrying));
            }
        }
        int shim = pid.getAsInt();
        CompletableFuture<Integer> gone = new CompletableFuture<>();
        if (TaskProcesses.carries(shim, taskId)) {
            watcher.watchOther(shim, gone);
        } else {
            gone.complete(
                    0); // ended while no agent ran (its pid may even belong to another process now)
        }
        CompletableFuture<Integer> exit = gone.thenApply(ignored -> recordedExit(dir, taskId));
        return Optional.of(
                new Spawned(
                        shim,
                        () -> gone.isDone() ? Optional.empty() : ProcessHandle.of(shim),
                        true,
                        null,
                        null,
                        null,
                        exit));
    }

    /** The task's exit code from its folder, once its shim has gone. */
    private static int recordedExit(TaskDir dir, String taskId) {
        try {
            OptionalInt code = dir.exitCode();
            if (code.isPresent()) {
                return code.getAsInt();
            }
            LOG.warn(
                    "task {}: its shim ended without recording an exit code (killed?); reporting {}",
                    taskId,
                    UNKNOWN_EXIT);
        } catch (IOException e) {
            LOG.warn("task {}: cannot read its exit code; reporting {}", taskId, UNKNOWN_EXIT, e);
        }
        return UNKNOWN_EXIT;
    }

    /** The shim among a task's processes: the one that leads their group. */
    private static int leader(List<Integer> pids) {
        for (int pid : pids) {
            if (Posix.processGroup(pid).map(g -> g == pid).orElse(false)) {
                return pid;
            }
        }
        return pids.get(0);
    }
}

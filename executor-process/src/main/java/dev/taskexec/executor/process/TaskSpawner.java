package dev.taskexec.executor.process;

import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts one task's process: on a terminal (pty4j), through {@code posix_spawn} (under a
 * {@link TaskShim} when the task survives the agent), or through {@link ProcessBuilder} (with
 * {@code setsid(1)} when there is one), and the one definition of what every one of them is given:
 * its argv and its environment.
 *
 * <p>Separate from {@link ProcessController} because how a process is started differs by platform
 * and by task, while the controller only needs a {@link Spawned} back; keeping the three ways side
 * by side is what keeps their argv and environment the same.
 */
final class TaskSpawner {

    private final ProcessExecutor executor;
    private final ProcessSpec spec;
    private final String taskId;
    private final boolean survives;

    /** @param survives whether the task runs under a {@link TaskShim} and so outlives the agent */
    TaskSpawner(ProcessExecutor executor, ProcessSpec spec, String taskId, boolean survives) {
        this.executor = executor;
        this.spec = spec;
        this.taskId = taskId;
        this.survives = survives;
    }

    /** Starts the process on a terminal, its output (stdout and stderr as one) read from the terminal. */
    Spawned spawnPty(Path executable, Path workDir) throws IOException {
        // pty4j's child calls setsid(2) to take the terminal: it leads its own group
        PtyProcess pty =
                new PtyProcessBuilder(argv(executable).toArray(String[]::new))
                        .setEnvironment(environment())
                        .setDirectory(workDir.toString())
                        .setConsole(false)
                        .setRedirectErrorStream(true)
                        .setInitialColumns(80)
                        .setInitialRows(24)
                        .start();
        ProcessController.closeQuietly(pty.getErrorStream());
        // pty4j offers no handle of its own; the pid is still ours (not reaped) right after start
        return Spawned.of(pty, ProcessHandle.of(pty.pid()), true, true, true);
    }

    /**
     * Starts the process, its output to {@code files}, or to pipes when null.
     *
     * @param storage the task's folder, for the shim's records; used only when the task survives
     */
    Spawned spawnPiped(Path executable, Path workDir, Path storage, OutputFiles files)
            throws IOException {
        List<String> argv = argv(executable);
        if (executor.posixSpawn()) {
            Map<String, String> env = environment();
            if (survives && files != null) {
                return TaskShim.spawn(
                        new TaskDir(storage),
                        argv,
                        env,
                        workDir,
                        spec.openStdin(),
                        files,
                        executor.exitWatcher(),
                        executor::read);
            }
            return PosixSpawn.spawn(
                    executable,
                    argv,
                    env,
                    workDir,
                    spec.openStdin(),
                    files,
                    executor.exitWatcher(),
                    executor::read);
        }
        Path setsid = executor.setsid();
        List<String> cmd = new ArrayList<>(argv.size() + 2);
        if (setsid != null) {
            cmd.add(setsid.toString());
            cmd.add("--");
        }
        cmd.addAll(argv);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().clear();
        pb.environment().putAll(environment());
        if (!spec.openStdin()) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        if (files != null) {
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(files.stdout().toFile()));
            pb.redirectError(ProcessBuilder.Redirect.appendTo(files.stderr().toFile()));
        }
        Process p = pb.start();
        return Spawned.of(p, Optional.of(p.toHandle()), setsid != null, false, spec.openStdin());
    }

    /** The task's argv, its first element replaced by the executable found for it. */
    private List<String> argv(Path executable) {
        List<String> argv = new ArrayList<>(spec.argv().size());
        argv.add(executable.toString());
        argv.addAll(spec.argv().subList(1, spec.argv().size()));
        return argv;
    }

    /**
     * What the task's process gets, however it is started: see {@link TaskEnvironment}; on a
     * terminal also {@code TERM=xterm}, unless that passed already.
     */
    private Map<String, String> environment() {
        Map<String, String> env =
                executor.options().environment().build(System.getenv(), spec.env(), taskId);
        if (!spec.tty()) {
            return env;
        }
        Map<String, String> terminal = new HashMap<>(env);
        terminal.putIfAbsent("TERM", "xterm");
        return terminal;
    }
}

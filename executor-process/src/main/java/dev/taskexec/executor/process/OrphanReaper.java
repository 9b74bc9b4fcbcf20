package dev.taskexec.executor.process;

import dev.taskexec.api.ReapedResource;
import dev.taskexec.api.support.Signal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reaps what the process backend left under a {@code state-dir} for tasks nobody claims: for each
 * task folder ({@link TaskDir}, named by a container id) whose {@code task-id} is not claimed, it
 * kills the task's shim and process group and every process that carries the task's id in its
 * environment, then deletes the folder. Folders that are not named like a task's, or that hold
 * another backend's files, are never touched; a task folder without {@code task-id} (the agent died
 * inside {@code prepare}) holds nothing that runs and is deleted.
 */
final class OrphanReaper {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanReaper.class);

    private final Path stateDir;

    OrphanReaper(Path stateDir) {
        this.stateDir = stateDir;
    }

    /** Reaps every task folder whose task is not in {@code claimed}; one entry per folder reaped. */
    List<ReapedResource> reap(Set<String> claimed) throws IOException, InterruptedException {
        List<ReapedResource> reaped = new ArrayList<>();
        List<Path> dirs;
        try (Stream<Path> list = Files.list(stateDir)) {
            dirs = list.filter(p -> TaskDir.named(p) && Files.isDirectory(p)).sorted().toList();
        }
        for (Path dir : dirs) {
            if (Thread.interrupted()) {
                throw new InterruptedException(
                        "reaping orphans under " + stateDir + " interrupted");
            }
            TaskDir taskDir = new TaskDir(dir);
            Optional<String> taskId = taskDir.taskId();
            if (taskId.isPresent() && claimed.contains(taskId.get())) {
                continue;
            }
            int killed = taskId.isPresent() ? kill(taskDir, taskId.get()) : 0;
            TaskStorage.deleteTree(dir);
            String what =
                    "process task folder "
                            + dir
                            + (killed > 0 ? ", " + killed + " process(es) killed" : "");
            LOG.info("reaped orphan {}: {}", taskId.orElse("(unknown task)"), what);
            reaped.add(new ReapedResource(taskId.orElse(""), what));
        }
        return reaped;
    }

    /** Kills the task's group (when its shim still runs) and whatever carries its id; how many were signalled. */
    private static int kill(TaskDir dir, String taskId) throws IOException {
        int killed = 0;
        OptionalInt pid = dir.pid();
        if (pid.isPresent()
                && TaskProcesses.carries(pid.getAsInt(), taskId)
                && Posix.kill(-pid.getAsInt(), Signal.SIGKILL.number()) == 0) {
            killed++;
        }
        for (int p : TaskProcesses.carrying(taskId)) {
            if (Posix.kill(p, Signal.SIGKILL.number()) == 0) {
                killed++;
            }
        }
        return killed;
    }
}

package dev.taskexec.executor.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.taskexec.api.Controller;
import dev.taskexec.api.ControllerLogs;
import dev.taskexec.api.ExitException;
import dev.taskexec.api.TaskAlreadyStartedException;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import dev.taskexec.api.proto.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent killed between spawning a task's shim and recording its pid, and a task that ended
 * before the next agent came: the folder says started and holds an exit code, but no pid, and no
 * process carries the task any more. The next executor takes the recorded exit as the task's end
 * (the crash campaign once saw such a task reported FAILED with "No value present").
 */
class UnrecordedPidTest {

    @TempDir Path stateDir;

    private Path leftBehind(Task task, int exitCode, String output) throws Exception {
        Path dir = Files.createDirectories(stateDir.resolve(TaskStorage.containerId(task.getId())));
        Files.writeString(dir.resolve(TaskDir.TASK_ID), task.getId());
        Files.writeString(dir.resolve(TaskDir.STARTED), "");
        Files.writeString(dir.resolve(TaskDir.EXIT), exitCode + "\n");
        Files.writeString(dir.resolve(OutputFiles.STDOUT), output);
        Files.writeString(dir.resolve(OutputFiles.STDERR), "");
        return dir;
    }

    private ProcessExecutor executor() {
        return new ProcessExecutor(
                ProcessExecutorOptions.parse(
                        Map.of(ProcessExecutorOptions.STATE_DIR, stateDir.toString())));
    }

    @Test
    void aCompletedTaskReportsItsRecordedExitAndOutput() throws Exception {
        Task task = Tasks.sh("echo done");
        leftBehind(task, 0, "done\n");
        try (ProcessExecutor executor = executor()) {
            Controller c = executor.controller(task);
            assertThrows(TaskAlreadyStartedException.class, c::start);
            c.await();
            List<String> lines = new ArrayList<>();
            ((ControllerLogs) c)
                    .logs(
                            m -> lines.add(m.getData().toStringUtf8()),
                            LogSubscriptionOptions.getDefaultInstance());
            assertEquals(List.of("done\n"), lines);
            c.remove();
            assertEquals(List.of(), Files.list(stateDir).toList(), "removed");
        }
    }

    @Test
    void aFailedTaskReportsItsRecordedExitCode() throws Exception {
        Task task = Tasks.sh("exit 3");
        leftBehind(task, 3, "");
        try (ProcessExecutor executor = executor()) {
            Controller c = executor.controller(task);
            assertEquals(3, assertThrows(ExitException.class, c::await).exitCode());
            c.terminate(); // nothing runs, and nothing is signalled in its name
            c.remove();
        }
    }
}

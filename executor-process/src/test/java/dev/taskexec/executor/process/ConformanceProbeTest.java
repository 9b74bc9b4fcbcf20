package dev.taskexec.executor.process;

import static dev.taskexec.executor.process.Conditions.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.taskexec.api.Controller;
import dev.taskexec.api.ExitException;
import dev.taskexec.api.proto.Task;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The conformance probe sees a task's processes, its children included, and stops seeing them once gone. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConformanceProbeTest {

    @Test
    void findsEveryProcessOfATaskWhileItRuns() throws Exception {
        try (ProcessExecutor executor = new ProcessExecutor(ProcessExecutorOptions.defaults())) {
            Task task = Tasks.sh("sleep 1000 & sleep 1000 & wait");
            Task other = Tasks.task("sleep", "1000");
            Controller c = executor.controller(task);
            Controller o = executor.controller(other);
            c.start();
            o.start();
            awaitTrue(
                    "sh and its two sleeps", Duration.ofSeconds(10), () -> probe(task).size() == 3);
            // start() may return before the other task's process has replaced its shim (under load
            // it did)
            awaitTrue(
                    "the other task's sleep",
                    Duration.ofSeconds(10),
                    () -> !probe(other).isEmpty());
            assertEquals(1, probe(other).size(), "another task's processes are not counted");
            c.terminate();
            assertThrows(ExitException.class, c::await);
            awaitTrue(
                    "nothing left of the task",
                    Duration.ofSeconds(10),
                    () -> probe(task).isEmpty());
            assertEquals(1, probe(other).size());
        }
    }

    private static List<String> probe(Task task) {
        try {
            return ProcessExecutorConformanceTest.processesOf(task);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

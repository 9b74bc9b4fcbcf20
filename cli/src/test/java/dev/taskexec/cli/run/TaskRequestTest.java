package dev.taskexec.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskRequestTest {

    @Test
    void theFirstWordIsTheCommandAndTheRestItsArgs() {
        Task task =
                new TaskRequest(
                                null,
                                List.of("sh", "-c", "echo hi"),
                                "busybox",
                                true,
                                List.of("A=1"),
                                Duration.ofMillis(1500))
                        .toTask();

        ContainerSpec c = task.getSpec().getContainer();
        assertEquals(List.of("sh"), c.getCommandList());
        assertEquals(List.of("-c", "echo hi"), c.getArgsList());
        assertEquals("busybox", c.getImage());
        assertTrue(c.getTty());
        assertEquals(List.of("A=1"), c.getEnvList());
        assertEquals(1, c.getStopGracePeriod().getSeconds());
        assertEquals(500_000_000, c.getStopGracePeriod().getNanos());
        assertEquals(TaskState.RUNNING, task.getDesiredState());
        assertEquals(25, task.getId().length());
        assertFalse(task.hasStatus());
    }

    @Test
    void optionsApplyOnTopOfATaskFile(@TempDir Path dir) throws Exception {
        Path file =
                Files.writeString(
                        dir.resolve("t.json"),
                        """
                {"id": "keep", "status": {"state": "RUNNING"},
                 "spec": {"container": {"command": ["env"], "env": ["A=1", "B=2"]}}}
                """);

        Task task = new TaskRequest(file, List.of(), null, false, List.of("A=3"), null).toTask();

        assertEquals("keep", task.getId());
        assertEquals(List.of("B=2", "A=3"), task.getSpec().getContainer().getEnvList());
        assertFalse(task.hasStatus(), "run always starts a task afresh");
        assertEquals(TaskState.RUNNING, task.getDesiredState());
    }

    @Test
    void eitherAFileOrACommand(@TempDir Path dir) {
        IllegalArgumentException both =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new TaskRequest(
                                                dir.resolve("t.json"),
                                                List.of("true"),
                                                null,
                                                false,
                                                List.of(),
                                                null)
                                        .toTask());
        assertTrue(both.getMessage().contains("not both"), both.getMessage());

        IllegalArgumentException neither =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new TaskRequest(null, List.of(), null, false, List.of(), null)
                                        .toTask());
        assertTrue(neither.getMessage().contains("nothing to run"), neither.getMessage());
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("missing.json");
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new TaskRequest(missing, List.of(), null, false, List.of(), null)
                                        .toTask());
        assertEquals(missing + ": no such file", e.getMessage());
    }
}

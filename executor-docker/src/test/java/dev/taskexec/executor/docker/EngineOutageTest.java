package dev.taskexec.executor.docker;

import static dev.taskexec.executor.docker.DockerTestEnvironment.shell;
import static dev.taskexec.executor.docker.DockerTestEnvironment.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.Controller;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import dev.taskexec.core.Lifecycle;
import dev.taskexec.core.Resolution;
import dev.taskexec.core.Step;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine going away under a running task (as in a daemon restart with live-restore) is a
 * temporary failure: the step retries, and once the engine answers again the task goes on to its
 * real outcome. The outage is made by cutting a byte relay in front of the real engine's socket.
 */
class EngineOutageTest {

    private static Path dir;

    @BeforeAll
    static void engine() throws Exception {
        DockerTestEnvironment.require();
        dir = Files.createTempDirectory("taskexec-relay");
    }

    @AfterAll
    static void nothingLeft() throws Exception {
        if (dir != null) {
            Files.deleteIfExists(dir.resolve("engine.sock"));
            Files.deleteIfExists(dir);
            DockerTestEnvironment.assertNoContainersLeft();
        }
    }

    @Test
    void anOutageWhileRunningRetriesAndTheTaskKeepsItsOutcome() throws Exception {
        Path engineSocket = Path.of(DockerOptions.defaults().host().getPath());
        try (SocketRelay relay = new SocketRelay(dir.resolve("engine.sock"), engineSocket)) {
            relay.up();
            try (DockerExecutor executor = DockerTestEnvironment.executor(Map.of(DockerOptions.HOST, relay.host()))) {
                Task t = task(shell("sleep 2; exit 4")).toBuilder().setDesiredState(TaskState.RUNNING).build();
                Resolution r = Lifecycle.resolve(t, executor);
                Controller c = r.controller();
                try {
                    t = t.toBuilder().setStatus(r.status()).build();
                    while (t.getStatus().getState() != TaskState.RUNNING) {
                        t = t.toBuilder().setStatus(Lifecycle.step(t, c).status()).build();
                        assertTrue(t.getStatus().getState().getNumber() <= TaskState.RUNNING_VALUE, t.getStatus().toString());
                    }
                    Task running = t;
                    // The step blocks in await; the engine then disappears.
                    CompletableFuture<Step> blocked = CompletableFuture.supplyAsync(() -> Lifecycle.step(running, c));
                    DockerTestEnvironment.eventually(java.time.Duration.ofSeconds(5), "await to block",
                            () -> ((DockerController) c).openStreams() > 0);
                    relay.down();
                    Step cut = blocked.get(10, TimeUnit.SECONDS);
                    assertEquals(Step.Outcome.RETRY, cut.outcome(), cut.status().toString());
                    assertEquals(TaskState.RUNNING, cut.status().getState(), "not failed while the container lives on");
                    // While the engine is away, steps keep retrying.
                    Step away = Lifecycle.step(running.toBuilder().setStatus(cut.status()).build(), c);
                    assertEquals(Step.Outcome.RETRY, away.outcome(), away.status().toString());
                    assertTrue(away.status().getErr().contains("unreachable"), away.status().getErr());
                    relay.up();
                    Step back = Lifecycle.step(running.toBuilder().setStatus(away.status()).build(), c);
                    TaskStatus end = back.status();
                    assertEquals(TaskState.FAILED, end.getState(), end.toString());
                    assertEquals(4, end.getContainer().getExitCode(), "the workload's own exit code");
                } finally {
                    relay.up();
                    c.remove();
                    c.close();
                }
            }
        }
    }
}

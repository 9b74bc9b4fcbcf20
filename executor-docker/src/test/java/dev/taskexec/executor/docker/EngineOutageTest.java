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
import dev.taskexec.core.Removal;
import dev.taskexec.core.Resolution;
import dev.taskexec.core.Step;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The engine going away under a running task (as in a daemon restart with live-restore) is a
 * temporary failure: the step retries, and once the engine answers again the task goes on to its
 * real outcome. The outage is made by cutting a byte relay in front of the real engine's socket.
 * Clean-up outlasts an outage too: {@link Removal} keeps retrying {@code remove} while the engine
 * cannot be reached, and nothing is left once it is back.
 */
@ExtendWith(EngineRequired.class)
class EngineOutageTest {

    @Test
    void anOutageWhileRunningRetriesAndTheTaskKeepsItsOutcome() throws Exception {
        try (SocketRelay relay = SocketRelay.toTestEngine()) {
            try (DockerExecutor executor =
                    DockerTestEnvironment.executor(Map.of(DockerOptions.HOST, relay.host()))) {
                Task t =
                        task(shell("sleep 2; exit 4")).toBuilder()
                                .setDesiredState(TaskState.RUNNING)
                                .build();
                Resolution r = Lifecycle.resolve(t, executor);
                Controller c = r.controller();
                try {
                    t = t.toBuilder().setStatus(r.status()).build();
                    while (t.getStatus().getState() != TaskState.RUNNING) {
                        t = t.toBuilder().setStatus(Lifecycle.step(t, c).status()).build();
                        assertTrue(
                                t.getStatus().getState().getNumber() <= TaskState.RUNNING_VALUE,
                                t.getStatus().toString());
                    }
                    Task running = t;
                    // The step blocks in await; the engine then disappears.
                    CompletableFuture<Step> blocked =
                            CompletableFuture.supplyAsync(() -> Lifecycle.step(running, c));
                    DockerTestEnvironment.eventually(
                            java.time.Duration.ofSeconds(5),
                            "await to block",
                            () -> ((DockerController) c).openStreams() > 0);
                    relay.down();
                    Step cut = blocked.get(10, TimeUnit.SECONDS);
                    assertEquals(Step.Outcome.RETRY, cut.outcome(), cut.status().toString());
                    assertEquals(
                            TaskState.RUNNING,
                            cut.status().getState(),
                            "not failed while the container lives on");
                    // While the engine is away, steps keep retrying.
                    Step away =
                            Lifecycle.step(running.toBuilder().setStatus(cut.status()).build(), c);
                    assertEquals(Step.Outcome.RETRY, away.outcome(), away.status().toString());
                    assertTrue(
                            away.status().getErr().contains("unreachable"), away.status().getErr());
                    relay.up();
                    Step back =
                            Lifecycle.step(running.toBuilder().setStatus(away.status()).build(), c);
                    TaskStatus end = back.status();
                    assertEquals(TaskState.FAILED, end.getState(), end.toString());
                    assertEquals(
                            4, end.getContainer().getExitCode(), "the workload's own exit code");
                } finally {
                    relay.up();
                    c.remove();
                    c.close();
                }
            }
        }
    }

    @Test
    void aRemovalDuringAnOutageIsRetriedUntilTheEngineIsBackAndLeavesNothing() throws Exception {
        try (SocketRelay relay = SocketRelay.toTestEngine()) {
            try (DockerExecutor executor =
                    DockerTestEnvironment.executor(Map.of(DockerOptions.HOST, relay.host()))) {
                // ignores SIGTERM, so only the removal's kill ends it
                Task t =
                        task(shell("trap '' TERM; while :; do sleep 1; done")).toBuilder()
                                .setDesiredState(TaskState.RUNNING)
                                .build();
                Resolution r = Lifecycle.resolve(t, executor);
                Controller c = r.controller();
                CompletableFuture<Removal.Result> removal = null;
                try {
                    t = t.toBuilder().setStatus(r.status()).build();
                    while (t.getStatus().getState() != TaskState.RUNNING) {
                        t = t.toBuilder().setStatus(Lifecycle.step(t, c).status()).build();
                        assertTrue(
                                t.getStatus().getState().getNumber() <= TaskState.RUNNING_VALUE,
                                t.getStatus().toString());
                    }
                    assertEquals(1, containersOf(t).size(), "the task's container runs");

                    relay.down();
                    AtomicInteger retries = new AtomicInteger();
                    removal =
                            CompletableFuture.supplyAsync(
                                    () -> {
                                        try {
                                            return Removal.within(Duration.ofSeconds(60))
                                                    .remove(
                                                            c,
                                                            failure -> retries.incrementAndGet());
                                        } catch (InterruptedException e) {
                                            throw new IllegalStateException(e);
                                        }
                                    });
                    DockerTestEnvironment.eventually(
                            Duration.ofSeconds(20),
                            "the removal to retry while the engine is away",
                            () -> retries.get() >= 3);
                    assertTrue(
                            !removal.isDone(),
                            "the removal has not given up: "
                                    + (removal.isDone() ? removal.get() : ""));
                    assertEquals(
                            1,
                            containersOf(t).size(),
                            "nothing could remove the container meanwhile");

                    relay.up();
                    Removal.Result result = removal.get(60, TimeUnit.SECONDS);
                    assertTrue(result.removed(), result.toString());
                    assertTrue(result.attempts() > 3, result.toString());
                    assertEquals(
                            List.of(), containersOf(t), "nothing left once the engine is back");
                } finally {
                    relay.up();
                    if (removal != null) {
                        removal.get(90, TimeUnit.SECONDS);
                    }
                    c.remove();
                    c.close();
                }
            }
        }
    }

    /** The containers labelled with the task's id, running or not, asked of the engine directly. */
    private static List<String> containersOf(Task t) {
        try (Engine engine = new Engine(DockerOptions.defaults())) {
            return engine
                    .client()
                    .listContainersCmd()
                    .withShowAll(true)
                    .withLabelFilter(Map.of(ContainerPlan.LABEL_TASK_ID, t.getId()))
                    .exec()
                    .stream()
                    .map(container -> container.getId())
                    .toList();
        }
    }
}

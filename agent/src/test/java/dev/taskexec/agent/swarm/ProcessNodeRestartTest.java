package dev.taskexec.agent.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.agent.SwarmNode;
import dev.taskexec.agent.runtime.TaskMapping;
import dev.taskexec.api.Executor;
import dev.taskexec.api.TaskRecovery;
import dev.taskexec.core.ExecutorRegistry;
import dev.taskexec.store.sqlite.SqliteTaskStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node on the {@code process} backend, with a task store and the backend's {@code state-dir} as
 * {@code taskexec node join} gives it, is stopped and started again under a running swarm task,
 * against the Engine's own manager: the task's process runs on while the node is down, the started
 * node takes it up (the same process, never started twice), the swarm still shows its one task
 * Running, and removing the service then ends the process.
 */
@ExtendWith(EngineSwarm.class)
class ProcessNodeRestartTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir Path dir;

    private Executor executor;
    private SqliteTaskStore store;
    private SwarmNode node;
    private String service;

    private SwarmNode start(String token) throws Exception {
        executor =
                ExecutorRegistry.load()
                        .open(
                                "process",
                                Map.of("state-dir", dir.resolve("process-tasks").toString()));
        store = SqliteTaskStore.open(dir.resolve("tasks"));
        SwarmNode.Builder b =
                SwarmNode.builder(dir.resolve("identity"), executor)
                        .hostname(
                                "taskexec-restart-" + UUID.randomUUID().toString().substring(0, 8))
                        .store(store)
                        .mapping(TaskMapping.process(dir.resolve("files"), Set.of()));
        if (token != null) {
            b.manager(EngineSwarm.MANAGER).token(token);
        }
        return b.start();
    }

    private void stop() {
        if (node != null) {
            node.close();
            node = null;
        }
        if (executor != null) {
            executor.close();
            executor = null;
        }
        if (store != null) {
            store.close();
            store = null;
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (service != null) {
            DockerCli.run(WAIT, "service", "rm", service);
        }
        stop();
        // whatever a failed test left running under the backend's state-dir: reaped as orphans
        try (Executor e =
                ExecutorRegistry.load()
                        .open(
                                "process",
                                Map.of("state-dir", dir.resolve("process-tasks").toString()))) {
            ((TaskRecovery) e).reapOrphans(Set.of());
        }
    }

    @Test
    void aRunningProcessTaskOutlivesTheNodeAndIsTakenUpByItsRestart() throws Exception {
        node = start(EngineSwarm.workerToken());
        String nodeId = node.nodeId();
        Path pidFile = dir.resolve("pid");
        service = "tx-restart-" + UUID.randomUUID().toString().substring(0, 8);
        DockerCli.ok(
                "service",
                "create",
                "--detach",
                "--name",
                service,
                "--no-resolve-image",
                "--constraint",
                "node.id==" + nodeId,
                "--stop-grace-period",
                "2s",
                "busybox",
                "sh",
                "-c",
                "echo $$ > " + pidFile + "; exec sleep 300");
        await(
                service + " to run",
                () -> taskState(service).startsWith("Running") && Files.exists(pidFile));
        String task = DockerCli.ok("service", "ps", "-q", service);
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
        var startedAt = process.info().startInstant().orElseThrow();

        stop();
        assertTrue(process.isAlive(), "the task runs on while its node is stopped");

        node = start(null);
        assertEquals(nodeId, node.nodeId());
        await(
                "the restarted node to be Ready",
                () ->
                        DockerCli.ok(
                                        "node",
                                        "ls",
                                        "--filter",
                                        "id=" + nodeId,
                                        "--format",
                                        "{{.Status}}")
                                .equals("Ready"));
        // a second service completing on the restarted node shows its session is settled
        String probe = "tx-restart-probe-" + UUID.randomUUID().toString().substring(0, 8);
        DockerCli.ok(
                "service",
                "create",
                "--detach",
                "--name",
                probe,
                "--no-resolve-image",
                "--restart-condition",
                "none",
                "--constraint",
                "node.id==" + nodeId,
                "busybox",
                "true");
        try {
            await(probe + " to complete", () -> taskState(probe).startsWith("Complete"));
        } finally {
            DockerCli.run(WAIT, "service", "rm", probe);
        }

        assertEquals(
                task,
                DockerCli.ok("service", "ps", "-q", service),
                "the same one task, no replacement");
        assertTrue(taskState(service).startsWith("Running"), taskState(service));
        assertTrue(process.isAlive(), "the same process");
        assertEquals(
                startedAt,
                ProcessHandle.of(pid).orElseThrow().info().startInstant().orElseThrow(),
                "never started twice");
        assertEquals(
                pid,
                Long.parseLong(Files.readString(pidFile).strip()),
                "the task did not run again");

        DockerCli.ok("service", "rm", service);
        service = null;
        await("the taken-up task's process to end with its service", () -> !process.isAlive());
    }

    private static String taskState(String service) {
        return DockerCli.ok("service", "ps", "--format", "{{.CurrentState}}", service)
                .lines()
                .findFirst()
                .orElse("");
    }

    private static void await(String what, Supplier<Boolean> condition) {
        Await.until(what, WAIT, condition);
    }
}

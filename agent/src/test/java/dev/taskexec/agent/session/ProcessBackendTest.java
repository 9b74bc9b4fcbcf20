package dev.taskexec.agent.session;

import static dev.taskexec.agent.session.FakeManager.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.agent.proto.AssignmentsMessage;
import dev.taskexec.agent.runtime.TaskMapping;
import dev.taskexec.api.Executor;
import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.FileTarget;
import dev.taskexec.api.proto.LogSelector;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import dev.taskexec.api.proto.Mount;
import dev.taskexec.api.proto.NodeDescription;
import dev.taskexec.api.proto.PublishLogsMessage;
import dev.taskexec.api.proto.SecretReference;
import dev.taskexec.api.proto.SubscriptionMessage;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskSpec;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import dev.taskexec.core.ExecutorRegistry;
import dev.taskexec.core.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Swarm tasks, shaped as the Docker CLI sends them, on the real {@code process} backend: the
 * runtime mapping end to end with real processes, against the fake manager.
 */
@Timeout(60)
class ProcessBackendTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir Path files;

    final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    /** `docker service create --secret db busybox sh -c SCRIPT`, as the manager hands it over. */
    static Task cliTask(String id, String script) {
        return Task.newBuilder()
                .setId(id)
                .setServiceId("svc")
                .setNodeId("node-1")
                .setDesiredState(TaskState.RUNNING)
                .setStatus(TaskStatus.newBuilder().setState(TaskState.ASSIGNED))
                .setSpec(
                        TaskSpec.newBuilder()
                                .setContainer(
                                        ContainerSpec.newBuilder()
                                                .setImage("busybox:latest@sha256:0123")
                                                .addAllArgs(List.of("sh", "-c", script))
                                                .setDnsConfig(
                                                        ContainerSpec.DNSConfig
                                                                .getDefaultInstance())
                                                .addSecrets(
                                                        SecretReference.newBuilder()
                                                                .setSecretId("s1")
                                                                .setSecretName("db")
                                                                .setFile(
                                                                        FileTarget.newBuilder()
                                                                                .setName("db")
                                                                                .setUid("0")
                                                                                .setGid("0")
                                                                                .setMode(0444)))))
                .build();
    }

    @Test
    void aCliShapedTaskRunsReadsItsSecretAndReportsItsExitCodeAndLogs() throws Exception {
        Executor executor = ExecutorRegistry.load().open("process", Map.of());
        closing.add(executor);
        Worker worker = Worker.create(executor);
        closing.add(worker);
        InProcessChannels channels = new InProcessChannels();
        closing.add(channels);
        FakeManager m = new FakeManager("process-" + UUID.randomUUID() + ":2377");
        closing.add(m);
        m.setComplete(
                List.of(
                        SessionFixture.update(
                                cliTask(
                                        "ok",
                                        "cat \"$TASKEXEC_SECRETS_DIR/db\"; echo; echo to-stderr >&2; exit 3")),
                        SecretsTest.secret("s1", "hunter2"),
                        SessionFixture.update(
                                cliTask("mounted", "true").toBuilder()
                                        .setSpec(
                                                cliTask("mounted", "true").getSpec().toBuilder()
                                                        .setContainer(
                                                                cliTask("mounted", "true")
                                                                        .getSpec()
                                                                        .getContainer()
                                                                        .toBuilder()
                                                                        .addMounts(
                                                                                Mount.newBuilder()
                                                                                        .setSource(
                                                                                                "/tmp")
                                                                                        .setTarget(
                                                                                                "/data"))))
                                        .build())));
        SwarmSession session =
                SwarmSession.builder()
                        .channels(channels)
                        .nodeId("node-1")
                        .managers(List.of(m.address))
                        .worker(worker)
                        .description(() -> NodeDescription.newBuilder().setHostname("h").build())
                        .mapping(TaskMapping.process(files, Set.of()))
                        .build();
        closing.add(session);
        session.start();

        await(
                "ok FAILED",
                WAIT,
                () ->
                        m.statuses.containsKey("ok")
                                && m.statuses.get("ok").getState() == TaskState.FAILED);
        TaskStatus failed = m.statuses.get("ok");
        assertEquals(3, failed.getContainer().getExitCode());
        await(
                "mounted REJECTED",
                WAIT,
                () ->
                        m.statuses.containsKey("mounted")
                                && m.statuses.get("mounted").getState() == TaskState.REJECTED);
        assertTrue(
                m.statuses.get("mounted").getErr().contains("container.mounts"),
                m.statuses.get("mounted").getErr());

        await("listening", WAIT, m::listening);
        m.subscribe(
                SubscriptionMessage.newBuilder()
                        .setId("s")
                        .setSelector(LogSelector.newBuilder().addServiceIds("svc"))
                        .setOptions(LogSubscriptionOptions.getDefaultInstance())
                        .build());
        await(
                "logs closed",
                WAIT,
                () -> m.published.stream().anyMatch(PublishLogsMessage::getClose));
        List<String> lines =
                m.published.stream()
                        .flatMap(p -> p.getMessagesList().stream())
                        .map(l -> l.getData().toStringUtf8().strip())
                        .toList();
        assertTrue(lines.contains("hunter2"), lines.toString());
        assertTrue(lines.contains("to-stderr"), lines.toString());

        assertTrue(Files.exists(files.resolve("ok/secrets/db")));
        // the backend refused "mounted" after its files were made: they stay while it is assigned
        assertTrue(Files.exists(files.resolve("mounted/secrets/db")));
        m.send(
                AssignmentsMessage.Type.INCREMENTAL,
                List.of(SessionFixture.removeTask("ok"), SessionFixture.removeTask("mounted")));
        await(
                "the secrets removed with their tasks",
                WAIT,
                () ->
                        !Files.exists(files.resolve("ok"))
                                && !Files.exists(files.resolve("mounted")));
    }
}

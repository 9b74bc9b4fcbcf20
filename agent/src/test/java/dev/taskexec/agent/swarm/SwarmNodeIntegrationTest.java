package dev.taskexec.agent.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.agent.SwarmNode;
import dev.taskexec.agent.runtime.TaskFiles;
import dev.taskexec.agent.runtime.TaskMapping;
import dev.taskexec.api.Executor;
import dev.taskexec.core.ExecutorRegistry;
import dev.taskexec.store.sqlite.SqliteTaskStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A taskexec node (docker backend) in a real swarm: the local Engine in swarm mode on loopback
 * ({@link EngineSwarm}), checked only through the Docker CLI. The node is started once; the
 * restart test runs last.
 */
@ExtendWith(EngineSwarm.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwarmNodeIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String IMAGE =
            System.getProperty("taskexec.test.image", "taskexec-test:latest");
    private static final String HOSTNAME =
            "taskexec-it-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String LABEL = "dev.taskexec.test.swarm=" + HOSTNAME;

    @TempDir static Path state;

    private static Executor executor;
    private static SqliteTaskStore store;
    private static SwarmNode node;
    private static String nodeId;
    private final List<String> services = new ArrayList<>();

    @BeforeAll
    static void startNode() throws Exception {
        // As `taskexec node join -e docker` does: the policy lets the node's secret and config
        // files through.
        executor =
                ExecutorRegistry.load()
                        .open("docker", Map.of("allow-bind", TaskFiles.defaultRoot().toString()));
        store = SqliteTaskStore.open(state.resolve("tasks"));
        node = start(EngineSwarm.workerToken());
        nodeId = node.nodeId();
    }

    private static SwarmNode start(String token) throws Exception {
        SwarmNode.Builder builder =
                SwarmNode.builder(state, executor)
                        .hostname(HOSTNAME)
                        .store(store)
                        .mapping(TaskMapping.docker(TaskFiles.defaultRoot()));
        if (token != null) {
            builder.manager(EngineSwarm.MANAGER).token(token);
        }
        return builder.start();
    }

    @AfterEach
    void removeServices() {
        for (String service : services) {
            DockerCli.run(WAIT, "service", "rm", service);
        }
        // The node removes a removed service's containers; wait for that, so no test leaves any.
        await(
                "the node's containers to be removed",
                () ->
                        DockerCli.ok(
                                        "ps",
                                        "-aq",
                                        "--filter",
                                        "label=dev.taskexec.node.id=" + nodeId)
                                .isEmpty());
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
        if (executor != null) {
            executor.close();
        }
        if (store != null) {
            store.close();
        }
        if (nodeId != null) {
            String left =
                    DockerCli.run(
                                    WAIT,
                                    "ps",
                                    "-aq",
                                    "--filter",
                                    "label=dev.taskexec.node.id=" + nodeId)
                            .out();
            for (String container : left.lines().toList()) {
                DockerCli.run(WAIT, "rm", "-f", container);
            }
        }
    }

    @Test
    @Order(1)
    void joinsAsAReadyWorker() {
        await("docker node ls to show the node Ready", () -> nodeLine().contains("Ready"));
        String line = nodeLine();
        assertTrue(line.contains(HOSTNAME) && line.contains("Active"), line);
        assertEquals(
                "worker", DockerCli.ok("node", "inspect", "--format", "{{.Spec.Role}}", nodeId));
    }

    @Test
    @Order(2)
    void aPinnedServiceCompletesAndAFailingOneShowsItsExitCode() {
        String ok = service("--restart-condition", "none", IMAGE, "sh", "-c", "echo hello");
        String failing =
                service("--restart-condition", "none", IMAGE, "sh", "-c", "echo bye; exit 7");
        await(ok + " to complete", () -> taskState(ok).startsWith("Complete"));
        await(failing + " to fail", () -> taskState(failing).startsWith("Failed"));
        // --no-trunc prints the error quoted.
        assertEquals(
                "\"task: non-zero exit (7)\"",
                DockerCli.ok("service", "ps", "--no-trunc", "--format", "{{.Error}}", failing));
        assertEquals(nodeId, nodeIdOf(ok));
    }

    @Test
    @Order(3)
    void serviceLogsPrintStdoutAndStderrWithTailAndFollow() {
        String done =
                service(
                        "--restart-condition",
                        "none",
                        IMAGE,
                        "sh",
                        "-c",
                        "echo line-1; echo line-2; echo to-stderr >&2; echo line-3");
        await(done + " to complete", () -> taskState(done).startsWith("Complete"));
        String all = logs(done);
        for (String line : List.of("line-1", "line-2", "line-3", "to-stderr")) {
            assertTrue(all.contains(line), "docker service logs " + done + ":\n" + all);
        }
        assertTrue(all.lines().allMatch(l -> l.contains("@" + HOSTNAME)), all);
        // The CLI writes a stderr line to its stderr: count both.
        DockerCli.Result tail = DockerCli.run(WAIT, "service", "logs", "--tail", "1", done);
        List<String> tailLines =
                (tail.stdout() + tail.stderr()).lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, tailLines.size(), tail.toString());

        String running =
                service(
                        IMAGE,
                        "sh",
                        "-c",
                        "i=0; while true; do i=$((i+1)); echo tick-$i; sleep 0.2; done");
        await(running + " to run", () -> taskState(running).startsWith("Running"));
        // -f: the stream stays open (the CLI is still running after 4 s) and new lines keep
        // arriving.
        DockerCli.Result followed =
                DockerCli.runFor(Duration.ofSeconds(4), "service", "logs", "-f", "--raw", running);
        assertEquals(
                -1, followed.exitCode(), "docker service logs -f ended by itself: " + followed);
        assertTrue(
                followed.stdout().lines().filter(l -> l.startsWith("tick-")).count() >= 3,
                followed.toString());
    }

    @Test
    @Order(4)
    void aServiceReadsItsSecretAndConfig() {
        String secret = "tx-it-secret-" + UUID.randomUUID().toString().substring(0, 8);
        String config = "tx-it-config-" + UUID.randomUUID().toString().substring(0, 8);
        Path file = state.resolve("payload");
        try {
            java.nio.file.Files.writeString(file, "s3cret-value");
            DockerCli.ok("secret", "create", secret, file.toString());
            java.nio.file.Files.writeString(file, "config-value");
            DockerCli.ok("config", "create", config, file.toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try {
            String reader =
                    service(
                            "--restart-condition",
                            "none",
                            "--secret",
                            secret,
                            "--config",
                            "source=" + config + ",target=/etc/app.conf",
                            IMAGE,
                            "sh",
                            "-c",
                            "cat /run/secrets/" + secret + "; echo; cat /etc/app.conf; echo");
            await(reader + " to complete", () -> taskState(reader).startsWith("Complete"));
            String out = logs(reader);
            assertTrue(out.contains("s3cret-value") && out.contains("config-value"), out);
            // the manager takes the secret back once the task ended, in the message that repeats
            // the
            // task: the node once mapped the task again then, and reported the completed task
            // Rejected
            String states =
                    DockerCli.ok(
                            "service", "ps", "--format", "{{.CurrentState}} {{.Error}}", reader);
            assertTrue(states.lines().allMatch(l -> l.startsWith("Complete")), states);
            DockerCli.ok("service", "rm", reader);
            services.remove(reader);
            await(
                    reader + "'s container to go",
                    () ->
                            DockerCli.ok(
                                            "ps",
                                            "-aq",
                                            "--filter",
                                            "label=dev.taskexec.service.name=" + reader)
                                    .isEmpty());
        } finally {
            DockerCli.run(WAIT, "secret", "rm", secret);
            DockerCli.run(WAIT, "config", "rm", config);
        }
    }

    @Test
    @Order(5)
    void scalingToZeroAndRemovingStopTheTasks() {
        String service = service(IMAGE, "sleep", "300");
        await(service + " to run", () -> taskState(service).startsWith("Running"));
        DockerCli.ok("service", "update", "--detach", "--replicas", "0", service);
        await(
                service + "'s task to stop",
                () ->
                        DockerCli.ok(
                                        "ps",
                                        "-q",
                                        "--filter",
                                        "label=dev.taskexec.service.name=" + service)
                                .isEmpty());
        DockerCli.ok("service", "update", "--detach", "--replicas", "1", service);
        await(
                service + " to run again",
                () ->
                        DockerCli.ok(
                                        "service",
                                        "ps",
                                        "--filter",
                                        "desired-state=running",
                                        "--format",
                                        "{{.CurrentState}}",
                                        service)
                                .startsWith("Running"));
        DockerCli.ok("service", "rm", service);
        services.remove(service);
        await(
                service + "'s container to go",
                () ->
                        DockerCli.ok(
                                        "ps",
                                        "-aq",
                                        "--filter",
                                        "label=dev.taskexec.service.name=" + service)
                                .isEmpty());
    }

    @Test
    @Order(6)
    void drainingTheNodeStopsItsTasks() {
        String service = service(IMAGE, "sleep", "300");
        await(service + " to run", () -> taskState(service).startsWith("Running"));
        DockerCli.ok("node", "update", "--availability", "drain", nodeId);
        try {
            await(
                    service + "'s task to stop",
                    () ->
                            DockerCli.ok(
                                            "ps",
                                            "-q",
                                            "--filter",
                                            "label=dev.taskexec.service.name=" + service)
                                    .isEmpty());
            // the container is gone once the node stopped it; the SHUTDOWN it reports reaches the
            // manager a moment later
            await(
                    "docker service ps to show " + service + "'s task Shutdown",
                    () ->
                            DockerCli.ok(
                                            "service",
                                            "ps",
                                            "--format",
                                            "{{.DesiredState}} {{.CurrentState}}",
                                            service)
                                    .lines()
                                    .anyMatch(l -> l.startsWith("Shutdown Shutdown")));
        } finally {
            DockerCli.ok("node", "update", "--availability", "active", nodeId);
        }
    }

    @Test
    @Order(7)
    void survivesARootRotation() {
        DockerCli.ok("swarm", "ca", "--rotate", "--detach");
        // The rotation finishes only when every node, this one included, reports a certificate from
        // the new root in its description (tls_info); the manager stops offering ALPN on the way.
        await(
                "the root rotation to finish",
                () ->
                        DockerCli.ok(
                                        "info",
                                        "--format",
                                        "{{.Swarm.Cluster.RootRotationInProgress}}")
                                .equals("false"));
        await("the node to be Ready", () -> nodeLine().contains("Ready"));
        String after =
                service("--restart-condition", "none", IMAGE, "sh", "-c", "echo after rotation");
        await(after + " to complete", () -> taskState(after).startsWith("Complete"));
    }

    @Test
    @Order(8)
    void aRestartIsTheSameNodeWithoutAToken() throws Exception {
        node.close();
        node = start(null);
        assertEquals(nodeId, node.nodeId());
        await("the restarted node to be Ready", () -> nodeLine().contains("Ready"));
        String service = service("--restart-condition", "none", IMAGE, "true");
        await(service + " to complete", () -> taskState(service).startsWith("Complete"));
        assertEquals(
                2,
                DockerCli.ok("node", "ls", "--format", "{{.ID}}").lines().count(),
                "no second node");
    }

    @Test
    @Order(9)
    void aRunningTaskOutlivesARestartOfTheNode() throws Exception {
        String service = service(IMAGE, "sleep", "300");
        await(service + " to run", () -> taskState(service).startsWith("Running"));
        String task = DockerCli.ok("service", "ps", "-q", service);
        String container =
                DockerCli.ok(
                        "ps",
                        "-q",
                        "--no-trunc",
                        "--filter",
                        "label=dev.taskexec.service.name=" + service);
        String startedAt = DockerCli.ok("inspect", "--format", "{{.State.StartedAt}}", container);

        node.close();
        assertEquals(
                "true",
                DockerCli.ok("inspect", "--format", "{{.State.Running}}", container),
                "the task runs on while its node is stopped");
        node = start(null);
        await("the restarted node to be Ready", () -> nodeLine().contains("Ready"));
        // the restarted node reports the task it took up from its store; give the manager time to
        // have heard from it (a status report follows the session's first heartbeat)
        String other = service("--restart-condition", "none", IMAGE, "true");
        await(
                other + " to complete on the restarted node",
                () -> taskState(other).startsWith("Complete"));

        assertEquals(
                task,
                DockerCli.ok("service", "ps", "-q", service),
                "the same one task, no replacement");
        assertTrue(taskState(service).startsWith("Running"), taskState(service));
        assertEquals(
                container,
                DockerCli.ok(
                        "ps",
                        "-q",
                        "--no-trunc",
                        "--filter",
                        "label=dev.taskexec.service.name=" + service),
                "the same container");
        assertEquals(
                startedAt,
                DockerCli.ok("inspect", "--format", "{{.State.StartedAt}}", container),
                "never started twice");
    }

    private String service(String... args) {
        String name = "tx-it-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> command =
                new ArrayList<>(
                        List.of(
                                "service",
                                "create",
                                "--detach",
                                "--name",
                                name,
                                "--label",
                                LABEL,
                                "--no-resolve-image",
                                "--constraint",
                                "node.id==" + nodeId,
                                "--stop-grace-period",
                                "2s"));
        command.addAll(List.of(args));
        DockerCli.ok(command.toArray(new String[0]));
        services.add(name);
        return name;
    }

    /** {@code docker service logs} of a finished service, once its lines have arrived. */
    private static String logs(String service) {
        String[] out = {""};
        await(
                "docker service logs " + service,
                () -> {
                    DockerCli.Result r =
                            DockerCli.run(Duration.ofSeconds(20), "service", "logs", service);
                    out[0] = r.stdout() + r.stderr();
                    return r.exitCode() == 0 && !r.stdout().isBlank();
                });
        return out[0];
    }

    private static String taskState(String service) {
        return DockerCli.ok("service", "ps", "--format", "{{.CurrentState}}", service)
                .lines()
                .findFirst()
                .orElse("");
    }

    private static String nodeIdOf(String service) {
        String task =
                DockerCli.ok("service", "ps", "-q", service).lines().findFirst().orElseThrow();
        return DockerCli.ok("inspect", "--format", "{{.NodeID}}", task);
    }

    private static String nodeLine() {
        return DockerCli.ok(
                "node",
                "ls",
                "--filter",
                "id=" + nodeId,
                "--format",
                "{{.ID}} {{.Hostname}} {{.Status}} {{.Availability}}");
    }

    private static void await(String what, Supplier<Boolean> condition) {
        Await.until(what, WAIT, condition);
    }
}

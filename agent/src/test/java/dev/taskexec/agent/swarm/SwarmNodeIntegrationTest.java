package dev.taskexec.agent.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.agent.SwarmNode;
import dev.taskexec.api.Executor;
import dev.taskexec.core.ExecutorRegistry;
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
    private static final String IMAGE = System.getProperty("taskexec.test.image", "taskexec-test:latest");
    private static final String HOSTNAME = "taskexec-it-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String LABEL = "dev.taskexec.test.swarm=" + HOSTNAME;

    @TempDir
    static Path state;

    private static Executor executor;
    private static SwarmNode node;
    private static String nodeId;
    private final List<String> services = new ArrayList<>();

    @BeforeAll
    static void startNode() throws Exception {
        executor = ExecutorRegistry.load().open("docker", Map.of());
        node = start(EngineSwarm.workerToken());
        nodeId = node.nodeId();
    }

    private static SwarmNode start(String token) throws Exception {
        SwarmNode.Builder builder = SwarmNode.builder(state, executor).hostname(HOSTNAME);
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
        await("the node's containers to be removed", () -> DockerCli.ok("ps", "-aq", "--filter",
                "label=dev.taskexec.node.id=" + nodeId).isEmpty());
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
        if (executor != null) {
            executor.close();
        }
        if (nodeId != null) {
            String left = DockerCli.run(WAIT, "ps", "-aq", "--filter", "label=dev.taskexec.node.id=" + nodeId).out();
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
        assertEquals("worker", DockerCli.ok("node", "inspect", "--format", "{{.Spec.Role}}", nodeId));
    }

    @Test
    @Order(2)
    void aPinnedServiceCompletesAndAFailingOneShowsItsExitCode() {
        String ok = service("--restart-condition", "none", IMAGE, "sh", "-c", "echo hello");
        String failing = service("--restart-condition", "none", IMAGE, "sh", "-c", "echo bye; exit 7");
        await(ok + " to complete", () -> taskState(ok).startsWith("Complete"));
        await(failing + " to fail", () -> taskState(failing).startsWith("Failed"));
        // --no-trunc prints the error quoted.
        assertEquals("\"task: non-zero exit (7)\"",
                DockerCli.ok("service", "ps", "--no-trunc", "--format", "{{.Error}}", failing));
        assertEquals(nodeId, nodeIdOf(ok));
    }

    @Test
    @Order(3)
    void scalingToZeroAndRemovingStopTheTasks() {
        String service = service(IMAGE, "sleep", "300");
        await(service + " to run", () -> taskState(service).startsWith("Running"));
        DockerCli.ok("service", "update", "--detach", "--replicas", "0", service);
        await(service + "'s task to stop", () -> DockerCli.ok("ps", "-q", "--filter",
                "label=dev.taskexec.service.name=" + service).isEmpty());
        DockerCli.ok("service", "update", "--detach", "--replicas", "1", service);
        await(service + " to run again", () -> DockerCli.ok("service", "ps", "--filter", "desired-state=running",
                "--format", "{{.CurrentState}}", service).startsWith("Running"));
        DockerCli.ok("service", "rm", service);
        services.remove(service);
        await(service + "'s container to go", () -> DockerCli.ok("ps", "-aq", "--filter",
                "label=dev.taskexec.service.name=" + service).isEmpty());
    }

    @Test
    @Order(4)
    void drainingTheNodeStopsItsTasks() {
        String service = service(IMAGE, "sleep", "300");
        await(service + " to run", () -> taskState(service).startsWith("Running"));
        DockerCli.ok("node", "update", "--availability", "drain", nodeId);
        try {
            await(service + "'s task to stop", () -> DockerCli.ok("ps", "-q", "--filter",
                    "label=dev.taskexec.service.name=" + service).isEmpty());
            assertTrue(DockerCli.ok("service", "ps", "--format", "{{.DesiredState}} {{.CurrentState}}", service)
                    .lines().anyMatch(l -> l.startsWith("Shutdown Shutdown")), "docker service ps shows it Shutdown");
        } finally {
            DockerCli.ok("node", "update", "--availability", "active", nodeId);
        }
    }

    @Test
    @Order(5)
    void survivesARootRotation() {
        DockerCli.ok("swarm", "ca", "--rotate", "--detach");
        // The rotation finishes only when every node, this one included, reports a certificate from
        // the new root in its description (tls_info); the manager stops offering ALPN on the way.
        await("the root rotation to finish", () -> DockerCli.ok("info", "--format",
                "{{.Swarm.Cluster.RootRotationInProgress}}").equals("false"));
        await("the node to be Ready", () -> nodeLine().contains("Ready"));
        String after = service("--restart-condition", "none", IMAGE, "sh", "-c", "echo after rotation");
        await(after + " to complete", () -> taskState(after).startsWith("Complete"));
    }

    @Test
    @Order(6)
    void aRestartIsTheSameNodeWithoutAToken() throws Exception {
        node.close();
        node = start(null);
        assertEquals(nodeId, node.nodeId());
        await("the restarted node to be Ready", () -> nodeLine().contains("Ready"));
        String service = service("--restart-condition", "none", IMAGE, "true");
        await(service + " to complete", () -> taskState(service).startsWith("Complete"));
        assertEquals(2, DockerCli.ok("node", "ls", "--format", "{{.ID}}").lines().count(), "no second node");
    }

    private String service(String... args) {
        String name = "tx-it-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> command = new ArrayList<>(List.of("service", "create", "--detach", "--name", name,
                "--label", LABEL, "--no-resolve-image", "--constraint", "node.id==" + nodeId,
                "--stop-grace-period", "2s"));
        command.addAll(List.of(args));
        DockerCli.ok(command.toArray(new String[0]));
        services.add(name);
        return name;
    }

    private static String taskState(String service) {
        return DockerCli.ok("service", "ps", "--format", "{{.CurrentState}}", service).lines().findFirst().orElse("");
    }

    private static String nodeIdOf(String service) {
        String task = DockerCli.ok("service", "ps", "-q", service).lines().findFirst().orElseThrow();
        return DockerCli.ok("inspect", "--format", "{{.NodeID}}", task);
    }

    private static String nodeLine() {
        return DockerCli.ok("node", "ls", "--filter", "id=" + nodeId, "--format",
                "{{.ID}} {{.Hostname}} {{.Status}} {{.Availability}}");
    }

    private static void await(String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(250); // polling interval of a condition with a deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}

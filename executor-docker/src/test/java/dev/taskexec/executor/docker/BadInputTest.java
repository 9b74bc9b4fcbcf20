package dev.taskexec.executor.docker;

import static dev.taskexec.executor.docker.DockerTestEnvironment.shell;
import static dev.taskexec.executor.docker.DockerTestEnvironment.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.Controller;
import dev.taskexec.api.Errors;
import dev.taskexec.api.RuntimeUnsupportedException;
import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.Endpoint;
import dev.taskexec.api.proto.GenericRuntimeSpec;
import dev.taskexec.api.proto.Mount;
import dev.taskexec.api.proto.PortConfig;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskSpec;
import dev.taskexec.api.support.InvalidTaskException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad tasks fail before STARTING (so the lifecycle rejects them) with a message naming the problem,
 * and leave no container behind.
 */
class BadInputTest {

    @RegisterExtension static final SharedExecutor engine = new SharedExecutor();

    /** The failure of {@code controller(task)} or else of {@code prepare()}; the container is removed. */
    private static Exception failureBeforeStart(Task task) throws Exception {
        Controller c;
        try {
            c = engine.executor().controller(task);
        } catch (Exception e) {
            return e;
        }
        try {
            Exception e = assertThrows(Exception.class, c::prepare, "prepare should fail");
            assertFalse(Errors.isTemporary(e), "a bad task is not retried: " + e);
            return e;
        } finally {
            c.remove();
            c.close();
        }
    }

    private static void assertRejected(ContainerSpec.Builder spec, String... mentions)
            throws Exception {
        assertRejected(task(spec), mentions);
    }

    private static void assertRejected(Task task, String... mentions) throws Exception {
        Exception e = failureBeforeStart(task);
        for (String m : mentions) {
            assertTrue(
                    e.getMessage() != null && e.getMessage().contains(m),
                    "message \"" + e.getMessage() + "\" names " + m);
        }
    }

    @Test
    void missingImage() throws Exception {
        assertRejected(shell("true").clearImage(), "container.image: an image is required");
    }

    @Test
    void malformedImageReference() throws Exception {
        assertRejected(
                shell("true").setImage("Not A/Valid::ref"),
                "malformed image reference",
                "Not A/Valid::ref");
        assertRejected(shell("true").setImage("Busybox:1"), "lower case");
    }

    @Test
    void imageAbsentWithPullPolicyNever() throws Exception {
        try (DockerExecutor never =
                DockerTestEnvironment.executor(Map.of(DockerOptions.PULL, "never"))) {
            Controller c =
                    never.controller(task(shell("true").setImage("taskexec-absent-image:1")));
            try {
                InvalidTaskException e = assertThrows(InvalidTaskException.class, c::prepare);
                assertTrue(
                        e.getMessage().contains("taskexec-absent-image:1")
                                && e.getMessage().contains("never"),
                        e.getMessage());
            } finally {
                c.remove();
                c.close();
            }
        }
    }

    @Test
    void imageThatCannotBePulledFailsTheCreateWithBothReasons() throws Exception {
        // Port 1 refuses at once: the pull fails fast whatever the network.
        assertRejected(
                shell("true").setImage("localhost:1/taskexec-absent:1"),
                "localhost:1/taskexec-absent:1",
                "pulling it failed");
    }

    @Test
    void presentImageIsNotPulledUnderMissing() throws Exception {
        // The test image exists only locally: a pull would fail, so success proves none was made.
        Controller c = engine.executor().controller(task(shell("true")));
        try {
            c.prepare();
        } finally {
            c.remove();
            c.close();
        }
    }

    @Test
    void invalidEnvEntry() throws Exception {
        assertRejected(
                shell("true").addEnv("NOEQUALS"),
                "container.env[0]: ",
                "is not NAME=VALUE",
                "NOEQUALS");
        assertRejected(shell("true").addEnv("=value"), "container.env[0]: ", "is not NAME=VALUE");
    }

    @Test
    void badMounts() throws Exception {
        assertRejected(
                shell("true")
                        .addMounts(
                                Mount.newBuilder()
                                        .setType(Mount.Type.BIND)
                                        .setSource("/tmp")
                                        .setTarget("relative")),
                "container.mounts[0].target: ",
                "relative");
        assertRejected(
                shell("true")
                        .addMounts(
                                Mount.newBuilder()
                                        .setType(Mount.Type.BIND)
                                        .setSource("rel")
                                        .setTarget("/x")),
                "bind source",
                "rel");
        // Only the engine knows the host path is missing; its message is kept.
        assertRejected(
                shell("true")
                        .addMounts(
                                Mount.newBuilder()
                                        .setType(Mount.Type.BIND)
                                        .setSource("/nonexistent/taskexec/path")
                                        .setTarget("/x")),
                "/nonexistent/taskexec/path");
        assertRejected(
                shell("true")
                        .addMounts(
                                Mount.newBuilder()
                                        .setType(Mount.Type.CLUSTER)
                                        .setSource("v")
                                        .setTarget("/x")),
                "CLUSTER",
                "not supported");
    }

    @Test
    void unknownCapability() throws Exception {
        assertRejected(
                shell("true").addCapabilityAdd("CAP_TIME_TRAVEL"),
                "capability_add",
                "CAP_TIME_TRAVEL");
    }

    @Test
    void unknownStopSignal() throws Exception {
        assertRejected(
                shell("true").setStopSignal("SIGBOGUS"),
                "container.stop_signal: unknown signal",
                "SIGBOGUS");
    }

    @Test
    void portConflicts() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));
            int port = taken.getLocalPort();
            Task t =
                    task(shell("true")).toBuilder()
                            .setEndpoint(
                                    Endpoint.newBuilder()
                                            .addPorts(
                                                    PortConfig.newBuilder()
                                                            .setTargetPort(80)
                                                            .setPublishedPort(port)
                                                            .setPublishMode(
                                                                    PortConfig.PublishMode.HOST)))
                            .build();
            assertRejected(t, "host port " + port, "already in use");
        }
        Task twice =
                task(shell("true")).toBuilder()
                        .setEndpoint(
                                Endpoint.newBuilder()
                                        .addPorts(
                                                PortConfig.newBuilder()
                                                        .setTargetPort(80)
                                                        .setPublishedPort(18080)
                                                        .setPublishMode(
                                                                PortConfig.PublishMode.HOST))
                                        .addPorts(
                                                PortConfig.newBuilder()
                                                        .setTargetPort(81)
                                                        .setPublishedPort(18080)
                                                        .setPublishMode(
                                                                PortConfig.PublishMode.HOST)))
                        .build();
        assertRejected(twice, "18080");
    }

    @Test
    void nonContainerRuntimeIsUnsupported() throws Exception {
        Task generic =
                task(shell("true")).toBuilder()
                        .setSpec(
                                TaskSpec.newBuilder()
                                        .setGeneric(GenericRuntimeSpec.newBuilder().setKind("vm")))
                        .build();
        assertInstanceOf(RuntimeUnsupportedException.class, failureBeforeStart(generic));
    }

    @Test
    void containerNamesAreValidAndUnique() {
        Task t =
                task(shell("true")).toBuilder()
                        .setServiceAnnotations(
                                dev.taskexec.api.proto.Annotations.newBuilder()
                                        .setName("-my service/1"))
                        .build();
        String name = ContainerPlan.containerName(t);
        assertTrue(name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*"), name);
        assertTrue(name.endsWith(t.getId()), name);
        Task named =
                t.toBuilder()
                        .setAnnotations(
                                dev.taskexec.api.proto.Annotations.newBuilder().setName("web.1"))
                        .build();
        assertEquals("web.1." + t.getId(), ContainerPlan.containerName(named));
    }
}

package dev.taskexec.executor.docker;

import static dev.taskexec.executor.docker.DockerTestEnvironment.shell;
import static dev.taskexec.executor.docker.DockerTestEnvironment.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.Controller;
import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.Endpoint;
import dev.taskexec.api.proto.Mount;
import dev.taskexec.api.proto.PortConfig;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import dev.taskexec.core.Lifecycle;
import dev.taskexec.core.Resolution;
import dev.taskexec.core.Step;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tasks driven by the real lifecycle ({@link Lifecycle#resolve}, {@link Lifecycle#step}) on the
 * real engine: the statuses a user sees, for good and bad tasks.
 */
class LifecycleDrivenTest {

    private static final int MAX_STEPS = 20;
    @RegisterExtension static final SharedExecutor engine = new SharedExecutor();

    /** Resolves and steps {@code task} towards {@code desired} until NOOP; removes what it made. */
    private static TaskStatus drive(DockerExecutor on, Task task, TaskState desired) {
        Task t = task.toBuilder().setDesiredState(desired).build();
        Resolution r = Lifecycle.resolve(t, on);
        t = t.toBuilder().setStatus(r.status()).build();
        if (!r.resolved()) {
            return r.status();
        }
        Controller c = r.controller();
        try {
            for (int i = 0; i < MAX_STEPS; i++) {
                Step s = Lifecycle.step(t, c);
                t = t.toBuilder().setStatus(s.status()).build();
                if (s.outcome() != Step.Outcome.PROGRESSED) {
                    return s.status();
                }
            }
            throw new AssertionError("no NOOP after " + MAX_STEPS + " steps: " + t.getStatus());
        } finally {
            try {
                c.remove();
            } catch (Exception e) {
                throw new AssertionError("remove failed", e);
            } finally {
                c.close();
            }
        }
    }

    private static TaskStatus drive(ContainerSpec.Builder spec) {
        return drive(engine.executor(), task(spec), TaskState.RUNNING);
    }

    @Test
    void successfulTaskCompletesWithItsContainerStatus() {
        TaskStatus s = drive(shell("true"));
        assertEquals(TaskState.COMPLETE, s.getState(), s.toString());
        assertTrue(s.hasContainer());
        assertFalse(s.getContainer().getContainerId().isEmpty());
        assertEquals(0, s.getContainer().getExitCode());
    }

    @Test
    void failingTaskFailsWithItsExitCode() {
        TaskStatus s = drive(shell("exit 5"));
        assertEquals(TaskState.FAILED, s.getState(), s.toString());
        assertEquals(5, s.getContainer().getExitCode());
        assertTrue(s.getErr().contains("non-zero exit (5)"), s.getErr());
    }

    @Test
    void desiredShutdownStopsARunningTask() throws Exception {
        Task t =
                task(shell("trap 'exit 0' TERM; while true; do sleep 0.1; done")).toBuilder()
                        .setDesiredState(TaskState.RUNNING)
                        .build();
        Resolution r = Lifecycle.resolve(t, engine.executor());
        Controller c = r.controller();
        try {
            t = t.toBuilder().setStatus(r.status()).build();
            while (t.getStatus().getState() != TaskState.RUNNING) {
                t = t.toBuilder().setStatus(Lifecycle.step(t, c).status()).build();
                assertTrue(
                        t.getStatus().getState().getNumber() <= TaskState.RUNNING_VALUE,
                        t.getStatus().toString());
            }
            t = t.toBuilder().setDesiredState(TaskState.SHUTDOWN).build();
            Step s = Lifecycle.step(t, c);
            assertEquals(TaskState.SHUTDOWN, s.status().getState(), s.status().toString());
        } finally {
            c.remove();
            c.close();
        }
    }

    private static void assertRejected(Task task, String... mentions) {
        assertRejected(engine.executor(), task, mentions);
    }

    private static void assertRejected(DockerExecutor on, Task task, String... mentions) {
        TaskStatus s = drive(on, task, TaskState.RUNNING);
        assertEquals(TaskState.REJECTED, s.getState(), s.toString());
        for (String m : mentions) {
            assertTrue(s.getErr().contains(m), "err \"" + s.getErr() + "\" names " + m);
        }
    }

    @Test
    void badTasksAreRejectedWithTheProblemNamed() throws Exception {
        assertRejected(task(shell("true").clearImage()), "container.image: an image is required");
        assertRejected(task(shell("true").setImage("bad ref!")), "malformed image reference");
        assertRejected(task(shell("true").addEnv("JUSTANAME")), "container.env[0]: ", "JUSTANAME");
        assertRejected(
                task(shell("true").setStopSignal("SIGNOPE")),
                "container.stop_signal: unknown signal",
                "SIGNOPE");
        assertRejected(
                task(
                        shell("true")
                                .addMounts(
                                        Mount.newBuilder()
                                                .setType(Mount.Type.BIND)
                                                .setSource("/nonexistent/taskexec")
                                                .setTarget("/data"))),
                "/nonexistent/taskexec");
        assertRejected(
                task(shell("true").setImage("localhost:1/taskexec-absent:1")), "taskexec-absent");
        try (DockerExecutor never =
                DockerTestEnvironment.executor(Map.of(DockerOptions.PULL, "never"))) {
            assertRejected(
                    never,
                    task(shell("true").setImage("taskexec-absent:2")),
                    "taskexec-absent:2",
                    "pull policy is never");
        }
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));
            Task t =
                    task(shell("true")).toBuilder()
                            .setEndpoint(
                                    Endpoint.newBuilder()
                                            .addPorts(
                                                    PortConfig.newBuilder()
                                                            .setTargetPort(80)
                                                            .setPublishedPort(taken.getLocalPort())
                                                            .setPublishMode(
                                                                    PortConfig.PublishMode.HOST)))
                            .build();
            assertRejected(t, "host port " + taken.getLocalPort(), "already in use");
        }
    }

    @Test
    void anUnreachableEngineRetriesInsteadOfRejecting() {
        try (DockerExecutor nowhere =
                DockerTestEnvironment.executor(
                        Map.of(DockerOptions.HOST, "unix:///nonexistent/docker.sock"))) {
            Task t =
                    task(shell("true")).toBuilder()
                            .setDesiredState(TaskState.RUNNING)
                            .setStatus(TaskStatus.newBuilder().setState(TaskState.PREPARING))
                            .build();
            Resolution r = Lifecycle.resolve(t, nowhere);
            assertNotNull(r.controller());
            Step s = Lifecycle.step(t, r.controller());
            assertEquals(Step.Outcome.RETRY, s.outcome(), s.toString());
            assertEquals(TaskState.PREPARING, s.status().getState());
            assertTrue(s.status().getErr().contains("unreachable"), s.status().getErr());
            r.controller().close();
        }
    }
}

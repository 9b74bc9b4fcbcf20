package dev.taskexec.executor.process;

import static dev.taskexec.executor.process.Conditions.alive;
import static dev.taskexec.executor.process.Conditions.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Duration;
import dev.taskexec.api.ContainerStatuser;
import dev.taskexec.api.Controller;
import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.LogStream;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import dev.taskexec.core.Lifecycle;
import dev.taskexec.core.Resolution;
import dev.taskexec.core.Step;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Drives the process backend through {@link Lifecycle}, as an agent does. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessLifecycleTest {

    private static final java.time.Duration WAIT = java.time.Duration.ofSeconds(10);

    private final ProcessExecutor executor =
            new ProcessExecutor(ProcessExecutorOptions.parse(Map.of()));

    @AfterEach
    void tearDown() {
        executor.close();
    }

    /** A task as the orchestrator sends it: ASSIGNED, wanted RUNNING. */
    private static Task assigned(Task t) {
        return t.toBuilder()
                .setDesiredState(TaskState.RUNNING)
                .setStatus(TaskStatus.newBuilder().setState(TaskState.ASSIGNED))
                .build();
    }

    /** Steps until NOOP; returns the task with its last status. */
    private static Task drive(Task task, Controller c) {
        Task t = task;
        for (int i = 0; i < 50; i++) {
            Step step = Lifecycle.step(t, c);
            t = t.toBuilder().setStatus(step.status()).build();
            if (step.outcome() == Step.Outcome.NOOP) {
                return t;
            }
        }
        throw new AssertionError("no NOOP after 50 steps; last status " + t.getStatus());
    }

    @Test
    void aSuccessfulTaskCompletesWithItsOutput() throws Exception {
        Task task = assigned(Tasks.sh("echo hello"));
        Resolution r = Lifecycle.resolve(task, executor);
        assertTrue(r.resolved(), String.valueOf(r.failure()));
        Task done = drive(task.toBuilder().setStatus(r.status()).build(), r.controller());
        assertEquals(TaskState.COMPLETE, done.getStatus().getState());
        assertEquals(0, done.getStatus().getContainer().getExitCode());
        assertEquals(
                TaskStorage.containerId(task.getId()),
                done.getStatus().getContainer().getContainerId());
        assertEquals("hello\n", Logs.text(Logs.all(r.controller()), LogStream.LOG_STREAM_STDOUT));
        removeAndClose(r.controller());
    }

    @Test
    void aFailingTaskFailsWithItsExitCode() throws Exception {
        Task task = assigned(Tasks.sh("echo bye >&2; exit 42"));
        Resolution r = Lifecycle.resolve(task, executor);
        Task done = drive(task.toBuilder().setStatus(r.status()).build(), r.controller());
        assertEquals(TaskState.FAILED, done.getStatus().getState());
        assertEquals(42, done.getStatus().getContainer().getExitCode());
        assertTrue(done.getStatus().getErr().contains("42"), done.getStatus().getErr());
        assertEquals("bye\n", Logs.text(Logs.all(r.controller()), LogStream.LOG_STREAM_STDERR));
        removeAndClose(r.controller());
    }

    @Test
    void badSpecsAreRejectedWithTheFieldInErr() {
        List<UnaryOperator<ContainerSpec.Builder>> edits =
                List.of(
                        c -> c.clearCommand(),
                        c -> c.addEnv("BROKEN"),
                        c -> c.setStopSignal("SIGWHAT"),
                        c -> c.setStopGracePeriod(Duration.newBuilder().setSeconds(-5)),
                        c -> c.setUser("nobody-here-at-all"),
                        c -> c.setReadOnly(true));
        List<String> fields =
                List.of(
                        "container.command",
                        "container.env[0]",
                        "container.stop_signal",
                        "container.stop_grace_period",
                        "container.user",
                        "container.read_only");
        for (int i = 0; i < edits.size(); i++) {
            Task task = assigned(Tasks.task(edits.get(i), "true"));
            Resolution r = Lifecycle.resolve(task, executor);
            assertFalse(r.resolved());
            assertEquals(TaskState.REJECTED, r.status().getState());
            assertTrue(r.status().getErr().startsWith(fields.get(i) + ":"), r.status().getErr());
        }
    }

    @Test
    void missingExecutableOrDirectoryIsRejectedAtPrepare() throws Exception {
        List<Long> before = ProcessHandle.current().children().map(ProcessHandle::pid).toList();
        for (Task bad :
                List.of(
                        Tasks.task("definitely-not-a-command-xyz"),
                        Tasks.task(c -> c.setDir("/no/such/dir/anywhere"), "true"))) {
            Task task = assigned(bad);
            Resolution r = Lifecycle.resolve(task, executor);
            assertTrue(r.resolved());
            Task done = drive(task.toBuilder().setStatus(r.status()).build(), r.controller());
            assertEquals(TaskState.REJECTED, done.getStatus().getState());
            String err = done.getStatus().getErr();
            assertTrue(
                    err.startsWith("container.command[0]:") || err.startsWith("container.dir:"),
                    err);
            r.controller().close();
        }
        assertEquals(
                before,
                ProcessHandle.current().children().map(ProcessHandle::pid).toList(),
                "nothing was left running");
    }

    @Test
    void desiredShutdownStopsARunningTaskAndItsChildren() throws Exception {
        Task task = assigned(Tasks.sh("sleep 1000 & echo $!; wait"));
        Resolution r = Lifecycle.resolve(task, executor);
        Controller c = r.controller();
        Task t = task.toBuilder().setStatus(r.status()).build();
        // up to RUNNING: ACCEPTED, PREPARING, READY, STARTING, RUNNING
        while (t.getStatus().getState() != TaskState.RUNNING) {
            t = t.toBuilder().setStatus(Lifecycle.step(t, c).status()).build();
        }
        awaitTrue("the child's pid", WAIT, () -> stdout(c).contains("\n"));
        long grandchild = Long.parseLong(stdout(c).strip());
        long pid = ((ContainerStatuser) c).containerStatus().orElseThrow().getPid();

        // the agent's runner blocks in await (RUNNING); a new desired state interrupts it
        Task running = t;
        CompletableFuture<Step> awaiting = new CompletableFuture<>();
        Thread runner =
                Thread.ofPlatform().start(() -> awaiting.complete(Lifecycle.step(running, c)));
        awaitTrue(
                "the runner to block in await",
                WAIT,
                () ->
                        runner.getState() == Thread.State.WAITING
                                || runner.getState() == Thread.State.TIMED_WAITING);
        runner.interrupt();
        Step interrupted = awaiting.get(10, TimeUnit.SECONDS);
        assertEquals(Step.Outcome.RETRY, interrupted.outcome());
        assertEquals(TaskState.RUNNING, interrupted.status().getState());
        assertTrue(alive(pid), "an interrupted await leaves the task running");

        Task stopping = t.toBuilder().setDesiredState(TaskState.SHUTDOWN).build();
        Task stopped = drive(stopping, c);
        assertEquals(TaskState.SHUTDOWN, stopped.getStatus().getState());
        assertFalse(alive(pid));
        awaitTrue("grandchild gone", WAIT, () -> !alive(grandchild));
        removeAndClose(c);
    }

    private static void removeAndClose(Controller c) throws Exception {
        c.remove();
        c.close();
    }

    private static String stdout(Controller c) {
        try {
            return Logs.text(Logs.all(c), LogStream.LOG_STREAM_STDOUT);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

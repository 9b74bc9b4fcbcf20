package dev.taskexec.executor.docker;

import static dev.taskexec.executor.docker.DockerTestEnvironment.shell;
import static dev.taskexec.executor.docker.DockerTestEnvironment.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.taskexec.api.ControllerClosedException;
import dev.taskexec.api.Errors;
import dev.taskexec.api.ExitException;
import dev.taskexec.api.TaskAlreadyPreparedException;
import dev.taskexec.api.TaskAlreadyStartedException;
import dev.taskexec.api.TaskUpdateRejectedException;
import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.Endpoint;
import dev.taskexec.api.proto.HealthConfig;
import dev.taskexec.api.proto.LogMessage;
import dev.taskexec.api.proto.LogStream;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import dev.taskexec.api.proto.PortConfig;
import dev.taskexec.api.proto.PortStatus;
import dev.taskexec.api.proto.ResourceRequirements;
import dev.taskexec.api.proto.Resources;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The controller against the real engine: lifecycle, exits, stops, health, logs, interruption. */
@SuppressWarnings("try") // Run.close() may throw InterruptedException, as remove() does
class DockerControllerTest {

    @RegisterExtension static final SharedExecutor engine = new SharedExecutor();

    /** A controller whose container is removed and which is closed at the end of the test. */
    private static final class Run implements AutoCloseable {
        final Task task;
        final DockerController controller;

        Run(Task task) throws Exception {
            this.task = task;
            this.controller = (DockerController) engine.executor().controller(task);
        }

        InspectContainerResponse inspect() {
            return engine.executor()
                    .engineForTests()
                    .client()
                    .inspectContainerCmd(controller.containerName())
                    .exec();
        }

        @Override
        public void close() throws Exception {
            try {
                controller.remove();
            } finally {
                controller.close();
            }
        }
    }

    private static Run run(ContainerSpec.Builder spec) throws Exception {
        return new Run(task(spec));
    }

    @Test
    void fullLifecycleOfASuccessfulTask() throws Exception {
        try (Run r = run(shell("echo hello; echo oops >&2"))) {
            r.controller.prepare();
            assertEquals("created", r.inspect().getState().getStatus());
            assertEquals(
                    r.task.getId(),
                    r.inspect().getConfig().getLabels().get(ContainerPlan.LABEL_TASK_ID));
            r.controller.start();
            r.controller.await();
            ContainerStatusAssert.exited(r.controller.containerStatus(), 0);
            List<LogMessage> logs = logs(r.controller, LogSubscriptionOptions.getDefaultInstance());
            // The engine copies the two streams independently: their relative order is not kept.
            assertEquals(
                    List.of("1:hello\n", "2:oops\n"),
                    render(logs).stream().sorted().toList(),
                    "stdout and stderr, demultiplexed");
            assertEquals(r.task.getId(), logs.get(0).getContext().getTaskId());
            assertTrue(logs.get(0).getTimestamp().getSeconds() > 0);
            r.controller.remove();
            assertEquals(
                    Optional.empty(),
                    r.controller.containerStatus(),
                    "removed container has no status");
            r.controller.remove(); // idempotent
        }
    }

    @Test
    void nonZeroExitIsAnExitExceptionWithTheContainerStatus() throws Exception {
        try (Run r = run(shell("exit 3"))) {
            r.controller.prepare();
            r.controller.start();
            ExitException e = assertThrows(ExitException.class, r.controller::await);
            assertEquals(3, e.exitCode());
            assertTrue(e.getMessage().contains("non-zero exit (3)"), e.getMessage());
            assertEquals(3, e.containerStatus().orElseThrow().getExitCode());
            assertEquals(r.inspect().getId(), e.containerStatus().orElseThrow().getContainerId());
            // Awaiting again reports the same outcome without blocking.
            assertEquals(3, assertThrows(ExitException.class, r.controller::await).exitCode());
        }
    }

    @Test
    void theEnginesExitEventTellsAQuickExitAndIsForgottenOnRemove() throws Exception {
        try (Run r = run(shell("exit 0"))) {
            r.controller.prepare();
            r.controller.start();
            // The executor's event stream hears the die; the engine is not asked for it.
            assertEquals(0, r.controller.exitEventForTests().get(30, TimeUnit.SECONDS));
            ContainerStatusAssert.exited(r.controller.containerStatus(), 0);
            assertEquals(
                    r.inspect().getId(),
                    r.controller.containerStatus().orElseThrow().getContainerId());
            r.controller.await();
            assertTrue(engine.executor().exitEventsForTests().watchedCount() > 0);
            r.controller.remove();
            assertEquals(null, r.controller.exitEventForTests());
        }
        assertEquals(
                0,
                engine.executor().exitEventsForTests().watchedCount(),
                "no container is watched once its controller is removed and closed");
    }

    @Test
    void aFailedExitIsToldByTheEngineEvenWhenTheEventCameFirst() throws Exception {
        try (Run r = run(shell("exit 3"))) {
            r.controller.prepare();
            r.controller.start();
            assertEquals(3, r.controller.exitEventForTests().get(30, TimeUnit.SECONDS));
            ExitException e = assertThrows(ExitException.class, r.controller::await);
            assertEquals(3, e.exitCode());
            assertTrue(e.getMessage().contains("non-zero exit (3)"), e.getMessage());
            assertEquals(3, r.controller.containerStatus().orElseThrow().getExitCode());
        }
    }

    @Test
    void repeatedPrepareAndStartAreReportedAsSuch() throws Exception {
        try (Run r = run(shell("sleep 30"))) {
            r.controller.prepare();
            assertThrows(TaskAlreadyPreparedException.class, r.controller::prepare);
            r.controller.start();
            assertThrows(TaskAlreadyStartedException.class, r.controller::start);
            // A second controller for the same task finds the same container.
            DockerController again = (DockerController) engine.executor().controller(r.task);
            try {
                assertThrows(TaskAlreadyPreparedException.class, again::prepare);
                assertThrows(TaskAlreadyStartedException.class, again::start);
            } finally {
                again.close();
            }
        }
    }

    @Test
    void shutdownSendsTheStopSignalThenAwaitReportsTheExit() throws Exception {
        // The workload turns SIGUSR1 into exit 42: proves the task's stop signal is the one sent.
        ContainerSpec.Builder spec =
                shell("trap 'exit 42' USR1; echo ready; while true; do sleep 0.1; done")
                        .setStopSignal("SIGUSR1")
                        .setStopGracePeriod(
                                com.google.protobuf.Duration.newBuilder().setSeconds(20));
        try (Run r = run(spec)) {
            r.controller.prepare();
            r.controller.start();
            DockerTestEnvironment.eventually(
                    Duration.ofSeconds(10),
                    "the trap to be set",
                    () ->
                            render(logs(r.controller, LogSubscriptionOptions.getDefaultInstance()))
                                    .contains("1:ready\n"));
            long t0 = System.nanoTime();
            r.controller.shutdown();
            assertTrue(
                    System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(15),
                    "stopped by the signal, not the grace period");
            assertEquals(42, assertThrows(ExitException.class, r.controller::await).exitCode());
            r.controller.shutdown(); // stopped: success
        }
    }

    @Test
    void terminateKillsAtOnceAndIsIdempotent() throws Exception {
        ContainerSpec.Builder spec =
                shell("trap '' TERM; sleep 60")
                        .setStopGracePeriod(
                                com.google.protobuf.Duration.newBuilder().setSeconds(60));
        try (Run r = run(spec)) {
            r.controller.prepare();
            r.controller.start();
            r.controller.terminate();
            assertFalse(r.inspect().getState().getRunning());
            assertEquals(137, assertThrows(ExitException.class, r.controller::await).exitCode());
            r.controller.terminate();
        }
        // Never created: shutdown, terminate and remove are all success.
        try (Run r = run(shell("true"))) {
            r.controller.shutdown();
            r.controller.terminate();
            r.controller.remove();
        }
    }

    @Test
    void oomKillIsNamedFromTheEnginesFlag() throws Exception {
        ContainerSpec.Builder spec =
                shell("x=$(head -c 100000000 /dev/zero | tr '\\0' a); echo ${#x}");
        Task t =
                task(spec).toBuilder()
                        .setSpec(
                                TaskSpec.newBuilder()
                                        .setContainer(spec)
                                        .setResources(
                                                ResourceRequirements.newBuilder()
                                                        .setLimits(
                                                                Resources.newBuilder()
                                                                        .setMemoryBytes(16L << 20))
                                                        .setSwapBytes(
                                                                com.google.protobuf.Int64Value.of(
                                                                        16L << 20))))
                        .build();
        try (Run r = new Run(t)) {
            r.controller.prepare();
            assertEquals(
                    16L << 20, r.inspect().getHostConfig().getMemory(), "memory limit applied");
            r.controller.start();
            ExitException e =
                    assertThrows(
                            ExitException.class,
                            r.controller::await,
                            () -> render(logs(r.controller)) + " " + r.inspect().getState());
            assertTrue(r.inspect().getState().getOOMKilled(), "engine saw an OOM kill");
            assertTrue(e.getMessage().contains("OOM"), e.getMessage());
        }
        // Exit 137 from a plain SIGKILL is not an OOM kill.
        // (PID 1 cannot SIGKILL itself, so a child does and its status is passed on.)
        try (Run r = run(shell("sh -c 'kill -9 $$'; exit $?"))) {
            r.controller.prepare();
            r.controller.start();
            ExitException e = assertThrows(ExitException.class, r.controller::await);
            assertEquals(137, e.exitCode());
            assertFalse(e.getMessage().contains("OOM"), e.getMessage());
        }
    }

    @Test
    void healthCheckGatesStart() throws Exception {
        HealthConfig healthy =
                HealthConfig.newBuilder()
                        .addTest("CMD")
                        .addTest("true")
                        .setInterval(
                                com.google.protobuf.Duration.newBuilder().setNanos(200_000_000))
                        .setRetries(2)
                        .build();
        try (Run r = run(shell("sleep 30").setHealthcheck(healthy))) {
            r.controller.prepare();
            r.controller.start();
            assertEquals("healthy", r.inspect().getState().getHealth().getStatus());
        }
        HealthConfig failing =
                healthy.toBuilder().clearTest().addTest("CMD").addTest("false").build();
        try (Run r =
                run(
                        shell("sleep 30")
                                .setHealthcheck(failing)
                                .setStopGracePeriod(
                                        com.google.protobuf.Duration.newBuilder().setSeconds(1)))) {
            r.controller.prepare();
            UnhealthyContainerException e =
                    assertThrows(UnhealthyContainerException.class, r.controller::start);
            assertTrue(e.getMessage().contains("unhealthy"), e.getMessage());
            assertFalse(r.inspect().getState().getRunning(), "an unhealthy container is stopped");
        }
        // Dies before it is healthy: start reports the exit.
        try (Run r =
                run(
                        shell("exit 7")
                                .setHealthcheck(
                                        healthy.toBuilder()
                                                .setInterval(
                                                        com.google.protobuf.Duration.newBuilder()
                                                                .setSeconds(30))))) {
            r.controller.prepare();
            assertEquals(7, assertThrows(ExitException.class, r.controller::start).exitCode());
        }
    }

    @Test
    void logsHonourStreamsTailSinceAndFollow() throws Exception {
        String script = "i=1; while [ $i -le 5 ]; do echo out$i; echo err$i >&2; i=$((i+1)); done";
        try (Run r = run(shell(script))) {
            r.controller.prepare();
            r.controller.start();
            // follow ends when the container's output ends.
            List<LogMessage> followed =
                    assertTimeoutPreemptively(
                            Duration.ofSeconds(20),
                            () ->
                                    logs(
                                            r.controller,
                                            LogSubscriptionOptions.newBuilder()
                                                    .setFollow(true)
                                                    .build()));
            assertEquals(10, followed.size(), render(followed).toString());
            r.controller.await();
            List<String> out =
                    render(
                            logs(
                                    r.controller,
                                    LogSubscriptionOptions.newBuilder()
                                            .addStreams(LogStream.LOG_STREAM_STDOUT)
                                            .build()));
            assertEquals(List.of("1:out1\n", "1:out2\n", "1:out3\n", "1:out4\n", "1:out5\n"), out);
            List<String> err =
                    render(
                            logs(
                                    r.controller,
                                    LogSubscriptionOptions.newBuilder()
                                            .addStreams(LogStream.LOG_STREAM_STDERR)
                                            .build()));
            assertEquals(5, err.size());
            assertTrue(err.stream().allMatch(s -> s.startsWith("2:err")), err.toString());
            // swarmkit's tail: -3 is the last two messages, 8 skips the first eight, -1 none.
            List<LogMessage> all = logs(r.controller, LogSubscriptionOptions.getDefaultInstance());
            assertEquals(
                    render(all).subList(8, 10),
                    render(
                            logs(
                                    r.controller,
                                    LogSubscriptionOptions.newBuilder().setTail(-3).build())));
            assertEquals(
                    render(all).subList(8, 10),
                    render(
                            logs(
                                    r.controller,
                                    LogSubscriptionOptions.newBuilder().setTail(8).build())));
            assertEquals(
                    List.of(),
                    logs(r.controller, LogSubscriptionOptions.newBuilder().setTail(-1).build()));
            // since is exact, to the nanosecond, and exclusive (swarmkit: "after this timestamp").
            LogMessage sixth = all.get(5);
            List<LogMessage> since =
                    logs(
                            r.controller,
                            LogSubscriptionOptions.newBuilder()
                                    .setSince(sixth.getTimestamp())
                                    .build());
            assertTrue(
                    since.stream()
                            .allMatch(m -> compare(m.getTimestamp(), sixth.getTimestamp()) > 0),
                    "only after since");
            assertFalse(since.stream().anyMatch(m -> m.equals(sixth)), "since is exclusive");
            assertTrue(since.stream().anyMatch(m -> m.equals(all.get(9))), "later messages kept");
        }
    }

    @Test
    void logsReassembleLongLinesAndReadTtyContainers() throws Exception {
        try (Run r = run(shell("printf '%05000d\\n' 7; printf 'no newline'"))) {
            r.controller.prepare();
            r.controller.start();
            r.controller.await();
            List<String> lines =
                    render(logs(r.controller, LogSubscriptionOptions.getDefaultInstance()));
            assertEquals(
                    2, lines.size(), "a 5000-byte line spans several frames but is one message");
            assertEquals("1:" + "0".repeat(4999) + "7\n", lines.get(0));
            assertEquals("1:no newline", lines.get(1));
        }
        try (Run r = run(shell("echo one; echo two >&2").setTty(true))) {
            r.controller.prepare();
            r.controller.start();
            r.controller.await();
            List<String> lines =
                    render(logs(r.controller, LogSubscriptionOptions.getDefaultInstance()));
            assertEquals(
                    List.of("1:one\r\n", "1:two\r\n"),
                    lines,
                    "a TTY has one stream, counted as stdout");
        }
    }

    @Test
    void interruptedCallsReturnPromptlyAndLeakNoConnection() throws Exception {
        // A pool of two connections: a leaked await or log stream would starve it.
        DockerExecutor small =
                DockerTestEnvironment.executor(Map.of(DockerOptions.MAX_CONNECTIONS, "2"));
        try {
            DockerController c = (DockerController) small.controller(task(shell("sleep 60")));
            try {
                c.prepare();
                c.start();
                for (int i = 0; i < 6; i++) {
                    boolean logs = i % 2 == 1;
                    Throwable thrown =
                            interruptAfterBlocking(
                                    () -> {
                                        if (logs) {
                                            c.logs(
                                                    m -> {},
                                                    LogSubscriptionOptions.newBuilder()
                                                            .setFollow(true)
                                                            .build());
                                        } else {
                                            c.await();
                                        }
                                        return null;
                                    });
                    assertTrue(
                            Engine.interruption(thrown),
                            "interrupted " + (logs ? "logs" : "await") + " threw " + thrown);
                }
                assertTimeoutPreemptively(
                        Duration.ofSeconds(10),
                        () -> c.containerStatus(),
                        "pool still has connections");
                assertTrue(c.containerStatus().orElseThrow().getPid() > 0);
            } finally {
                c.remove();
                c.close();
            }
        } finally {
            small.close();
        }
    }

    @Test
    void anInterruptedPullReturnsPromptlyAndReleasesItsConnection() throws Exception {
        // A "registry" that accepts connections and never answers: the engine's pull hangs on it.
        try (java.net.ServerSocket silent =
                        new java.net.ServerSocket(
                                0, 50, java.net.InetAddress.getLoopbackAddress());
                DockerExecutor small =
                        DockerTestEnvironment.executor(
                                Map.of(DockerOptions.MAX_CONNECTIONS, "2"))) {
            CountDownLatch contacted = new CountDownLatch(1);
            List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread acceptor =
                    Thread.ofVirtual()
                            .start(
                                    () -> {
                                        try {
                                            while (true) {
                                                held.add(silent.accept());
                                                contacted.countDown();
                                            }
                                        } catch (java.io.IOException closed) {
                                            // the test is over
                                        }
                                    });
            DockerController c =
                    (DockerController)
                            small.controller(
                                    task(
                                            shell("true")
                                                    .setImage(
                                                            "localhost:"
                                                                    + silent.getLocalPort()
                                                                    + "/taskexec-slow:1")));
            try {
                for (int i = 0; i < 3; i++) { // more pulls than the pool has connections
                    CountDownLatch started = new CountDownLatch(1);
                    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
                    Thread t =
                            Thread.ofVirtual()
                                    .start(
                                            () -> {
                                                started.countDown();
                                                try {
                                                    c.prepare();
                                                    outcome.complete(null);
                                                } catch (Throwable e) {
                                                    outcome.complete(e);
                                                }
                                            });
                    assertTrue(started.await(5, TimeUnit.SECONDS));
                    assertTrue(
                            contacted.await(10, TimeUnit.SECONDS),
                            "the engine contacted the registry");
                    DockerTestEnvironment.eventually(
                            Duration.ofSeconds(5),
                            "prepare to block",
                            () ->
                                    t.getState() == Thread.State.WAITING
                                            || t.getState() == Thread.State.TIMED_WAITING);
                    t.interrupt();
                    Throwable thrown = outcome.get(2, TimeUnit.SECONDS);
                    assertTrue(Engine.interruption(thrown), "interrupted prepare threw " + thrown);
                }
                assertTimeoutPreemptively(
                        Duration.ofSeconds(10),
                        () -> small.describe(),
                        "pool still has connections");
            } finally {
                c.remove();
                c.close();
                silent.close();
                acceptor.join(5_000);
                for (java.net.Socket s : held) {
                    s.close();
                }
            }
        }
    }

    /** Runs {@code call} on a thread, interrupts it once it blocks, and returns what it threw. */
    private static Throwable interruptAfterBlocking(java.util.concurrent.Callable<Void> call)
            throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread t =
                Thread.ofVirtual()
                        .start(
                                () -> {
                                    entered.countDown();
                                    try {
                                        call.call();
                                        outcome.complete(null);
                                    } catch (Throwable e) {
                                        outcome.complete(e);
                                    }
                                });
        assertTrue(entered.await(5, TimeUnit.SECONDS));
        DockerTestEnvironment.eventually(
                Duration.ofSeconds(5),
                "the call to block",
                () ->
                        t.getState() == Thread.State.WAITING
                                || t.getState() == Thread.State.TIMED_WAITING);
        t.interrupt();
        try {
            return outcome.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    @Test
    void closedControllerRefusesWorkAndEndsBlockedCalls() throws Exception {
        Task t = task(shell("sleep 60"));
        DockerController c = (DockerController) engine.executor().controller(t);
        try {
            c.prepare();
            c.start();
            CompletableFuture<Throwable> awaiting =
                    CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    c.await();
                                    return null;
                                } catch (Throwable e) {
                                    return e;
                                }
                            });
            DockerTestEnvironment.eventually(
                    Duration.ofSeconds(5), "await to hold a stream", () -> c.openStreams() > 0);
            c.close();
            c.close(); // idempotent
            assertInstanceOf(ControllerClosedException.class, awaiting.get(5, TimeUnit.SECONDS));
            assertThrows(ControllerClosedException.class, c::start);
        } finally {
            DockerController cleanup = (DockerController) engine.executor().controller(t);
            cleanup.remove();
            cleanup.close();
        }
    }

    @Test
    void containerRemovedUnderneathFailsAwaitClearly() throws Exception {
        try (Run r = run(shell("sleep 60"))) {
            r.controller.prepare();
            r.controller.start();
            CompletableFuture<Throwable> awaiting =
                    CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    r.controller.await();
                                    return null;
                                } catch (Throwable e) {
                                    return e;
                                }
                            });
            DockerTestEnvironment.eventually(
                    Duration.ofSeconds(5), "await to block", () -> r.controller.openStreams() > 0);
            engine.executor()
                    .engineForTests()
                    .client()
                    .removeContainerCmd(r.controller.containerName())
                    .withForce(true)
                    .exec();
            Throwable e = awaiting.get(10, TimeUnit.SECONDS);
            assertTrue(
                    e instanceof ContainerGoneException || e instanceof ExitException,
                    String.valueOf(e));
            ContainerGoneException gone =
                    assertThrows(ContainerGoneException.class, r.controller::await);
            assertTrue(gone.getMessage().contains("removed"), gone.getMessage());
        }
    }

    @Test
    void publishedPortsAreReportedAsPortStatus() throws Exception {
        Task t =
                task(shell("sleep 30")).toBuilder()
                        .setEndpoint(
                                Endpoint.newBuilder()
                                        .addPorts(
                                                PortConfig.newBuilder()
                                                        .setTargetPort(8080)
                                                        .setPublishMode(
                                                                PortConfig.PublishMode.HOST)))
                        .build();
        try (Run r = new Run(t)) {
            r.controller.prepare();
            r.controller.start();
            PortStatus ports = r.controller.portStatus().orElseThrow();
            assertEquals(1, ports.getPortsCount(), ports.toString());
            assertEquals(8080, ports.getPorts(0).getTargetPort());
            assertTrue(ports.getPorts(0).getPublishedPort() > 0);
            assertEquals(PortConfig.PublishMode.HOST, ports.getPorts(0).getPublishMode());
        }
    }

    @Test
    void updatesMayNotChangeTheSpecOfALiveContainer() throws Exception {
        try (Run r = run(shell("sleep 30"))) {
            r.controller.prepare();
            r.controller.start();
            r.controller.update(
                    r.task.toBuilder()
                            .setDesiredState(dev.taskexec.api.proto.TaskState.SHUTDOWN)
                            .build());
            Task changed =
                    r.task.toBuilder()
                            .setSpec(
                                    r.task.getSpec().toBuilder()
                                            .setContainer(
                                                    r.task.getSpec().getContainer().toBuilder()
                                                            .setImage("busybox:other")))
                            .build();
            TaskUpdateRejectedException e =
                    assertThrows(
                            TaskUpdateRejectedException.class, () -> r.controller.update(changed));
            assertTrue(e.getMessage().contains("container"), e.getMessage());
            r.controller.terminate();
            r.controller.update(changed); // exited: ignored
        }
    }

    @Test
    void describeReadsTheEngine() throws Exception {
        var d = engine.executor().describe();
        assertFalse(d.getEngine().getEngineVersion().isEmpty());
        assertFalse(d.getHostname().isEmpty());
        assertEquals("linux", d.getPlatform().getOs());
        assertTrue(d.getResources().getNanoCpus() >= 1_000_000_000L);
        assertTrue(d.getResources().getMemoryBytes() > 0);
    }

    @Test
    void anUnreachableEngineIsATemporaryFailure() throws Exception {
        try (DockerExecutor nowhere =
                DockerTestEnvironment.executor(
                        Map.of(DockerOptions.HOST, "unix:///nonexistent/docker.sock"))) {
            Exception e = assertThrows(Exception.class, nowhere::describe);
            assertTrue(Errors.isTemporary(e), "temporary: " + e);
            assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
            DockerController c = (DockerController) nowhere.controller(task(shell("true")));
            Exception p = assertThrows(Exception.class, c::prepare);
            assertTrue(Errors.isTemporary(p), "temporary: " + p);
            c.close();
        }
    }

    static List<LogMessage> logs(DockerController c) {
        try {
            return logs(c, LogSubscriptionOptions.getDefaultInstance());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static List<LogMessage> logs(DockerController c, LogSubscriptionOptions options)
            throws Exception {
        List<LogMessage> out = new ArrayList<>();
        c.logs(out::add, options);
        return out;
    }

    static List<String> render(List<LogMessage> messages) {
        return messages.stream()
                .map(
                        m ->
                                m.getStream().getNumber()
                                        + ":"
                                        + m.getData().toString(StandardCharsets.UTF_8))
                .toList();
    }

    private static int compare(com.google.protobuf.Timestamp a, com.google.protobuf.Timestamp b) {
        return a.getSeconds() != b.getSeconds()
                ? Long.compare(a.getSeconds(), b.getSeconds())
                : Integer.compare(a.getNanos(), b.getNanos());
    }

    /** Checks on a reported container status. */
    static final class ContainerStatusAssert {
        static void exited(Optional<dev.taskexec.api.proto.ContainerStatus> status, int code) {
            assertTrue(status.isPresent(), "status reported");
            assertFalse(status.get().getContainerId().isEmpty());
            assertEquals(code, status.get().getExitCode());
        }
    }
}

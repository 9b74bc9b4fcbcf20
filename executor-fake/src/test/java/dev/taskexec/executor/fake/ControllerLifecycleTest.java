package dev.taskexec.executor.fake;

import static dev.taskexec.executor.fake.Fixtures.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import dev.taskexec.api.ControllerClosedException;
import dev.taskexec.api.ExitException;
import dev.taskexec.api.RuntimeUnsupportedException;
import dev.taskexec.api.TaskAlreadyPreparedException;
import dev.taskexec.api.TaskAlreadyStartedException;
import dev.taskexec.api.TaskUpdateRejectedException;
import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.ContainerStatus;
import dev.taskexec.api.proto.GenericRuntimeSpec;
import dev.taskexec.api.proto.NetworkAttachmentSpec;
import dev.taskexec.api.proto.PortConfig;
import dev.taskexec.api.proto.PortStatus;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskSpec;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.executor.fake.Fixtures.Background;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The workload model and the strict order of calls, through the SPI. */
class ControllerLifecycleTest {

    private final FakeExecutor executor = FakeExecutor.create();

    private FakeController controller(String id, String... words) throws Exception {
        return (FakeController) executor.controller(task(id, words));
    }

    // ---- the workload ----

    @Test
    void aDefaultTaskRunsAndExitsZero() throws Exception {
        FakeController c = controller("t");
        c.prepare();
        c.start();
        c.await();
        assertEquals(
                ContainerStatus.newBuilder().setContainerId("fake-t").build(),
                c.containerStatus().orElseThrow());
        c.remove();
        c.close();
        executor.assertNoLeaks();
    }

    @Test
    void awaitReportsTheExitCodeAfterTheRunTime() throws Exception {
        FakeController c = controller("t", "exit=3", "after=80ms");
        c.prepare();
        long t0 = System.nanoTime();
        c.start();
        ContainerStatus running = c.containerStatus().orElseThrow();
        assertTrue(running.getPid() > 0, "a running workload has a pid");
        ExitException e = assertThrows(ExitException.class, c::await);
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(80).toNanos());
        assertEquals(3, e.exitCode());
        assertEquals(
                ContainerStatus.newBuilder().setContainerId("fake-t").setExitCode(3).build(),
                e.containerStatus().orElseThrow());
        assertEquals(e.containerStatus(), c.containerStatus());
        ExitException again = assertThrows(ExitException.class, c::await);
        assertEquals(3, again.exitCode(), "await repeats the outcome");
    }

    @Test
    void theWorkloadExitsWhetherOrNotAnyoneAwaits() throws Exception {
        FakeController c = controller("t", "exit=5", "after=20ms");
        c.prepare();
        c.start();
        Fixtures.waitUntil(
                "the workload exited", () -> c.containerStatus().orElseThrow().getExitCode() == 5);
    }

    @Test
    void shutdownStopsALongRunningWorkload() throws Exception {
        FakeController c = controller("t", "after=never");
        c.prepare();
        c.start();
        Background awaiting = Background.run("awaiter", c::await);
        Fixtures.waitUntilInProgress(c, Call.AWAIT);
        assertFalse(awaiting.isDone());
        c.shutdown();
        ExitException e = assertInstanceOf(ExitException.class, awaiting.outcome());
        assertEquals(FakeScript.DEFAULT_STOP_EXIT_CODE, e.exitCode());
        c.shutdown();
        c.terminate();
        assertEquals(
                143,
                c.containerStatus().orElseThrow().getExitCode(),
                "stopping an exited workload changes nothing");
    }

    @Test
    void aStopExitCodeOfZeroMakesAwaitReturn() throws Exception {
        FakeController c = controller("t", "after=never", "stop-exit=0");
        c.prepare();
        c.start();
        Background awaiting = Background.run("awaiter", c::await);
        Fixtures.waitUntilInProgress(c, Call.AWAIT);
        c.shutdown();
        assertNull(awaiting.outcome());
    }

    @Test
    void terminateKills() throws Exception {
        FakeController c = controller("t", "after=never");
        c.prepare();
        c.start();
        Background awaiting = Background.run("awaiter", c::await);
        Fixtures.waitUntilInProgress(c, Call.AWAIT);
        c.terminate();
        assertEquals(
                FakeScript.KILL_EXIT_CODE,
                assertInstanceOf(ExitException.class, awaiting.outcome()).exitCode());
    }

    @Test
    void ignoringTheStopSignalMakesShutdownWaitTheGracePeriodThenKill() throws Exception {
        FakeController c = controller("t", "after=never", "ignore-stop", "grace=100ms");
        c.prepare();
        c.start();
        long t0 = System.nanoTime();
        c.shutdown();
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(100).toNanos());
        assertEquals(137, assertThrows(ExitException.class, c::await).exitCode());
    }

    @Test
    void theGracePeriodComesFromTheContainerSpec() throws Exception {
        Task t =
                Task.newBuilder()
                        .setId("t")
                        .setSpec(
                                TaskSpec.newBuilder()
                                        .setContainer(
                                                ContainerSpec.newBuilder()
                                                        .addAllCommand(
                                                                List.of(
                                                                        "after=never",
                                                                        "ignore-stop"))
                                                        .setStopGracePeriod(
                                                                com.google.protobuf.Duration
                                                                        .newBuilder()
                                                                        .setNanos(60_000_000))))
                        .build();
        FakeController c = (FakeController) executor.controller(t);
        c.prepare();
        c.start();
        long t0 = System.nanoTime();
        c.shutdown();
        long took = System.nanoTime() - t0;
        assertTrue(took >= Duration.ofMillis(60).toNanos());
        assertTrue(took < Duration.ofSeconds(9).toNanos(), "not the 10s default");
    }

    @Test
    void aWorkloadThatExitsDuringTheGracePeriodEndsTheShutdown() throws Exception {
        FakeController c = controller("t", "after=50ms", "ignore-stop", "grace=1h", "exit=4");
        c.prepare();
        c.start();
        Background stopping = Background.run("stopper", c::shutdown);
        assertNull(stopping.outcome());
        assertEquals(4, assertThrows(ExitException.class, c::await).exitCode());
    }

    @Test
    void terminateDuringTheGracePeriodEndsTheShutdown() throws Exception {
        FakeController c = controller("t", "after=never", "ignore-stop", "grace=1h");
        c.prepare();
        c.start();
        Background stopping = Background.run("stopper", c::shutdown);
        Fixtures.waitUntilInProgress(c, Call.SHUTDOWN);
        c.terminate();
        assertNull(stopping.outcome());
    }

    @Test
    void aShutdownWaitingItsGracePeriodEndsOnInterrupt() throws Exception {
        FakeController c = controller("t", "after=never", "ignore-stop", "grace=1h");
        c.prepare();
        c.start();
        Background stopping = Background.run("stopper", c::shutdown);
        Fixtures.waitUntilInProgress(c, Call.SHUTDOWN);
        stopping.interrupt();
        assertInstanceOf(InterruptedException.class, stopping.outcome());
        assertTrue(c.containerStatus().orElseThrow().getPid() > 0, "still running");
    }

    @Test
    void awaitEndsPromptlyOnInterruptAndTheWorkloadKeepsRunning() throws Exception {
        FakeController c = controller("t", "after=never");
        c.prepare();
        c.start();
        Background awaiting = Background.run("awaiter", c::await);
        Fixtures.waitUntilInProgress(c, Call.AWAIT);
        awaiting.interrupt();
        assertInstanceOf(InterruptedException.class, awaiting.outcome());
        assertTrue(c.containerStatus().orElseThrow().getPid() > 0);
        Background again = Background.run("awaiter-2", c::await);
        Fixtures.waitUntilInProgress(c, Call.AWAIT);
        c.terminate();
        assertInstanceOf(ExitException.class, again.outcome());
    }

    @Test
    void closeEndsABlockedAwait() throws Exception {
        FakeController c = controller("t", "after=never");
        c.prepare();
        c.start();
        Background awaiting = Background.run("awaiter", c::await);
        Fixtures.waitUntilInProgress(c, Call.AWAIT);
        c.close();
        assertInstanceOf(ControllerClosedException.class, awaiting.outcome());
    }

    @Test
    void removeKillsAndFrees() throws Exception {
        FakeController c = controller("t", "after=never");
        c.prepare();
        c.start();
        Background awaiting = Background.run("awaiter", c::await);
        Fixtures.waitUntilInProgress(c, Call.AWAIT);
        c.remove();
        assertEquals(137, assertInstanceOf(ExitException.class, awaiting.outcome()).exitCode());
        assertEquals(Optional.empty(), c.containerStatus());
        assertTrue(c.isRemoved());
        c.remove();
        c.shutdown();
        c.terminate();
    }

    @Test
    void portsAreReportedWhileRunning() throws Exception {
        FakeController c = controller("t", "after=never", "port=8080:80");
        assertEquals(Optional.empty(), c.portStatus());
        c.prepare();
        assertEquals(Optional.empty(), c.portStatus());
        c.start();
        PortStatus ports = c.portStatus().orElseThrow();
        assertEquals(
                List.of(
                        PortConfig.newBuilder()
                                .setPublishedPort(8080)
                                .setTargetPort(80)
                                .setPublishMode(PortConfig.PublishMode.HOST)
                                .build()),
                ports.getPortsList());
        c.terminate();
        assertEquals(Optional.empty(), c.portStatus());
        assertEquals(Optional.empty(), controller("u", "after=never").portStatus());
    }

    // ---- strictness ----

    @Test
    void startBeforePrepareFails() throws Exception {
        FakeController c = controller("t");
        CallOutOfOrderException e = assertThrows(CallOutOfOrderException.class, c::start);
        assertTrue(e.getMessage().contains("start before prepare"), e.getMessage());
    }

    @Test
    void awaitBeforeStartFails() throws Exception {
        FakeController c = controller("t");
        assertThrows(CallOutOfOrderException.class, c::await);
        c.prepare();
        assertThrows(CallOutOfOrderException.class, c::await);
    }

    @Test
    void prepareTwiceSaysAlreadyPrepared() throws Exception {
        FakeController c = controller("t", "after=never");
        c.prepare();
        assertThrows(TaskAlreadyPreparedException.class, c::prepare);
        c.start();
        assertThrows(TaskAlreadyPreparedException.class, c::prepare);
    }

    @Test
    void startTwiceSaysAlreadyStarted() throws Exception {
        FakeController c = controller("t", "after=never");
        c.prepare();
        c.start();
        assertThrows(TaskAlreadyStartedException.class, c::start);
        c.terminate();
        assertThrows(TaskAlreadyStartedException.class, c::start);
    }

    @Test
    void callsAfterRemoveFail() throws Exception {
        FakeController c = controller("t");
        c.prepare();
        c.remove();
        assertThrows(CallOutOfOrderException.class, c::prepare);
        assertThrows(CallOutOfOrderException.class, c::start);
        assertThrows(CallOutOfOrderException.class, c::await);
        assertThrows(
                CallOutOfOrderException.class,
                () ->
                        c.logs(
                                m -> {},
                                dev.taskexec.api.proto.LogSubscriptionOptions
                                        .getDefaultInstance()));
        c.update(task("t", "exit=9"));
    }

    @Test
    void everyCallAfterCloseFailsAndCloseIsIdempotent() throws Exception {
        FakeController c = controller("t");
        c.close();
        c.close();
        List<Fixtures.Body> calls =
                List.of(
                        c::prepare,
                        c::start,
                        c::await,
                        c::shutdown,
                        c::terminate,
                        c::remove,
                        () -> c.update(task("t")),
                        () ->
                                c.logs(
                                        m -> {},
                                        dev.taskexec.api.proto.LogSubscriptionOptions
                                                .getDefaultInstance()));
        for (Fixtures.Body call : calls) {
            assertThrows(ControllerClosedException.class, call::run);
        }
        assertTrue(c.isClosed());
        assertEquals(
                List.of(
                        Call.CLOSE,
                        Call.CLOSE,
                        Call.PREPARE,
                        Call.START,
                        Call.AWAIT,
                        Call.SHUTDOWN,
                        Call.TERMINATE,
                        Call.REMOVE,
                        Call.UPDATE,
                        Call.LOGS),
                c.callSequence());
    }

    @Test
    void updateMayChangeWhatIsMutable() throws Exception {
        FakeController c = controller("t", "after=never");
        Task raised =
                task("t", "after=never").toBuilder().setDesiredState(TaskState.SHUTDOWN).build();
        c.update(raised);
        assertEquals(raised, c.task());
    }

    @Test
    void updateChangingTheRuntimeIsRejected() throws Exception {
        FakeController c = controller("t", "after=never");
        TaskUpdateRejectedException e =
                assertThrows(
                        TaskUpdateRejectedException.class, () -> c.update(task("t", "exit=1")));
        assertTrue(e.getMessage().contains("runtime"), e.getMessage());
        assertThrows(
                TaskUpdateRejectedException.class, () -> c.update(task("other", "after=never")));
        assertEquals(task("t", "after=never"), c.task(), "a rejected update changes nothing");
    }

    @Test
    void updateIsIgnoredAfterExit() throws Exception {
        FakeController c = controller("t");
        c.prepare();
        c.start();
        c.await();
        c.update(task("t", "exit=1"));
        assertEquals(task("t"), c.task());
    }

    @Test
    void controllersOfOneTaskShareItsContainer() throws Exception {
        FakeController first = controller("t", "after=never");
        first.prepare();
        first.start();
        first.close();
        FakeController second = controller("t", "after=never");
        assertThrows(TaskAlreadyStartedException.class, second::start);
        second.terminate();
        assertEquals(137, assertThrows(ExitException.class, second::await).exitCode());
        second.remove();
        FakeController third = controller("t", "after=never");
        assertEquals(Optional.empty(), third.containerStatus(), "a fresh container after remove");
        assertThrows(CallOutOfOrderException.class, third::start);
    }

    // ---- where scripts come from ----

    @Test
    void malformedScriptsAreRefusedByController() {
        RuntimeUnsupportedException e =
                assertThrows(
                        RuntimeUnsupportedException.class,
                        () -> executor.controller(task("t", "exit=3", "prepare=explode")));
        assertTrue(e.getMessage().contains("\"prepare=explode\""), e.getMessage());
        RuntimeUnsupportedException shell =
                assertThrows(
                        RuntimeUnsupportedException.class,
                        () ->
                                executor.controller(
                                        Task.newBuilder()
                                                .setId("s")
                                                .setSpec(
                                                        TaskSpec.newBuilder()
                                                                .setContainer(
                                                                        ContainerSpec.newBuilder()
                                                                                .addCommand("sh")
                                                                                .addArgs("-c")
                                                                                .addArgs("exit 3")))
                                                .build()));
        assertTrue(shell.getMessage().contains("\"sh\""), shell.getMessage());
        assertTrue(executor.controllers().isEmpty());
    }

    @Test
    void argsFollowTheCommand() throws Exception {
        Task t =
                Task.newBuilder()
                        .setId("t")
                        .setSpec(
                                TaskSpec.newBuilder()
                                        .setContainer(
                                                ContainerSpec.newBuilder()
                                                        .addCommand("fake")
                                                        .addArgs("exit=6")))
                        .build();
        FakeController c = (FakeController) executor.controller(t);
        assertEquals(6, c.script().exitCode());
    }

    @Test
    void genericRuntimesOfKindFakeCarryLines() throws Exception {
        FakeScript script = FakeScript.builder().exit(2).stdout("hi there").build();
        Task t = Task.newBuilder().setId("g").setSpec(script.toGenericTaskSpec()).build();
        assertEquals(script, ((FakeController) executor.controller(t)).script());

        Task other =
                Task.newBuilder()
                        .setId("o")
                        .setSpec(
                                TaskSpec.newBuilder()
                                        .setGeneric(
                                                GenericRuntimeSpec.newBuilder()
                                                        .setKind("wasm")
                                                        .setPayload(
                                                                Any.newBuilder()
                                                                        .setValue(
                                                                                ByteString
                                                                                        .copyFromUtf8(
                                                                                                "exit=1")))))
                        .build();
        RuntimeUnsupportedException e =
                assertThrows(RuntimeUnsupportedException.class, () -> executor.controller(other));
        assertTrue(e.getMessage().contains("\"wasm\""), e.getMessage());

        Task bad =
                Task.newBuilder()
                        .setId("b")
                        .setSpec(
                                TaskSpec.newBuilder()
                                        .setGeneric(
                                                GenericRuntimeSpec.newBuilder()
                                                        .setKind("fake")
                                                        .setPayload(
                                                                Any.newBuilder()
                                                                        .setValue(
                                                                                ByteString
                                                                                        .copyFromUtf8(
                                                                                                "exit=1\nnonsense")))))
                        .build();
        assertTrue(
                assertThrows(RuntimeUnsupportedException.class, () -> executor.controller(bad))
                        .getMessage()
                        .contains("\"nonsense\""));
    }

    @Test
    void attachmentsAndBareTasksAreRefused() {
        Task attachment =
                Task.newBuilder()
                        .setId("a")
                        .setSpec(
                                TaskSpec.newBuilder()
                                        .setAttachment(
                                                NetworkAttachmentSpec.newBuilder()
                                                        .setContainerId("x")))
                        .build();
        assertThrows(RuntimeUnsupportedException.class, () -> executor.controller(attachment));
        assertThrows(
                RuntimeUnsupportedException.class, () -> executor.controller(Fixtures.bare("b")));
        assertThrows(IllegalArgumentException.class, () -> executor.controller(Fixtures.bare("")));
    }

    @Test
    void registeredScriptsWinAndDefaultScriptsServeBareTasks() throws Exception {
        FakeScript registered = FakeScript.builder().exit(8).build();
        executor.script("t", registered);
        assertEquals(
                registered, ((FakeController) executor.controller(task("t", "exit=1"))).script());

        FakeExecutor withDefault =
                FakeExecutor.builder().defaultScript(FakeScript.builder().exit(9).build()).build();
        assertEquals(
                9,
                ((FakeController) withDefault.controller(Fixtures.bare("b"))).script().exitCode());
    }

    @Test
    void aClosedExecutorMakesNoControllers() {
        executor.close();
        executor.close();
        assertTrue(executor.isClosed());
        assertThrows(IllegalStateException.class, () -> executor.controller(task("t")));
    }
}

package dev.taskexec.core;

import static dev.taskexec.api.proto.TaskState.ACCEPTED;
import static dev.taskexec.api.proto.TaskState.ASSIGNED;
import static dev.taskexec.api.proto.TaskState.COMPLETE;
import static dev.taskexec.api.proto.TaskState.FAILED;
import static dev.taskexec.api.proto.TaskState.NEW;
import static dev.taskexec.api.proto.TaskState.ORPHANED;
import static dev.taskexec.api.proto.TaskState.PENDING;
import static dev.taskexec.api.proto.TaskState.PREPARING;
import static dev.taskexec.api.proto.TaskState.READY;
import static dev.taskexec.api.proto.TaskState.REJECTED;
import static dev.taskexec.api.proto.TaskState.REMOVE;
import static dev.taskexec.api.proto.TaskState.RUNNING;
import static dev.taskexec.api.proto.TaskState.SHUTDOWN;
import static dev.taskexec.api.proto.TaskState.STARTING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import dev.taskexec.api.Errors;
import dev.taskexec.api.ExitException;
import dev.taskexec.api.TaskAlreadyPreparedException;
import dev.taskexec.api.TaskAlreadyStartedException;
import dev.taskexec.api.proto.ContainerStatus;
import dev.taskexec.api.proto.PortConfig;
import dev.taskexec.api.proto.PortStatus;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import dev.taskexec.core.Step.Outcome;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** One test (at least) for every branch of {@link Lifecycle#step}. */
class LifecycleStepTest {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00.5Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final Timestamp NOW_PROTO =
            Timestamp.newBuilder().setSeconds(NOW.getEpochSecond()).setNanos(NOW.getNano()).build();

    final ScriptedController controller = new ScriptedController();

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted(); // never leak an interrupt into the next test
    }

    static Task task(TaskState state, TaskState desired) {
        return Task.newBuilder()
                .setId("task-1")
                .setStatus(TaskStatus.newBuilder().setState(state))
                .setDesiredState(desired)
                .build();
    }

    static Task task(TaskStatus status, TaskState desired) {
        return Task.newBuilder().setId("task-1").setStatus(status).setDesiredState(desired).build();
    }

    static Task next(Task task, Step step) {
        return task.toBuilder().setStatus(step.status()).build();
    }

    static Step step(Task task, ScriptedController controller) {
        return Lifecycle.step(task, controller, CLOCK);
    }

    static void assertStatus(
            Step step, Outcome outcome, TaskState state, String message, String err) {
        assertEquals(outcome, step.outcome(), "outcome");
        assertEquals(state, step.status().getState(), "state");
        assertEquals(message, step.status().getMessage(), "message");
        assertEquals(err, step.status().getErr(), "err");
    }

    @Nested
    class Transitions {

        @ParameterizedTest
        @EnumSource(names = {"NEW", "PENDING", "ASSIGNED"})
        void beforeAcceptedTheTaskIsAcceptedWithoutTouchingTheController(TaskState state) {
            Step step = step(task(state, RUNNING), controller);
            assertStatus(step, Outcome.PROGRESSED, ACCEPTED, "accepted", "");
            assertEquals(NOW_PROTO, step.status().getTimestamp());
            assertEquals(0, controller.totalCalls());
        }

        @Test
        void acceptedMovesToPreparing() {
            Step step = step(task(ACCEPTED, RUNNING), controller);
            assertStatus(step, Outcome.PROGRESSED, PREPARING, "preparing", "");
            assertEquals(0, controller.totalCalls());
        }

        @Test
        void preparingPreparesAndBecomesReady() {
            Step step = step(task(PREPARING, RUNNING), controller);
            assertStatus(step, Outcome.PROGRESSED, READY, "prepared", "");
            assertEquals(1, controller.calls("prepare"));
        }

        @Test
        void readyMovesToStarting() {
            Step step = step(task(READY, RUNNING), controller);
            assertStatus(step, Outcome.PROGRESSED, STARTING, "starting", "");
            assertEquals(0, controller.totalCalls());
        }

        @Test
        void startingStartsAndBecomesRunning() {
            Step step = step(task(STARTING, RUNNING), controller);
            assertStatus(step, Outcome.PROGRESSED, RUNNING, "started", "");
            assertEquals(1, controller.calls("start"));
        }

        @Test
        void runningAwaitsAndCompletes() {
            Step step = step(task(RUNNING, RUNNING), controller);
            assertStatus(step, Outcome.PROGRESSED, COMPLETE, "finished", "");
            assertEquals(1, controller.calls("await"));
        }

        @Test
        void aSuccessfulTransitionClearsAnEarlierErr() {
            TaskStatus retried =
                    TaskStatus.newBuilder()
                            .setState(PREPARING)
                            .setMessage("preparing")
                            .setErr("disk busy")
                            .build();
            Step step = step(task(retried, RUNNING), controller);
            assertStatus(step, Outcome.PROGRESSED, READY, "prepared", "");
        }

        @Test
        void theWholeWayFromAssignedToComplete() {
            Task task = task(ASSIGNED, RUNNING);
            TaskState[] expected = {ACCEPTED, PREPARING, READY, STARTING, RUNNING, COMPLETE};
            for (TaskState state : expected) {
                Step step = step(task, controller);
                assertEquals(Outcome.PROGRESSED, step.outcome());
                assertEquals(state, step.status().getState());
                task = next(task, step);
            }
            Step last = step(task, controller);
            assertEquals(Outcome.NOOP, last.outcome());
            assertSame(task.getStatus(), last.status());
            assertEquals(1, controller.calls("prepare"));
            assertEquals(1, controller.calls("start"));
            assertEquals(1, controller.calls("await"));
        }
    }

    @Nested
    class PauseStates {

        @Test
        void aTaskBeyondItsDesiredStateWaits() {
            Task task = task(READY, ACCEPTED);
            Step step = step(task, controller);
            assertEquals(Outcome.NOOP, step.outcome());
            assertSame(task.getStatus(), step.status());
            assertEquals(0, controller.totalCalls());
        }

        @ParameterizedTest
        @EnumSource(names = {"NEW", "ASSIGNED", "ACCEPTED", "READY"})
        void aTaskAtItsDesiredStateWaits(TaskState state) {
            Task task = task(state, state);
            Step step = step(task, controller);
            assertEquals(Outcome.NOOP, step.outcome());
            assertSame(task.getStatus(), step.status());
            assertEquals(0, controller.totalCalls());
        }

        @Test
        void preparingProceedsPastItsDesiredState() {
            Step step = step(task(PREPARING, PREPARING), controller);
            assertStatus(step, Outcome.PROGRESSED, READY, "prepared", "");
        }

        @Test
        void startingProceedsPastItsDesiredState() {
            Step step = step(task(STARTING, STARTING), controller);
            assertStatus(step, Outcome.PROGRESSED, RUNNING, "started", "");
        }

        @Test
        void runningBeyondItsDesiredStateDoesNotAwait() {
            Task task = task(RUNNING, READY);
            Step step = step(task, controller);
            assertEquals(Outcome.NOOP, step.outcome());
            assertSame(task.getStatus(), step.status());
            assertEquals(0, controller.totalCalls());
        }

        @ParameterizedTest
        @EnumSource(names = {"COMPLETE", "SHUTDOWN", "FAILED", "REJECTED"})
        void terminalStatesStay(TaskState state) {
            Task task = task(state, RUNNING);
            task = task.toBuilder().setDesiredState(COMPLETE).build();
            Step step = step(task, controller);
            assertEquals(Outcome.NOOP, step.outcome());
            assertSame(task.getStatus(), step.status());
            assertEquals(0, controller.totalCalls());
        }

        @Test
        void anUnknownStateBelowTheDesiredOneStays() {
            Task task = task(TaskStatus.newBuilder().setStateValue(100).build(), RUNNING);
            Step step = step(task, controller);
            assertEquals(Outcome.NOOP, step.outcome());
            assertSame(task.getStatus(), step.status());
            assertEquals(0, controller.totalCalls());
        }
    }

    @Nested
    class Shutdown {

        @ParameterizedTest
        @EnumSource(names = {"SHUTDOWN", "REMOVE", "ORPHANED"})
        void desiredShutdownOrBeyondShutsDown(TaskState desired) {
            Step step = step(task(NEW, desired), controller);
            assertStatus(step, Outcome.PROGRESSED, SHUTDOWN, "shutdown", "");
            assertEquals(1, controller.calls("shutdown"));
        }

        @Test
        void anUnknownDesiredStateAboveShutdownIsCapped() {
            Task task = task(RUNNING, RUNNING).toBuilder().setDesiredStateValue(900).build();
            Step step = step(task, controller);
            assertStatus(step, Outcome.PROGRESSED, SHUTDOWN, "shutdown", "");
            assertEquals(0, controller.calls("await"));
        }

        @ParameterizedTest
        @EnumSource(names = {"COMPLETE", "SHUTDOWN", "FAILED", "REJECTED"})
        void anEndedTaskIsNotShutDown(TaskState state) {
            Task task = task(state, REMOVE);
            Step step = step(task, controller);
            assertEquals(Outcome.NOOP, step.outcome());
            assertSame(task.getStatus(), step.status());
            assertEquals(0, controller.calls("shutdown"));
        }

        @Test
        void aFailedShutdownBeforeStartingRejects() {
            controller.shutdown =
                    () -> {
                        throw new IOException("cannot stop");
                    };
            Step step = step(task(READY, SHUTDOWN), controller);
            assertStatus(step, Outcome.PROGRESSED, REJECTED, "", "cannot stop");
        }

        @Test
        void aFailedShutdownFromRunningFails() {
            controller.shutdown =
                    () -> {
                        throw new IOException("cannot stop");
                    };
            TaskStatus running =
                    TaskStatus.newBuilder().setState(RUNNING).setMessage("started").build();
            Step step = step(task(running, SHUTDOWN), controller);
            assertStatus(step, Outcome.PROGRESSED, FAILED, "started", "cannot stop");
        }

        @Test
        void aTemporaryShutdownFailureRetries() {
            controller.shutdown =
                    () -> {
                        throw Errors.temporary(new IOException("daemon busy"));
                    };
            Step step = step(task(RUNNING, SHUTDOWN), controller);
            assertStatus(step, Outcome.RETRY, RUNNING, "", "daemon busy");
        }
    }

    @Nested
    class FatalFailures {

        @Test
        void aFailedPrepareRejectsAndKeepsTheMessage() {
            controller.prepare =
                    () -> {
                        throw new IOException("test error");
                    };
            TaskStatus preparing =
                    TaskStatus.newBuilder().setState(PREPARING).setMessage("preparing").build();
            Step step = step(task(preparing, RUNNING), controller);
            assertStatus(step, Outcome.PROGRESSED, REJECTED, "preparing", "test error");
            assertEquals(NOW_PROTO, step.status().getTimestamp());
        }

        @Test
        void aFailedStartFails() {
            controller.start =
                    () -> {
                        throw new IOException("no such image");
                    };
            Step step = step(task(STARTING, RUNNING), controller);
            assertStatus(step, Outcome.PROGRESSED, FAILED, "", "no such image");
        }

        @Test
        void aFailedAwaitFails() {
            controller.await =
                    () -> {
                        throw new IOException("lost the container");
                    };
            Step step = step(task(RUNNING, RUNNING), controller);
            assertStatus(step, Outcome.PROGRESSED, FAILED, "", "lost the container");
        }

        @Test
        void aRuntimeExceptionFromABuggyControllerIsAFailureLikeAnyOther() {
            controller.prepare =
                    () -> {
                        throw new NullPointerException();
                    };
            Step step = step(task(PREPARING, RUNNING), controller);
            assertStatus(step, Outcome.PROGRESSED, REJECTED, "", "java.lang.NullPointerException");
        }

        @Test
        void aBlankMessageIsReplacedByTheClassName() {
            controller.await =
                    () -> {
                        throw new IllegalStateException("  ");
                    };
            Step step = step(task(RUNNING, RUNNING), controller);
            assertEquals("java.lang.IllegalStateException", step.status().getErr());
        }

        @Test
        void errorsPropagate() {
            controller.await =
                    () -> {
                        throw new OutOfMemoryError("test");
                    };
            assertThrows(OutOfMemoryError.class, () -> step(task(RUNNING, RUNNING), controller));
        }

        @Test
        void aFailedTaskStaysFailed() {
            controller.await =
                    () -> {
                        throw new IOException("boom");
                    };
            Task task = task(RUNNING, RUNNING);
            Step failed = step(task, controller);
            Step again = step(next(task, failed), controller);
            assertEquals(Outcome.NOOP, again.outcome());
            assertSame(failed.status(), again.status());
            assertEquals(1, controller.calls("await"));
        }
    }

    @Nested
    class AlreadyDone {

        @Test
        void alreadyPreparedCountsAsPrepared() {
            controller.prepare =
                    () -> {
                        throw new TaskAlreadyPreparedException();
                    };
            assertStatus(
                    step(task(PREPARING, RUNNING), controller),
                    Outcome.PROGRESSED,
                    READY,
                    "prepared",
                    "");
        }

        @Test
        void alreadyStartedCountsAsStarted() {
            controller.start =
                    () -> {
                        throw new TaskAlreadyStartedException();
                    };
            assertStatus(
                    step(task(STARTING, RUNNING), controller),
                    Outcome.PROGRESSED,
                    RUNNING,
                    "started",
                    "");
        }

        @Test
        void alreadyStartedFromPrepareIsAFailure() {
            controller.prepare =
                    () -> {
                        throw new TaskAlreadyStartedException();
                    };
            assertStatus(
                    step(task(PREPARING, RUNNING), controller),
                    Outcome.PROGRESSED,
                    REJECTED,
                    "",
                    TaskAlreadyStartedException.DEFAULT_MESSAGE);
        }

        @Test
        void alreadyPreparedFromStartIsAFailure() {
            controller.start =
                    () -> {
                        throw new TaskAlreadyPreparedException("already prepared");
                    };
            assertStatus(
                    step(task(STARTING, RUNNING), controller),
                    Outcome.PROGRESSED,
                    FAILED,
                    "",
                    "already prepared");
        }

        @Test
        void aWrappedAlreadyPreparedIsAFailure() {
            controller.prepare =
                    () -> {
                        throw new ExecutionException("wrapped", new TaskAlreadyPreparedException());
                    };
            assertStatus(
                    step(task(PREPARING, RUNNING), controller),
                    Outcome.PROGRESSED,
                    REJECTED,
                    "",
                    "wrapped");
        }
    }

    @Nested
    class Retries {

        @Test
        void aTemporaryFailureRetriesAndReportsItsMessage() {
            controller.prepare =
                    () -> {
                        throw Errors.temporary(new IOException("disk busy"));
                    };
            TaskStatus preparing =
                    TaskStatus.newBuilder().setState(PREPARING).setMessage("preparing").build();
            Step step = step(task(preparing, RUNNING), controller);
            assertStatus(step, Outcome.RETRY, PREPARING, "preparing", "disk busy");
            assertFalse(Thread.currentThread().isInterrupted());
        }

        @Test
        void aTemporaryCauseDeepInTheChainRetries() {
            controller.start =
                    () -> {
                        throw new IllegalStateException(
                                "outer", Errors.temporary(new IOException("inner")));
                    };
            assertStatus(
                    step(task(STARTING, RUNNING), controller),
                    Outcome.RETRY,
                    STARTING,
                    "",
                    "outer");
        }

        @Test
        void anInterruptedOperationRetriesWithTheInterruptFlagRestored() {
            controller.await =
                    () -> {
                        throw new InterruptedException("stop");
                    };
            TaskStatus running =
                    TaskStatus.newBuilder()
                            .setState(RUNNING)
                            .setMessage("started")
                            .setTimestamp(Timestamp.newBuilder().setSeconds(1))
                            .build();
            Task task = task(running, RUNNING);
            Step step = step(task, controller);
            assertEquals(Outcome.RETRY, step.outcome());
            assertSame(
                    task.getStatus(),
                    step.status(),
                    "an interruption changes nothing, err included");
            assertTrue(Thread.interrupted(), "the interrupt flag is set again");
        }

        @Test
        void anInterruptionDeepInTheChainAlsoRestoresTheFlag() {
            controller.prepare =
                    () -> {
                        throw new IOException("read failed", new InterruptedException());
                    };
            Step step = step(task(PREPARING, RUNNING), controller);
            assertStatus(step, Outcome.RETRY, PREPARING, "", "");
            assertTrue(Thread.interrupted());
        }

        @Test
        void aCancellationRetriesWithoutSettingTheInterruptFlag() {
            controller.await =
                    () -> {
                        throw new RuntimeException(new CancellationException("cancelled"));
                    };
            Task task = task(RUNNING, RUNNING);
            Step step = step(task, controller);
            assertEquals(Outcome.RETRY, step.outcome());
            assertSame(task.getStatus(), step.status());
            assertFalse(Thread.currentThread().isInterrupted());
        }

        @Test
        void aTimeoutRetries() {
            controller.start =
                    () -> {
                        throw new ExecutionException(new TimeoutException("too slow"));
                    };
            Task task = task(STARTING, RUNNING);
            Step step = step(task, controller);
            assertEquals(Outcome.RETRY, step.outcome());
            assertSame(task.getStatus(), step.status());
        }

        @Test
        void aFailureWhileTheThreadIsInterruptedIsTakenForTheInterruption() {
            // Channel I/O throws ClosedByInterruptException, with no InterruptedException cause
            // but with the flag set; it must not fail the task.
            controller.await =
                    () -> {
                        Thread.currentThread().interrupt();
                        throw new java.nio.channels.ClosedByInterruptException();
                    };
            Task task = task(RUNNING, RUNNING);
            Step step = step(task, controller);
            assertEquals(Outcome.RETRY, step.outcome());
            assertSame(task.getStatus(), step.status());
            assertTrue(Thread.interrupted());
        }

        @Test
        void retryingAfterAnInterruptionProceeds() {
            int[] awaits = {0};
            controller.await =
                    () -> {
                        if (++awaits[0] == 1) {
                            throw new InterruptedException();
                        }
                    };
            Task task = task(RUNNING, RUNNING);
            assertEquals(Outcome.RETRY, step(task, controller).outcome());
            assertTrue(Thread.interrupted());
            assertStatus(step(task, controller), Outcome.PROGRESSED, COMPLETE, "finished", "");
        }
    }

    @Nested
    class ContainerAndPortStatus {

        final ContainerStatus container =
                ContainerStatus.newBuilder().setContainerId("c1").setPid(42).build();
        final PortStatus ports =
                PortStatus.newBuilder()
                        .addPorts(
                                PortConfig.newBuilder()
                                        .setName("http")
                                        .setTargetPort(80)
                                        .setPublishedPort(8080))
                        .build();

        @Test
        void theControllersContainerStatusIsRecordedFromStartingOn() {
            var statuser = new ScriptedController.WithContainerStatus();
            statuser.containerStatus = () -> Optional.of(container);
            Step step = step(task(STARTING, RUNNING), statuser);
            assertEquals(container, step.status().getContainer());
        }

        @Test
        void theContainerStatusIsNotAskedForBeforeStarting() {
            var statuser = new ScriptedController.WithAllStatus();
            statuser.containerStatus =
                    () -> {
                        throw new AssertionError("asked before STARTING");
                    };
            statuser.portStatus =
                    () -> {
                        throw new AssertionError("asked before STARTING");
                    };
            Step step = step(task(ACCEPTED, RUNNING), statuser);
            assertFalse(step.status().hasContainer());
            assertFalse(step.status().hasPortStatus());
        }

        @Test
        void aFatalFailureBeforeStartingStillRecordsTheContainerStatus() {
            // REJECTED is above STARTING, so like swarmkit the rejected status carries what is
            // known.
            var statuser = new ScriptedController.WithContainerStatus();
            statuser.containerStatus = () -> Optional.of(container);
            statuser.prepare =
                    () -> {
                        throw new IOException("bad mount");
                    };
            Step step = step(task(PREPARING, RUNNING), statuser);
            assertEquals(REJECTED, step.status().getState());
            assertEquals(container, step.status().getContainer());
        }

        @Test
        void theFailuresExitCodeOverridesTheControllersContainerStatus() {
            var statuser = new ScriptedController.WithContainerStatus();
            statuser.containerStatus =
                    () -> Optional.of(container.toBuilder().setExitCode(0).build());
            statuser.await =
                    () -> {
                        throw new ExitException(3, "exit code 3");
                    };
            Step step = step(task(RUNNING, RUNNING), statuser);
            assertStatus(step, Outcome.PROGRESSED, FAILED, "", "exit code 3");
            assertEquals(
                    container.toBuilder().setExitCode(3).build(), step.status().getContainer());
        }

        @Test
        void theFailuresContainerStatusWinsOverTheControllers() {
            var statuser = new ScriptedController.WithContainerStatus();
            statuser.containerStatus = () -> Optional.of(container);
            ContainerStatus carried =
                    ContainerStatus.newBuilder().setContainerId("c2").setExitCode(9).build();
            statuser.await =
                    () -> {
                        throw new IOException("wrapped", new ExitException(9, "killed", carried));
                    };
            Step step = step(task(RUNNING, RUNNING), statuser);
            assertStatus(step, Outcome.PROGRESSED, FAILED, "", "wrapped");
            assertEquals(carried, step.status().getContainer());
        }

        @Test
        void anExitCodeIsRecordedEvenWhenNoOneReportsAContainerStatus() {
            controller.await =
                    () -> {
                        throw new ExitException(137, "killed");
                    };
            Step step = step(task(RUNNING, RUNNING), controller);
            assertEquals(137, step.status().getContainer().getExitCode());
        }

        @Test
        void anExitCodeUpdatesThePreviousContainerStatusWhenTheControllerHasNone() {
            var statuser = new ScriptedController.WithContainerStatus();
            statuser.await =
                    () -> {
                        throw new ExitException(2, "exit 2");
                    };
            TaskStatus running =
                    TaskStatus.newBuilder().setState(RUNNING).setContainer(container).build();
            Step step = step(task(running, RUNNING), statuser);
            assertEquals(
                    container.toBuilder().setExitCode(2).build(), step.status().getContainer());
        }

        @Test
        void aFailingContainerStatusQueryKeepsThePreviousOneAndNeverFailsTheStep() {
            var statuser = new ScriptedController.WithContainerStatus();
            statuser.containerStatus =
                    () -> {
                        throw new IOException("daemon gone");
                    };
            TaskStatus running =
                    TaskStatus.newBuilder().setState(RUNNING).setContainer(container).build();
            Step step = step(task(running, RUNNING), statuser);
            assertStatus(step, Outcome.PROGRESSED, COMPLETE, "finished", "");
            assertEquals(container, step.status().getContainer());
        }

        @Test
        void aBuggyStatuserReturningNullCountsAsNoStatus() {
            var statuser = new ScriptedController.WithAllStatus();
            statuser.containerStatus = () -> null;
            statuser.portStatus = () -> null;
            Task task = task(COMPLETE, RUNNING);
            Step step = step(task, statuser);
            assertSame(task.getStatus(), step.status());
        }

        @Test
        void anInterruptedStatusQueryRestoresTheFlag() {
            var statuser = new ScriptedController.WithContainerStatus();
            statuser.containerStatus =
                    () -> {
                        throw new InterruptedException();
                    };
            Step step = step(task(RUNNING, RUNNING), statuser);
            assertStatus(step, Outcome.PROGRESSED, COMPLETE, "finished", "");
            assertTrue(Thread.interrupted());
        }

        @Test
        void portStatusComesFromAPortStatuser() {
            var statuser = new ScriptedController.WithPortStatus();
            statuser.portStatus = () -> Optional.of(ports);
            Step step = step(task(STARTING, RUNNING), statuser);
            assertEquals(ports, step.status().getPortStatus());
            assertFalse(step.status().hasContainer());
        }

        @Test
        void anEmptyPortStatusClearsIt() {
            var statuser = new ScriptedController.WithAllStatus();
            TaskStatus running =
                    TaskStatus.newBuilder().setState(RUNNING).setPortStatus(ports).build();
            Step step = step(task(running, RUNNING), statuser);
            assertFalse(step.status().hasPortStatus());
        }

        @Test
        void aFailingPortStatusQueryKeepsThePreviousPorts() {
            var statuser = new ScriptedController.WithAllStatus();
            statuser.portStatus =
                    () -> {
                        throw new IOException("no answer");
                    };
            TaskStatus running =
                    TaskStatus.newBuilder().setState(RUNNING).setPortStatus(ports).build();
            Step step = step(task(running, RUNNING), statuser);
            assertEquals(ports, step.status().getPortStatus());
        }

        @Test
        void aNoopRefreshesTheContainerStatus() {
            var statuser = new ScriptedController.WithContainerStatus();
            statuser.containerStatus =
                    () -> Optional.of(container.toBuilder().setExitCode(0).build());
            TaskStatus complete =
                    TaskStatus.newBuilder()
                            .setState(COMPLETE)
                            .setMessage("finished")
                            .setTimestamp(Timestamp.newBuilder().setSeconds(10))
                            .build();
            Step step = step(task(complete, SHUTDOWN), statuser);
            assertEquals(Outcome.NOOP, step.outcome());
            assertEquals(container, step.status().getContainer());
            assertEquals(NOW_PROTO, step.status().getTimestamp(), "a changed status is stamped");
        }

        @Test
        void aNoopWithAnUnchangedContainerStatusReturnsTheTasksOwnStatus() {
            var statuser = new ScriptedController.WithAllStatus();
            statuser.containerStatus = () -> Optional.of(container.toBuilder().build());
            statuser.portStatus = () -> Optional.of(ports.toBuilder().build());
            TaskStatus complete =
                    TaskStatus.newBuilder()
                            .setState(COMPLETE)
                            .setContainer(container)
                            .setPortStatus(ports)
                            .build();
            Task task = task(complete, SHUTDOWN);
            Step step = step(task, statuser);
            assertEquals(Outcome.NOOP, step.outcome());
            assertSame(task.getStatus(), step.status());
        }
    }

    @Nested
    class Timestamps {

        @Test
        void aChangedStatusIsStampedWithTheClock() {
            TaskStatus old =
                    TaskStatus.newBuilder()
                            .setState(ASSIGNED)
                            .setTimestamp(
                                    Timestamp.newBuilder().setSeconds(NOW.getEpochSecond() - 60))
                            .build();
            Step step = step(task(old, RUNNING), controller);
            assertEquals(NOW_PROTO, step.status().getTimestamp());
        }

        @Test
        void aTimestampNeverMovesBackwardsWhenTheClockDoes() {
            Timestamp future =
                    Timestamp.newBuilder()
                            .setSeconds(NOW.getEpochSecond() + 3600)
                            .setNanos(7)
                            .build();
            TaskStatus old =
                    TaskStatus.newBuilder().setState(ASSIGNED).setTimestamp(future).build();
            Step step = step(task(old, RUNNING), controller);
            assertEquals(ACCEPTED, step.status().getState());
            assertEquals(future, step.status().getTimestamp());
        }

        @Test
        void theSameSecondButEarlierNanosAlsoKeepsThePreviousTimestamp() {
            Timestamp later =
                    Timestamp.newBuilder()
                            .setSeconds(NOW.getEpochSecond())
                            .setNanos(NOW.getNano() + 1)
                            .build();
            TaskStatus old = TaskStatus.newBuilder().setState(ASSIGNED).setTimestamp(later).build();
            assertEquals(later, step(task(old, RUNNING), controller).status().getTimestamp());
        }

        @Test
        void appliedFieldsAreIgnoredByTheComparisonAndKept() {
            Timestamp applied = Timestamp.newBuilder().setSeconds(5).build();
            TaskStatus status =
                    TaskStatus.newBuilder()
                            .setState(READY)
                            .setMessage("prepared")
                            .setAppliedBy("manager-1")
                            .setAppliedAt(applied)
                            .build();
            Task waiting = task(status, READY);
            assertSame(status, step(waiting, controller).status());

            Step moved = step(task(status, RUNNING), controller);
            assertEquals(STARTING, moved.status().getState());
            assertEquals("manager-1", moved.status().getAppliedBy());
            assertEquals(applied, moved.status().getAppliedAt());
        }

        @Test
        void aStatusThatOnlyCarriesATimestampIsUnchangedByANoop() {
            TaskStatus status =
                    TaskStatus.newBuilder()
                            .setState(COMPLETE)
                            .setMessage("finished")
                            .setTimestamp(Timestamp.newBuilder().setSeconds(1))
                            .build();
            Task task = task(status, RUNNING);
            Step step = step(task, controller);
            assertSame(status, step.status());
            assertEquals(1, step.status().getTimestamp().getSeconds());
        }

        @Test
        void aRetryThatSetsErrIsStampedAndAnIdenticalRetryIsNot() {
            controller.prepare =
                    () -> {
                        throw Errors.temporary(new IOException("busy"));
                    };
            Task task = task(PREPARING, RUNNING);
            Step first = step(task, controller);
            assertNotSame(task.getStatus(), first.status());
            assertEquals(NOW_PROTO, first.status().getTimestamp());
            Task again = next(task, first);
            Step second =
                    Lifecycle.step(
                            again,
                            controller,
                            Clock.offset(CLOCK, java.time.Duration.ofMinutes(1)));
            assertEquals(Outcome.RETRY, second.outcome());
            assertSame(again.getStatus(), second.status());
        }
    }

    @Test
    void nullArgumentsAreProgrammingErrors() {
        Task task = task(NEW, RUNNING);
        assertThrows(NullPointerException.class, () -> Lifecycle.step(null, controller));
        assertThrows(NullPointerException.class, () -> Lifecycle.step(task, null));
        assertThrows(NullPointerException.class, () -> Lifecycle.step(task, controller, null));
    }

    @Test
    void theDefaultClockStampsWithTheCurrentTime() {
        long before = Instant.now().getEpochSecond();
        Step step = Lifecycle.step(task(NEW, RUNNING), controller);
        long stamped = step.status().getTimestamp().getSeconds();
        assertTrue(
                stamped >= before && stamped <= Instant.now().getEpochSecond(),
                "stamped " + stamped);
    }

    @Test
    void stepRecordRejectsNulls() {
        assertThrows(NullPointerException.class, () -> new Step(null, Outcome.NOOP));
        assertThrows(
                NullPointerException.class, () -> new Step(TaskStatus.getDefaultInstance(), null));
    }

    @Test
    void unusedStatesAreStillOrdered() {
        // Guards the numeric comparisons Lifecycle relies on.
        assertTrue(
                NEW.getNumber() < PENDING.getNumber()
                        && PENDING.getNumber() < ASSIGNED.getNumber());
        assertTrue(
                REJECTED.getNumber() < REMOVE.getNumber()
                        && REMOVE.getNumber() < ORPHANED.getNumber());
    }
}

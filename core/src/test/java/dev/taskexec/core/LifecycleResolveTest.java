package dev.taskexec.core;

import static dev.taskexec.api.proto.TaskState.ACCEPTED;
import static dev.taskexec.api.proto.TaskState.ASSIGNED;
import static dev.taskexec.api.proto.TaskState.COMPLETE;
import static dev.taskexec.api.proto.TaskState.FAILED;
import static dev.taskexec.api.proto.TaskState.REJECTED;
import static dev.taskexec.api.proto.TaskState.RUNNING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.Controller;
import dev.taskexec.api.Errors;
import dev.taskexec.api.Executor;
import dev.taskexec.api.RuntimeUnsupportedException;
import dev.taskexec.api.proto.Node;
import dev.taskexec.api.proto.NodeDescription;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every branch of {@link Lifecycle#resolve}. */
class LifecycleResolveTest {

    /** An executor whose {@code controller} returns or throws what the test says. */
    static final class ScriptedExecutor implements Executor {
        Controller controller = new ScriptedController();
        Exception failure;
        int calls;

        @Override
        public NodeDescription describe() {
            return NodeDescription.getDefaultInstance();
        }

        @Override
        public void configure(Node node) {}

        @Override
        public Controller controller(Task task) throws Exception {
            calls++;
            if (failure != null) {
                throw failure;
            }
            return controller;
        }
    }

    final ScriptedExecutor executor = new ScriptedExecutor();

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    static Resolution resolve(Task task, Executor executor) {
        return Lifecycle.resolve(task, executor, LifecycleStepTest.CLOCK);
    }

    @Test
    void aResolvedTaskBelowAcceptedIsAccepted() {
        TaskStatus assigned = TaskStatus.newBuilder().setState(ASSIGNED).setErr("stale").build();
        Resolution resolution = resolve(LifecycleStepTest.task(assigned, RUNNING), executor);
        assertTrue(resolution.resolved());
        assertSame(executor.controller, resolution.controller());
        assertNull(resolution.failure());
        assertEquals(ACCEPTED, resolution.status().getState());
        assertEquals("accepted", resolution.status().getMessage());
        assertEquals("", resolution.status().getErr());
        assertEquals(LifecycleStepTest.NOW_PROTO, resolution.status().getTimestamp());
    }

    @ParameterizedTest
    @EnumSource(names = {"ACCEPTED", "PREPARING", "RUNNING", "COMPLETE", "FAILED"})
    void aResolvedTaskFromAcceptedOnKeepsItsOwnStatus(TaskState state) {
        Task task = LifecycleStepTest.task(state, RUNNING);
        Resolution resolution = resolve(task, executor);
        assertTrue(resolution.resolved());
        assertSame(task.getStatus(), resolution.status());
    }

    @ParameterizedTest
    @EnumSource(names = {"NEW", "ASSIGNED", "ACCEPTED", "PREPARING", "READY"})
    void aFailureBeforeStartingRejects(TaskState state) {
        executor.failure = new RuntimeUnsupportedException("no runtime for generic kind 'vm'");
        Resolution resolution = resolve(LifecycleStepTest.task(state, RUNNING), executor);
        assertFalse(resolution.resolved());
        assertNull(resolution.controller());
        assertSame(
                executor.failure,
                resolution.failure(),
                "the executor's own exception, not a wrapper");
        assertEquals(REJECTED, resolution.status().getState());
        assertEquals("resolving controller failed", resolution.status().getMessage());
        assertEquals("no runtime for generic kind 'vm'", resolution.status().getErr());
        assertEquals(LifecycleStepTest.NOW_PROTO, resolution.status().getTimestamp());
    }

    @ParameterizedTest
    @EnumSource(names = {"STARTING", "RUNNING"})
    void aFailureOfAStartedTaskFailsIt(TaskState state) {
        executor.failure = new IOException("lost the daemon");
        Resolution resolution = resolve(LifecycleStepTest.task(state, RUNNING), executor);
        assertEquals(FAILED, resolution.status().getState());
        assertEquals("lost the daemon", resolution.status().getErr());
    }

    @ParameterizedTest
    @EnumSource(names = {"COMPLETE", "SHUTDOWN", "FAILED", "REJECTED"})
    void aFailureOfAnEndedTaskKeepsItsStateButReportsTheFailure(TaskState state) {
        executor.failure = new IOException("lost the daemon");
        Resolution resolution = resolve(LifecycleStepTest.task(state, RUNNING), executor);
        assertEquals(state, resolution.status().getState());
        assertEquals("resolving controller failed", resolution.status().getMessage());
        assertEquals("lost the daemon", resolution.status().getErr());
    }

    @Test
    void aTemporaryFailureStillRejectsAsInSwarmkit() {
        executor.failure = Errors.temporary(new IOException("busy"));
        Resolution resolution = resolve(LifecycleStepTest.task(ASSIGNED, RUNNING), executor);
        assertEquals(REJECTED, resolution.status().getState());
    }

    @Test
    void aRuntimeExceptionIsAFailureLikeAnyOther() {
        executor.failure = new IllegalArgumentException();
        Resolution resolution = resolve(LifecycleStepTest.task(ASSIGNED, RUNNING), executor);
        assertSame(executor.failure, resolution.failure());
        assertEquals("java.lang.IllegalArgumentException", resolution.status().getErr());
    }

    @Test
    void aNullControllerIsReportedAsAFailure() {
        executor.controller = null;
        Resolution resolution = resolve(LifecycleStepTest.task(ASSIGNED, RUNNING), executor);
        assertFalse(resolution.resolved());
        assertInstanceOf(IllegalStateException.class, resolution.failure());
        assertEquals(REJECTED, resolution.status().getState());
        assertTrue(
                resolution.status().getErr().contains("returned null"),
                resolution.status().getErr());
    }

    @Test
    void anInterruptedResolutionLeavesTheStatusAndRestoresTheFlag() {
        executor.failure = new InterruptedException();
        Task task = LifecycleStepTest.task(ASSIGNED, RUNNING);
        Resolution resolution = resolve(task, executor);
        assertFalse(resolution.resolved());
        assertSame(executor.failure, resolution.failure());
        assertSame(task.getStatus(), resolution.status());
        assertTrue(Thread.interrupted());
    }

    @Test
    void theSwarmkitSequence() {
        // accepted, then unchanged; a failure rejects; an ended task keeps its state even once the
        // controller resolves again.
        Task task = LifecycleStepTest.task(ASSIGNED, RUNNING);
        Resolution first = Lifecycle.resolve(task, executor);
        task = task.toBuilder().setStatus(first.status()).build();
        assertSame(task.getStatus(), Lifecycle.resolve(task, executor).status());

        executor.failure = new IOException("some error");
        Task done = LifecycleStepTest.task(COMPLETE, RUNNING);
        Resolution failed = resolve(done, executor);
        assertEquals(COMPLETE, failed.status().getState());
        executor.failure = null;
        Task after = done.toBuilder().setStatus(failed.status()).build();
        assertSame(after.getStatus(), resolve(after, executor).status());
    }

    @Test
    void resolutionHoldsEitherAControllerOrAFailure() {
        TaskStatus status = TaskStatus.getDefaultInstance();
        assertThrows(IllegalArgumentException.class, () -> new Resolution(status, null, null));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Resolution(status, new ScriptedController(), new IOException()));
        assertThrows(
                NullPointerException.class,
                () -> new Resolution(null, new ScriptedController(), null));
        assertThrows(NullPointerException.class, () -> Lifecycle.resolve(null, executor));
        assertThrows(
                NullPointerException.class,
                () -> Lifecycle.resolve(LifecycleStepTest.task(ASSIGNED, RUNNING), null));
        assertEquals(0, executor.calls, "argument checks come before the executor is asked");
    }
}

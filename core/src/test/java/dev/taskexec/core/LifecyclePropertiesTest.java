package dev.taskexec.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

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
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Lifecycle invariants over random (state, desired state, controller behaviour), with
 * QuickTheories: the state never decreases, {@code step} never throws, REJECTED is reached only
 * from below STARTING and FAILED only from STARTING on, and feeding each status back into the task
 * reaches a NOOP fixed point within a bound.
 */
class LifecyclePropertiesTest {

    /** What one controller call does; a script is consumed call by call, then calls succeed. */
    enum Fault {
        FATAL,
        TEMPORARY,
        INTERRUPTED,
        CANCELLED,
        TIMED_OUT,
        EXIT_CODE,
        RUNTIME,
        ALREADY_DONE,
        ERR_WITHOUT_MESSAGE
    }

    /** Which status capabilities the controller has, and how they behave. */
    enum Statuses {
        NONE,
        CONTAINER,
        CONTAINER_AND_PORTS,
        PORTS,
        FAILING,
        EMPTY
    }

    // Every known state, and two values this build does not know (one below STARTING, one above).
    static final List<Integer> STATES =
            Stream.concat(
                            Arrays.stream(TaskState.values())
                                    .filter(s -> s != TaskState.UNRECOGNIZED)
                                    .map(TaskState::getNumber),
                            Stream.of(100, 500))
                    .toList();

    static final Set<Fault> RETRYABLE =
            EnumSet.of(Fault.TEMPORARY, Fault.INTERRUPTED, Fault.CANCELLED, Fault.TIMED_OUT);

    static final Set<Fault> FATAL =
            EnumSet.of(Fault.FATAL, Fault.EXIT_CODE, Fault.RUNTIME, Fault.ERR_WITHOUT_MESSAGE);

    static final Gen<Integer> STATE = Generate.pick(STATES);
    static final Gen<List<Fault>> SCRIPT =
            lists().of(Generate.enumValues(Fault.class)).ofSizeBetween(0, 6);
    static final Gen<Statuses> STATUSES = Generate.enumValues(Statuses.class);

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void invariantsHoldOnEveryStepAndSteppingReachesANoopFixedPoint() {
        qt().withExamples(2000).forAll(STATE, STATE, SCRIPT, STATUSES).checkAssert(this::run);
    }

    @Test
    void theSameHoldsWhenTheDesiredStateIsRaisedHalfway() {
        // A task that settled below its goal and then is asked for more (as a manager does).
        qt().withExamples(500)
                .forAll(STATE, STATE, SCRIPT, STATUSES)
                .checkAssert(
                        (initial, desired, script, statuses) -> {
                            Task settled =
                                    run(
                                            initial,
                                            Math.min(desired, TaskState.READY_VALUE),
                                            script,
                                            statuses);
                            run(
                                    settled.toBuilder().setDesiredStateValue(desired).build(),
                                    script,
                                    statuses);
                        });
    }

    private Task run(int initial, int desired, List<Fault> script, Statuses statuses) {
        Task task =
                Task.newBuilder()
                        .setId("prop")
                        .setStatus(
                                TaskStatus.newBuilder()
                                        .setStateValue(initial)
                                        .setTimestamp(Timestamp.newBuilder().setSeconds(1_000_000)))
                        .setDesiredStateValue(desired)
                        .build();
        return run(task, script, statuses);
    }

    private Task run(Task task, List<Fault> script, Statuses statuses) {
        Deque<Fault> faults = new ArrayDeque<>(script);
        List<Fault> thrown = new ArrayList<>();
        ScriptedController controller = controller(statuses);
        ScriptedController.Action next =
                () -> {
                    Fault fault = faults.poll();
                    if (fault != null) {
                        thrown.add(fault);
                        throwFor(fault, controller);
                    }
                };
        controller.prepare = next;
        controller.start = next;
        controller.await = next;
        controller.shutdown = next;

        // A clock that jumps backwards now and then, to check timestamps never do.
        Instant[] now = {Instant.ofEpochSecond(1_000_000)};
        Clock clock =
                new Clock() {
                    int ticks;

                    @Override
                    public Instant instant() {
                        now[0] = now[0].plus(Duration.ofSeconds(++ticks % 3 == 0 ? -5 : 2));
                        return now[0];
                    }

                    @Override
                    public ZoneOffset getZone() {
                        return ZoneOffset.UTC;
                    }

                    @Override
                    public Clock withZone(java.time.ZoneId zone) {
                        return this;
                    }
                };

        int bound = TaskState.values().length + script.size() + 2;
        for (int i = 0; i < bound; i++) {
            TaskStatus before = task.getStatus();
            int callsBefore = thrown.size();
            Step step;
            try {
                step = Lifecycle.step(task, controller, clock);
            } catch (Throwable t) {
                throw new AssertionError("step threw for " + describe(task), t);
            }
            TaskStatus after = step.status();
            boolean interrupted = Thread.interrupted();
            Fault fault = thrown.size() > callsBefore ? thrown.get(thrown.size() - 1) : null;
            String where =
                    describe(task)
                            + " -> "
                            + after.getStateValue()
                            + " "
                            + step.outcome()
                            + " fault "
                            + fault;

            assertTrue(
                    after.getStateValue() >= before.getStateValue(), "state decreased: " + where);
            if (after.getStateValue() != before.getStateValue()) {
                if (after.getState() == TaskState.REJECTED) {
                    assertTrue(
                            before.getStateValue() < TaskState.STARTING_VALUE,
                            "rejected from STARTING on: " + where);
                }
                if (after.getState() == TaskState.FAILED) {
                    assertTrue(
                            before.getStateValue() >= TaskState.STARTING_VALUE,
                            "failed below STARTING: " + where);
                }
            }
            if (step.outcome() == Step.Outcome.RETRY) {
                assertEquals(
                        before.getStateValue(),
                        after.getStateValue(),
                        "a retry moved the state: " + where);
                assertTrue(RETRYABLE.contains(fault), "retry without a retryable fault: " + where);
            }
            assertEquals(
                    fault == Fault.INTERRUPTED,
                    interrupted,
                    "interrupt flag restored exactly for interruptions: " + where);
            if (RETRYABLE.contains(fault)) {
                assertEquals(
                        Step.Outcome.RETRY,
                        step.outcome(),
                        "a retryable fault must retry: " + where);
                assertEquals(
                        fault == Fault.TEMPORARY ? "temporary" : before.getErr(),
                        after.getErr(),
                        "err is the temporary failure's message, and untouched by interruptions: "
                                + where);
            } else if (FATAL.contains(fault)) {
                assertEquals(
                        Step.Outcome.PROGRESSED,
                        step.outcome(),
                        "a fatal fault must end the task: " + where);
                assertEquals(
                        before.getStateValue() < TaskState.STARTING_VALUE
                                ? TaskState.REJECTED
                                : TaskState.FAILED,
                        after.getState(),
                        "fatal state: " + where);
                assertFalse(after.getErr().isEmpty(), "a fatal failure must say why: " + where);
                if (fault == Fault.EXIT_CODE) {
                    assertEquals(
                            3,
                            after.getContainer().getExitCode(),
                            "the failure's exit code is recorded: " + where);
                }
            }
            if (before.hasTimestamp()) {
                assertTrue(
                        seconds(after) > seconds(before)
                                || (seconds(after) == seconds(before)
                                        && after.getTimestamp().getNanos()
                                                >= before.getTimestamp().getNanos()),
                        "timestamp moved backwards: " + where);
            }
            if (stable(before).equals(stable(after))) {
                assertSame(
                        before,
                        after,
                        "an unchanged status must be the task's own instance: " + where);
            } else {
                assertFalse(
                        after.getTimestamp().equals(Timestamp.getDefaultInstance()),
                        "changed but unstamped: " + where);
            }

            task = task.toBuilder().setStatus(after).build();
            if (step.outcome() == Step.Outcome.NOOP) {
                int operations = controller.totalCalls();
                Step again = Lifecycle.step(task, controller, clock);
                assertEquals(Step.Outcome.NOOP, again.outcome(), "NOOP is not stable: " + where);
                assertSame(
                        task.getStatus(),
                        again.status(),
                        "a second NOOP changed the status: " + where);
                assertEquals(
                        operations,
                        controller.totalCalls(),
                        "a NOOP called the controller: " + where);
                return task;
            }
        }
        fail(
                "no NOOP within "
                        + bound
                        + " steps: "
                        + describe(task)
                        + " script "
                        + script
                        + " "
                        + statuses);
        return task;
    }

    private static long seconds(TaskStatus status) {
        return status.getTimestamp().getSeconds();
    }

    private static TaskStatus stable(TaskStatus status) {
        return status.toBuilder().clearTimestamp().clearAppliedAt().clearAppliedBy().build();
    }

    private static String describe(Task task) {
        return "state "
                + task.getStatus().getStateValue()
                + " desired "
                + task.getDesiredStateValue();
    }

    private static void throwFor(Fault fault, ScriptedController controller) throws Exception {
        switch (fault) {
            case FATAL -> throw new IOException("fatal");
            case TEMPORARY -> throw Errors.temporary(new IOException("temporary"));
            case INTERRUPTED -> throw new InterruptedException("interrupted");
            case CANCELLED ->
                    throw new IllegalStateException(new CancellationException("cancelled"));
            case TIMED_OUT -> throw new TimeoutException("timed out");
            case EXIT_CODE -> throw new ExitException(3, "exit 3");
            case RUNTIME -> throw new IllegalStateException("bug");
            case ALREADY_DONE ->
                    throw controller.calls("start") > 0
                            ? new TaskAlreadyStartedException()
                            : new TaskAlreadyPreparedException();
            case ERR_WITHOUT_MESSAGE -> throw new IOException();
        }
    }

    private static ScriptedController controller(Statuses statuses) {
        ContainerStatus container =
                ContainerStatus.newBuilder().setContainerId("c").setPid(7).build();
        PortStatus ports =
                PortStatus.newBuilder().addPorts(PortConfig.newBuilder().setTargetPort(80)).build();
        return switch (statuses) {
            case NONE -> new ScriptedController();
            case CONTAINER -> {
                var c = new ScriptedController.WithContainerStatus();
                c.containerStatus = () -> Optional.of(container.toBuilder().build());
                yield c;
            }
            case CONTAINER_AND_PORTS -> {
                var c = new ScriptedController.WithAllStatus();
                c.containerStatus = () -> Optional.of(container.toBuilder().build());
                c.portStatus = () -> Optional.of(ports.toBuilder().build());
                yield c;
            }
            case PORTS -> {
                var c = new ScriptedController.WithPortStatus();
                c.portStatus = () -> Optional.of(ports);
                yield c;
            }
            case FAILING -> {
                var c = new ScriptedController.WithAllStatus();
                c.containerStatus =
                        () -> {
                            throw new IOException("no container status");
                        };
                c.portStatus =
                        () -> {
                            throw new IllegalStateException("no port status");
                        };
                yield c;
            }
            case EMPTY -> new ScriptedController.WithAllStatus();
        };
    }
}

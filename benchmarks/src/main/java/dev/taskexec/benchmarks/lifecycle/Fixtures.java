package dev.taskexec.benchmarks.lifecycle;

import com.google.protobuf.Timestamp;
import dev.taskexec.api.proto.ContainerStatus;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import dev.taskexec.core.Step;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The inputs the lifecycle benchmarks share: a fixed clock later than every task's status
 * timestamp (so a changed status is stamped with the clock's time, and reading the clock
 * allocates nothing), container statuses, and tasks built once per trial (protobuf messages are
 * immutable, so one task serves every invocation).
 */
final class Fixtures {

    /** The clock of every step: fixed, one hour after the tasks' own timestamps. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T01:00:00Z"), ZoneOffset.UTC);

    /** The timestamp of every task's current status. */
    static final Timestamp EARLIER =
            Timestamp.newBuilder()
                    .setSeconds(Instant.parse("2026-01-01T00:00:00Z").getEpochSecond())
                    .build();

    /** A running container, as a RUNNING task's status carries it. */
    static final ContainerStatus RUNNING_CONTAINER =
            ContainerStatus.newBuilder().setContainerId("5d1c0b7e9a3f").setPid(4242).build();

    /** The same container after it exited with code 0 (Docker reports pid 0 then). */
    static final ContainerStatus EXITED_CONTAINER =
            ContainerStatus.newBuilder().setContainerId("5d1c0b7e9a3f").build();

    private Fixtures() {}

    /** A task in {@code state} ("previous message") that should reach {@code desired}. */
    static Task task(TaskState state, TaskState desired) {
        return Task.newBuilder()
                .setId("bench-task-1")
                .setDesiredState(desired)
                .setStatus(
                        TaskStatus.newBuilder()
                                .setState(state)
                                .setMessage("previous message")
                                .setTimestamp(EARLIER))
                .build();
    }

    /** {@link #task} whose status also carries {@code container}. */
    static Task task(TaskState state, TaskState desired, ContainerStatus container) {
        Task task = task(state, desired);
        return task.toBuilder()
                .setStatus(task.getStatus().toBuilder().setContainer(container))
                .build();
    }

    /** The clock's time as a protobuf timestamp, built the way a status needs it. */
    static Timestamp now(Clock clock) {
        Instant now = clock.instant();
        return Timestamp.newBuilder()
                .setSeconds(now.getEpochSecond())
                .setNanos(now.getNano())
                .build();
    }

    /**
     * Stops a benchmark whose path is not the one it claims to measure (a changed lifecycle
     * rule): the quick run then fails instead of quietly timing something else.
     */
    static void require(boolean holds, String claim, Object actual) {
        if (!holds) {
            throw new IllegalStateException(
                    "benchmark setup: expected " + claim + ", got " + actual);
        }
    }

    /**
     * Checks, once in {@code @Setup}, that a step progressed to exactly the status its baseline
     * builds by hand, so the benchmark and its baseline measure the same work.
     *
     * @throws IllegalStateException naming the mismatch
     */
    static void requireProgressed(Step step, TaskStatus baseline) {
        require(step.outcome() == Step.Outcome.PROGRESSED, "PROGRESSED", step.outcome());
        require(
                step.status().equals(baseline),
                "the step's status to equal the hand-built " + baseline,
                step.status());
    }

    /** A plain transition: the state a step moves to from each state below RUNNING, and its message. */
    record Transition(TaskState to, String message) {
        static Transition from(TaskState from) {
            return switch (from) {
                case NEW, PENDING, ASSIGNED -> new Transition(TaskState.ACCEPTED, "accepted");
                case ACCEPTED -> new Transition(TaskState.PREPARING, "preparing");
                case PREPARING -> new Transition(TaskState.READY, "prepared");
                case READY -> new Transition(TaskState.STARTING, "starting");
                case STARTING -> new Transition(TaskState.RUNNING, "started");
                default -> throw new IllegalArgumentException("no plain transition from " + from);
            };
        }
    }
}

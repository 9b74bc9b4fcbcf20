package dev.taskexec.benchmarks.lifecycle;

import com.google.protobuf.Timestamp;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One plain transition of a task whose desired state is RUNNING: NEW→ACCEPTED,
 * ACCEPTED→PREPARING, PREPARING→READY, READY→STARTING and STARTING→RUNNING, with a controller
 * whose operations succeed at once.
 *
 * <p>The baseline builds, with protobuf's builders, exactly the status such a transition must
 * return (new state, message, cleared {@code err}, a timestamp from the clock): what a
 * transition cannot avoid allocating. The clock is fixed, so neither side pays for
 * {@code Instant} creation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
public class PlainTransition {

    /** The state the task is in before the step. */
    @Param({"NEW", "ACCEPTED", "PREPARING", "READY", "STARTING"})
    public TaskState from;

    private Task task;
    private TaskState to;
    private String message;
    private Clock clock;

    @Setup
    public void setUp() {
        Fixtures.Transition transition = Fixtures.Transition.from(from);
        to = transition.to();
        message = transition.message();
        clock = Fixtures.CLOCK;
        task = Fixtures.task(from, TaskState.RUNNING);
    }

    @Benchmark
    public TaskStatus baselineStatusMessage() {
        Instant now = clock.instant();
        return task.getStatus().toBuilder()
                .setState(to)
                .setMessage(message)
                .clearErr()
                .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .build();
    }
}

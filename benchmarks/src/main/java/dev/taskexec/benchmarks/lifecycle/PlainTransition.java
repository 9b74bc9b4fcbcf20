package dev.taskexec.benchmarks.lifecycle;

import dev.taskexec.api.Controller;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import dev.taskexec.core.Lifecycle;
import dev.taskexec.core.Step;
import java.time.Clock;
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
 * {@code Lifecycle.step} on one plain transition of a task whose desired state is RUNNING:
 * NEW→ACCEPTED, ACCEPTED→PREPARING, PREPARING→READY ({@code prepare()}), READY→STARTING and
 * STARTING→RUNNING ({@code start()}), with a controller whose operations succeed at once.
 *
 * <p>The baseline builds with protobuf's builders exactly the status the transition must
 * return (new state and message, {@code err} cleared, stamped with the clock): what a
 * transition cannot avoid allocating. {@code @Setup} checks that the step returns that very
 * status.
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
    private Controller controller;
    private TaskState to;
    private String message;
    private Clock clock;

    @Setup
    public void setUp() {
        Fixtures.Transition transition = Fixtures.Transition.from(from);
        to = transition.to();
        message = transition.message();
        clock = Fixtures.CLOCK;
        controller = new InstantController();
        task = Fixtures.task(from, TaskState.RUNNING);

        Fixtures.requireProgressed(step(), baselineStatusMessage());
    }

    @Benchmark
    public Step step() {
        return Lifecycle.step(task, controller, clock);
    }

    @Benchmark
    public TaskStatus baselineStatusMessage() {
        return task.getStatus().toBuilder()
                .setState(to)
                .setMessage(message)
                .clearErr()
                .setTimestamp(Fixtures.now(clock))
                .build();
    }
}

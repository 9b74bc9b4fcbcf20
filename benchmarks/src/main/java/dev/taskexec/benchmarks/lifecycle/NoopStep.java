package dev.taskexec.benchmarks.lifecycle;

import dev.taskexec.api.Controller;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskState;
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
 * {@code Lifecycle.step} on the NOOP path: what a runner polling a settled task pays on every
 * poll. Target: no allocation at all.
 *
 * <ul>
 *   <li>{@code paused}: READY, desired READY (a "pause" state at its desired state);</li>
 *   <li>{@code beyondDesired}: RUNNING, desired READY (past the desired state, so it waits);</li>
 *   <li>{@code terminal}: COMPLETE, desired SHUTDOWN (ended: shutdown has nothing to do);</li>
 *   <li>{@code terminalWithContainer}: the same, with a {@code ContainerStatuser} controller
 *       reporting the container status the task already has (the step must compare it and
 *       still change nothing).</li>
 * </ul>
 *
 * <p>{@code @Setup} checks the outcome is NOOP and the status is the task's own instance.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
public class NoopStep {

    @Param({"paused", "beyondDesired", "terminal", "terminalWithContainer"})
    public String path;

    private Task task;
    private Controller controller;
    private Clock clock;

    @Setup
    public void setUp() {
        clock = Fixtures.CLOCK;
        controller = new InstantController();
        switch (path) {
            case "paused" -> task = Fixtures.task(TaskState.READY, TaskState.READY);
            case "beyondDesired" -> task = Fixtures.task(TaskState.RUNNING, TaskState.READY);
            case "terminal" -> task = Fixtures.task(TaskState.COMPLETE, TaskState.SHUTDOWN);
            case "terminalWithContainer" -> {
                task =
                        Fixtures.task(
                                TaskState.COMPLETE, TaskState.SHUTDOWN, Fixtures.EXITED_CONTAINER);
                controller = new ExitedController(Fixtures.EXITED_CONTAINER);
            }
            default -> throw new IllegalArgumentException("unknown NOOP path " + path);
        }
        Step step = step();
        Fixtures.require(step.outcome() == Step.Outcome.NOOP, "NOOP", step.outcome());
        Fixtures.require(
                step.status() == task.getStatus(), "the task's own status instance", step.status());
    }

    @Benchmark
    public Step step() {
        return Lifecycle.step(task, controller, clock);
    }
}

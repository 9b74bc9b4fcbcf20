package dev.taskexec.benchmarks.lifecycle;

import dev.taskexec.api.Executor;
import dev.taskexec.api.RuntimeUnsupportedException;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import dev.taskexec.core.Lifecycle;
import dev.taskexec.core.Resolution;
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
 * {@code Lifecycle.resolve} with an executor that hands out a controller made up front:
 *
 * <ul>
 *   <li>{@code newTask}: a NEW task becomes ACCEPTED ("accepted");</li>
 *   <li>{@code knownTask}: a RUNNING task keeps its status (what a worker pays when it
 *       re-resolves a task it already knows);</li>
 *   <li>{@code unsupported}: the executor throws {@code RuntimeUnsupportedException} (made
 *       once), and the NEW task becomes REJECTED ("resolving controller failed").</li>
 * </ul>
 *
 * <p>The baseline builds by hand the status each path must return (for {@code knownTask}, the
 * task's own); {@code @Setup} checks the two are equal.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
public class Resolve {

    private static final String UNSUPPORTED = "unsupported runtime: generic";

    @Param({"newTask", "knownTask", "unsupported"})
    public String path;

    private Task task;
    private Executor executor;
    private Clock clock;

    @Setup
    public void setUp() {
        clock = Fixtures.CLOCK;
        TaskState expected;
        switch (path) {
            case "newTask" -> {
                task = Fixtures.task(TaskState.NEW, TaskState.RUNNING);
                executor = FixedExecutor.returning(new InstantController());
                expected = TaskState.ACCEPTED;
            }
            case "knownTask" -> {
                task =
                        Fixtures.task(
                                TaskState.RUNNING, TaskState.RUNNING, Fixtures.RUNNING_CONTAINER);
                executor = FixedExecutor.returning(new InstantController());
                expected = TaskState.RUNNING;
            }
            case "unsupported" -> {
                task = Fixtures.task(TaskState.NEW, TaskState.RUNNING);
                executor = FixedExecutor.throwing(new RuntimeUnsupportedException(UNSUPPORTED));
                expected = TaskState.REJECTED;
            }
            default -> throw new IllegalArgumentException("unknown resolve path " + path);
        }
        Resolution resolution = resolve();
        Fixtures.require(
                resolution.status().getState() == expected,
                "state " + expected,
                resolution.status());
        Fixtures.require(
                resolution.status().equals(baselineStatusMessage()),
                "the status to equal the hand-built " + baselineStatusMessage(),
                resolution.status());
        Fixtures.require(
                !path.equals("knownTask") || resolution.status() == task.getStatus(),
                "the task's own status instance",
                resolution.status());
    }

    @Benchmark
    public Resolution resolve() {
        return Lifecycle.resolve(task, executor, clock);
    }

    @Benchmark
    public TaskStatus baselineStatusMessage() {
        return switch (path) {
            case "newTask" ->
                    task.getStatus().toBuilder()
                            .setState(TaskState.ACCEPTED)
                            .setMessage("accepted")
                            .clearErr()
                            .setTimestamp(Fixtures.now(clock))
                            .build();
            case "unsupported" ->
                    task.getStatus().toBuilder()
                            .setState(TaskState.REJECTED)
                            .setMessage("resolving controller failed")
                            .setErr(UNSUPPORTED)
                            .setTimestamp(Fixtures.now(clock))
                            .build();
            default -> task.getStatus();
        };
    }
}

package dev.taskexec.benchmarks.lifecycle;

import dev.taskexec.api.Controller;
import dev.taskexec.api.ExitException;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code Lifecycle.step} on a fatal failure with an exit code: a RUNNING task whose
 * {@code await()} throws {@code ExitException} with code 3 becomes FAILED, with {@code err}
 * "exit code 3" and the exit code written into the container status it already had.
 *
 * <p>The exception is made once in {@code @Setup}, so the figure excludes
 * {@code fillInStackTrace}, which a real backend pays when its target exits (a few
 * microseconds). The baseline builds the resulting status by hand; {@code @Setup} checks the
 * two are equal.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
public class FatalExit {

    private static final int EXIT_CODE = 3;

    private Task task;
    private Controller controller;
    private Clock clock;

    @Setup
    public void setUp() {
        clock = Fixtures.CLOCK;
        controller = new FailingController(new ExitException(EXIT_CODE, null));
        task = Fixtures.task(TaskState.RUNNING, TaskState.RUNNING, Fixtures.RUNNING_CONTAINER);

        Fixtures.requireProgressed(step(), baselineStatusMessage());
    }

    @Benchmark
    public Step step() {
        return Lifecycle.step(task, controller, clock);
    }

    @Benchmark
    public TaskStatus baselineStatusMessage() {
        return task.getStatus().toBuilder()
                .setState(TaskState.FAILED)
                .setErr("exit code " + EXIT_CODE)
                .setTimestamp(Fixtures.now(clock))
                .setContainer(task.getStatus().getContainer().toBuilder().setExitCode(EXIT_CODE))
                .build();
    }
}

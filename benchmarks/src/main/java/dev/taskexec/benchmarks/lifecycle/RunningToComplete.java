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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code Lifecycle.step} from RUNNING to COMPLETE: {@code await()} returns at once and the
 * controller, a {@code ContainerStatuser}, reports the exited container, which replaces the
 * running one in the status.
 *
 * <p>The baseline builds the status this step must return by hand; {@code @Setup} checks the
 * two are equal.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
public class RunningToComplete {

    private Task task;
    private Controller controller;
    private Clock clock;

    @Setup
    public void setUp() {
        clock = Fixtures.CLOCK;
        controller = new ExitedController(Fixtures.EXITED_CONTAINER);
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
                .setState(TaskState.COMPLETE)
                .setMessage("finished")
                .clearErr()
                .setTimestamp(Fixtures.now(clock))
                .setContainer(Fixtures.EXITED_CONTAINER)
                .build();
    }
}

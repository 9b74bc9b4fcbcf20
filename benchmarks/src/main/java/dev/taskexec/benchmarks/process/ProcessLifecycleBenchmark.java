package dev.taskexec.benchmarks.process;

import dev.taskexec.api.Controller;
import dev.taskexec.api.Executor;
import dev.taskexec.api.ExecutorProvider;
import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskSpec;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import dev.taskexec.core.Lifecycle;
import dev.taskexec.core.Resolution;
import dev.taskexec.core.Step;
import dev.taskexec.executor.process.ProcessExecutorProvider;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole life of {@code true} as a task of the process backend, against starting {@code true}
 * with a bare {@link ProcessBuilder} and waiting for it.
 *
 * <ul>
 *   <li>{@link #baselineProcessBuilder}: {@code new ProcessBuilder("true").start().waitFor()},
 *       closing the three pipes, as a careful caller would.</li>
 *   <li>{@link #controller}: what the backend does for one task: {@code controller},
 *       {@code prepare} (resolve the executable and directory), {@code start} (spawn in a new
 *       process group, start the output readers), {@code await} (exit and both streams at their
 *       end), {@code remove}, {@code close}.</li>
 *   <li>{@link #lifecycle}: the same driven as an agent does, through {@link Lifecycle#resolve}
 *       and {@link Lifecycle#step} from ASSIGNED to COMPLETE (seven steps), then remove and
 *       close.</li>
 * </ul>
 * The process backend's target is at most 1.2× the baseline.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ProcessLifecycleBenchmark {

    private Executor executor;
    private Task task;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ExecutorProvider provider = new ProcessExecutorProvider();
        executor = provider.create(Map.of());
        task =
                Task.newBuilder()
                        .setId("bench-true")
                        .setServiceId("bench")
                        .setNodeId("node")
                        .setDesiredState(TaskState.RUNNING)
                        .setStatus(TaskStatus.newBuilder().setState(TaskState.ASSIGNED))
                        .setSpec(
                                TaskSpec.newBuilder()
                                        .setContainer(
                                                ContainerSpec.newBuilder().addCommand("true")))
                        .build();
        // check that both measured paths really run true to a clean exit
        TaskStatus done = lifecycle();
        if (done.getState() != TaskState.COMPLETE || done.getContainer().getPid() <= 0) {
            throw new IllegalStateException(
                    "true did not complete through the process backend: " + done);
        }
        controller();
        if (baselineProcessBuilder() != 0) {
            throw new IllegalStateException("true exited non-zero through ProcessBuilder");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        executor.close();
    }

    @Benchmark
    public int baselineProcessBuilder() throws Exception {
        Process p = new ProcessBuilder("true").start();
        int code = p.waitFor();
        p.getOutputStream().close();
        p.getInputStream().close();
        p.getErrorStream().close();
        return code;
    }

    @Benchmark
    public Controller controller() throws Exception {
        Controller c = executor.controller(task);
        try {
            c.prepare();
            c.start();
            c.await();
            c.remove();
        } finally {
            c.close();
        }
        return c;
    }

    @Benchmark
    public TaskStatus lifecycle() throws Exception {
        Resolution r = Lifecycle.resolve(task, executor);
        Controller c = r.controller();
        try {
            Task t = task.toBuilder().setStatus(r.status()).build();
            for (int i = 0; t.getStatus().getState().getNumber() < TaskState.COMPLETE_VALUE; i++) {
                Step step = Lifecycle.step(t, c);
                if (step.outcome() != Step.Outcome.PROGRESSED || i > 10) {
                    throw new IllegalStateException("the task did not progress: " + step);
                }
                t = t.toBuilder().setStatus(step.status()).build();
            }
            c.remove();
            return t.getStatus();
        } finally {
            c.close();
        }
    }
}

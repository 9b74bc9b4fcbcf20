package dev.taskexec.benchmarks.worker;

import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.core.Worker;
import dev.taskexec.executor.fake.FakeExecutor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How fast a {@link Worker} takes a batch of tasks from assignment to COMPLETE on the fake
 * backend, with every task of the batch in flight at once.
 *
 * <p>One invocation assigns {@code tasks} tasks (each a fake workload that exits 0 at once) to a
 * fresh worker and ends when a listener has seen every one COMPLETE. The score is milliseconds per
 * batch; tasks per second is {@code tasks × 1000 / score}. {@link WorkerFigures} prints that
 * directly, together with heap per waiting task.
 *
 * <pre>
 * bin/with-jdk java -jar benchmarks/target/benchmarks.jar WorkerThroughputBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10)
@Measurement(iterations = 5)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms4g", "-Xmx8g"})
public class WorkerThroughputBenchmark {

    @Param({"1000", "10000", "100000"})
    public int tasks;

    private final AtomicLong round = new AtomicLong();
    private FakeExecutor executor;
    private Worker worker;
    private List<Task> batch;
    private CountDownLatch complete;

    @Setup(Level.Invocation)
    public void setUp() {
        executor = FakeTasks.fakeExecutor();
        worker = Worker.create(executor);
        batch = FakeTasks.batch("r" + round.incrementAndGet(), tasks);
        CountDownLatch latch = new CountDownLatch(tasks);
        complete = latch;
        worker.listen(
                (id, status) -> {
                    if (status.getState() == TaskState.COMPLETE) {
                        latch.countDown();
                    }
                });
    }

    @Benchmark
    public void newToComplete() throws InterruptedException {
        worker.assign(batch);
        if (!complete.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException(
                    complete.getCount() + " of " + tasks + " tasks did not complete");
        }
    }

    /** Unassigns the batch and checks that every fake controller was removed and closed. */
    @TearDown(Level.Invocation)
    public void tearDown() throws InterruptedException {
        try {
            worker.assign(List.of());
            if (!worker.awaitCleanup(Duration.ofMinutes(5))) {
                throw new IllegalStateException("clean-up did not finish");
            }
            executor.assertNoLeaks();
        } finally {
            worker.close();
            executor.close();
        }
    }
}

package dev.taskexec.benchmarks.worker;

import dev.taskexec.api.Controller;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import dev.taskexec.core.Worker;
import dev.taskexec.executor.fake.FakeExecutor;
import dev.taskexec.store.sqlite.Durability;
import dev.taskexec.store.sqlite.SqliteTaskStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * How long a durable worker takes to come back: opening the SQLite store of {@code tasks} running
 * tasks and {@link Worker#open opening a worker} on it, which reads every record, re-resolves every
 * task on the fake backend and starts its runner (each then awaits its still-running fake
 * container). Ends when the worker lists every task as RUNNING.
 *
 * <p>The tasks run in fake containers that a first executor started; every invocation opens a
 * worker on a fresh {@link FakeExecutor#successor() successor}, as a restarted agent would.
 *
 * <pre>
 * benchmarks/run.sh full RecoveryBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 3)
@Measurement(iterations = 5)
public class RecoveryBenchmark {

    @Param({"10000"})
    public int tasks;

    private Path dir;
    private FakeExecutor first;
    private SqliteTaskStore store;
    private Worker worker;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("taskexec-bench-recovery");
        first = FakeExecutor.builder().history(false).build();
        try (SqliteTaskStore setup = SqliteTaskStore.open(dir, Durability.SYNC_AT_CHECKPOINTS)) {
            for (int i = 0; i < tasks; i++) {
                Task running =
                        FakeTasks.batch("rec" + i, 1, "after=never").get(0).toBuilder()
                                .setStatus(
                                        TaskStatus.newBuilder()
                                                .setState(TaskState.RUNNING)
                                                .setMessage("started"))
                                .build();
                Controller c = first.controller(running);
                c.prepare();
                c.start();
                c.close();
                setup.put(running);
            }
        }
    }

    @Benchmark
    public int openAndResume() {
        store = SqliteTaskStore.open(dir);
        worker = Worker.open(first.successor(), store);
        int running = 0;
        for (TaskStatus status : worker.statuses().values()) {
            if (status.getState() == TaskState.RUNNING) {
                running++;
            }
        }
        if (running != tasks) {
            throw new IllegalStateException(running + " of " + tasks + " tasks resumed as RUNNING");
        }
        return running;
    }

    @TearDown(Level.Invocation)
    public void closeWorker() {
        if (worker != null) {
            worker.close();
            worker = null;
        }
        if (store != null) {
            store.close();
            store = null;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(files::add);
        }
        for (Path p : files) {
            Files.deleteIfExists(p);
        }
    }
}

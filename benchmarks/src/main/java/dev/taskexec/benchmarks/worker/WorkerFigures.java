package dev.taskexec.benchmarks.worker;

import dev.taskexec.api.Executor;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.core.Worker;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The worker's figures in one run, on the fake backend: tasks per second from assignment to
 * COMPLETE at several batch sizes (every task of a batch in flight at once), and heap per task
 * waiting in RUNNING (blocked in {@code await}).
 *
 * <p>A plain main rather than JMH because both figures are single large events (100,000 tasks, or
 * a heap delta after a full collection) that JMH's repeated invocations add nothing to but time;
 * {@link WorkerThroughputBenchmark} measures the same throughput under JMH.
 *
 * <pre>
 * bin/with-jdk java -Xms4g -Xmx8g -cp benchmarks/target/benchmarks.jar \
 *     dev.taskexec.benchmarks.worker.WorkerFigures [SIZES] [WAITING]
 * </pre>
 * SIZES defaults to {@code 1000,10000,100000}, WAITING (tasks held in RUNNING for the heap figure)
 * to {@code 100000}.
 */
public final class WorkerFigures {

    private WorkerFigures() {}

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (String size : (args.length > 0 ? args[0] : "1000,10000,100000").split(",")) {
            sizes.add(Integer.parseInt(size.trim()));
        }
        int waiting = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;

        System.out.printf("warm-up: %,.0f tasks/s at 1,000%n", throughput("warm", 1_000));
        for (int size : sizes) {
            System.out.printf(Locale.ROOT, "throughput: %,d concurrent tasks NEW->COMPLETE: %,.0f tasks/s%n",
                    size, throughput("t" + size, size));
        }
        System.out.printf(Locale.ROOT, "heap: %,.0f bytes per task waiting in RUNNING (%,d tasks)%n",
                heapPerWaitingTask(waiting), waiting);
    }

    /** Assigns {@code count} tasks that exit 0 at once; returns tasks per second until all COMPLETE. */
    static double throughput(String prefix, int count) throws Exception {
        List<Task> batch = FakeTasks.batch(prefix, count);
        try (Executor executor = FakeTasks.fakeExecutor(); Worker worker = Worker.create(executor)) {
            CountDownLatch complete = new CountDownLatch(count);
            worker.listen((id, status) -> {
                if (status.getState() == TaskState.COMPLETE) {
                    complete.countDown();
                }
            });
            long start = System.nanoTime();
            worker.assign(batch);
            if (!complete.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException(complete.getCount() + " tasks did not complete");
            }
            long elapsed = System.nanoTime() - start;
            return count / (elapsed / 1e9);
        }
    }

    /**
     * Heap retained per task held in RUNNING: the worker's bookkeeping, the runner and its parked
     * virtual thread, the task messages (each decoded separately, as from the wire) and the fake
     * controller, measured as the difference in used heap after full collections.
     */
    static double heapPerWaitingTask(int count) throws Exception {
        Task template = FakeTasks.batch("w", 1, "after=never").get(0);
        try (Executor executor = FakeTasks.fakeExecutor(); Worker worker = Worker.create(executor)) {
            CountDownLatch running = new CountDownLatch(count);
            worker.listen((id, status) -> {
                if (status.getState() == TaskState.RUNNING) {
                    running.countDown();
                }
            });
            long before = usedAfterGc();
            List<Task> batch = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                batch.add(Task.parseFrom(template.toByteString()).toBuilder().setId("w-" + i).build());
            }
            worker.assign(batch);
            batch = null; // the worker keeps what it needs
            if (!running.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException(running.getCount() + " tasks did not reach RUNNING");
            }
            long after = usedAfterGc();
            if (worker.statuses().size() != count) {
                throw new IllegalStateException("the worker lost tasks");
            }
            return (after - before) / (double) count;
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(200); // lets concurrent collection and reference processing settle
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}

package dev.taskexec.benchmarks.worker;

import dev.taskexec.api.Controller;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.core.Worker;
import dev.taskexec.executor.fake.FakeExecutor;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The worker's figures in one run, on the fake backend: tasks per second from assignment to
 * COMPLETE at several batch sizes (every task of a batch in flight at once), and heap per waiting
 * task.
 *
 * <p>Heap is measured three ways, each as the growth of used heap after full collections, divided
 * by the number of tasks:
 * <ul>
 *   <li><b>RUNNING</b>: tasks whose workload never exits, so each runner's virtual thread is
 *       parked inside the controller's {@code await};</li>
 *   <li><b>idle</b>: tasks with desired state READY, prepared and then parked in the runner
 *       waiting for an update;</li>
 *   <li><b>baseline</b>: the same never-exiting fake workloads driven without taskexec's loop, by
 *       a bare virtual thread per task calling prepare, start and await, to show what the fake
 *       controller and a parked thread cost by themselves.</li>
 * </ul>
 * Each figure counts everything the task holds: the task messages (each decoded separately, as
 * from the wire), the worker's bookkeeping, the runner, its thread's stack, and the fake
 * controller (made with call history off).
 *
 * <p>A plain main rather than JMH because both figures are single large events (100,000 tasks, or
 * a heap delta after a full collection) that JMH's repeated invocations add nothing to but time;
 * {@link WorkerThroughputBenchmark} measures the same throughput under JMH.
 *
 * <pre>
 * bin/with-jdk ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * bin/with-jdk java -Xms4g -Xmx8g -cp benchmarks/target/benchmarks.jar \
 *     dev.taskexec.benchmarks.worker.WorkerFigures [SIZES] [WAITING]
 * </pre>
 * SIZES defaults to {@code 1000,10000,100000}, WAITING (tasks held for the heap figures) to
 * {@code 100000}.
 */
public final class WorkerFigures {

    private static final int WARM_UP_ROUNDS = 5;
    private static final int RUNS = 3;

    private WorkerFigures() {}

    public static void main(String[] args) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (String size : (args.length > 0 ? args[0] : "1000,10000,100000").split(",")) {
            sizes.add(Integer.parseInt(size.trim()));
        }
        int waiting = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;

        // The JIT needs a few hundred thousand steps before the figures settle (the first 10,000
        // tasks run at a third of the speed of the fifth).
        for (int round = 1; round <= WARM_UP_ROUNDS; round++) {
            System.out.printf(
                    Locale.ROOT,
                    "warm-up %d: %,.0f tasks/s at 10,000%n",
                    round,
                    throughput("warm" + round, 10_000));
        }
        for (int size : sizes) {
            double[] runs = new double[RUNS];
            for (int run = 0; run < RUNS; run++) {
                runs[run] = throughput("t" + size + "-" + run, size);
            }
            Arrays.sort(runs);
            System.out.printf(
                    Locale.ROOT,
                    "throughput: %,d concurrent tasks NEW->COMPLETE: %,.0f tasks/s (median of %d; min %,.0f, max %,.0f)%n",
                    size,
                    runs[RUNS / 2],
                    RUNS,
                    runs[0],
                    runs[RUNS - 1]);
        }
        System.out.printf(
                Locale.ROOT,
                "heap: %,.0f bytes per task waiting in RUNNING (%,d tasks)%n",
                heapPerWaitingTask(waiting, TaskState.RUNNING),
                waiting);
        System.out.printf(
                Locale.ROOT,
                "heap: %,.0f bytes per task idle at READY (%,d tasks)%n",
                heapPerWaitingTask(waiting, TaskState.READY),
                waiting);
        System.out.printf(
                Locale.ROOT,
                "heap: %,.0f bytes per task, baseline: fake controller + bare virtual thread in await (%,d tasks)%n",
                baselineHeapPerTask(waiting),
                waiting);
    }

    /**
     * Assigns {@code count} tasks that exit 0 at once; returns tasks per second until all are
     * COMPLETE. Then unassigns them and checks that the fake has nothing left.
     */
    static double throughput(String prefix, int count) throws Exception {
        List<Task> batch = FakeTasks.batch(prefix, count);
        FakeExecutor executor = FakeTasks.fakeExecutor();
        try (Worker worker = Worker.create(executor)) {
            CountDownLatch complete = new CountDownLatch(count);
            worker.listen(
                    (id, status) -> {
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
            worker.assign(List.of());
            if (!worker.awaitCleanup(Duration.ofMinutes(5))) {
                throw new IllegalStateException("clean-up did not finish");
            }
            executor.assertNoLeaks();
            return count / (elapsed / 1e9);
        }
    }

    /** Heap retained per task held at {@code desired} (RUNNING: blocked in await; READY: idle). */
    static double heapPerWaitingTask(int count, TaskState desired) throws Exception {
        String[] script =
                desired == TaskState.RUNNING ? new String[] {"after=never"} : new String[0];
        byte[] template =
                FakeTasks.batch("w", 1, script).get(0).toBuilder()
                        .setDesiredState(desired)
                        .build()
                        .toByteArray();
        FakeExecutor executor = FakeTasks.fakeExecutor();
        try (Worker worker = Worker.create(executor)) {
            CountDownLatch reached = new CountDownLatch(count);
            worker.listen(
                    (id, status) -> {
                        if (status.getState() == desired) {
                            reached.countDown();
                        }
                    });
            long before = usedAfterGc();
            List<Task> batch = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                batch.add(Task.parseFrom(template).toBuilder().setId("w-" + i).build());
            }
            worker.assign(batch);
            batch = null; // the worker keeps what it needs
            if (!reached.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException(
                        reached.getCount() + " tasks did not reach " + desired);
            }
            long after = usedAfterGc();
            if (worker.statuses().size() != count) {
                throw new IllegalStateException("the worker lost tasks");
            }
            return (after - before) / (double) count;
        }
    }

    /** Heap per never-exiting fake workload driven by a bare virtual thread, without taskexec. */
    static double baselineHeapPerTask(int count) throws Exception {
        byte[] template = FakeTasks.batch("b", 1, "after=never").get(0).toByteArray();
        FakeExecutor executor = FakeTasks.fakeExecutor();
        CountDownLatch started = new CountDownLatch(count);
        List<Thread> threads = new ArrayList<>(count);
        List<Controller> controllers = new ArrayList<>(count);
        long before = usedAfterGc();
        for (int i = 0; i < count; i++) {
            Controller controller =
                    executor.controller(
                            Task.parseFrom(template).toBuilder().setId("b-" + i).build());
            controllers.add(controller);
            threads.add(
                    Thread.ofVirtual()
                            .start(
                                    () -> {
                                        try {
                                            controller.prepare();
                                            controller.start();
                                            started.countDown();
                                            controller.await();
                                        } catch (InterruptedException e) {
                                            // stopped below
                                        } catch (Exception e) {
                                            throw new IllegalStateException(e);
                                        }
                                    }));
        }
        if (!started.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException(started.getCount() + " baseline tasks did not start");
        }
        long after = usedAfterGc();
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            t.join();
        }
        for (Controller controller : controllers) {
            controller.remove();
            controller.close();
        }
        executor.assertNoLeaks();
        return (after - before) / (double) count;
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

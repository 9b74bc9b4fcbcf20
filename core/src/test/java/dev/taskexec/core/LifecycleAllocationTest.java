package dev.taskexec.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.Timestamp;
import dev.taskexec.api.Controller;
import dev.taskexec.api.proto.ContainerStatus;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The contract that a NOOP step whose status does not change allocates nothing when the
 * controller reports no container or port status. Measured with the JVM's per-thread allocation
 * counter, which counts every byte the thread allocates; the JMH benchmarks measure the same
 * with {@code -prof gc}.
 */
class LifecycleAllocationTest {

    private static final int WARM_UP = 50_000;
    private static final int MEASURED = 10_000;

    @Test
    void anUnchangedNoopWithAStatusReportingControllerAllocatesNothing() {
        var controller =
                new ScriptedController.WithAllStatus(); // reports Optional.empty() for both
        TaskStatus complete =
                TaskStatus.newBuilder()
                        .setState(TaskState.COMPLETE)
                        .setMessage("finished")
                        .setContainer(
                                ContainerStatus.newBuilder().setContainerId("c1").setExitCode(0))
                        .setTimestamp(Timestamp.newBuilder().setSeconds(1_700_000_000))
                        .build();
        Task task =
                Task.newBuilder()
                        .setId("t")
                        .setStatus(complete)
                        .setDesiredState(TaskState.SHUTDOWN)
                        .build();
        assertEquals(0, allocatedBytesPerRun(task, controller));
    }

    @Test
    void anUnchangedNoopBeyondTheDesiredStateAllocatesNothing() {
        TaskStatus running =
                TaskStatus.newBuilder().setState(TaskState.RUNNING).setMessage("started").build();
        Task task =
                Task.newBuilder()
                        .setId("t")
                        .setStatus(running)
                        .setDesiredState(TaskState.READY)
                        .build();
        assertEquals(0, allocatedBytesPerRun(task, new ScriptedController()));
    }

    /**
     * Runs the step until the JIT has settled, then returns the bytes allocated by the best of a
     * few measured runs (the first runs may still see compilation-time effects such as the
     * allocation counter's own lazy initialisation).
     */
    private static long allocatedBytesPerRun(Task task, Controller controller) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(
                threads.isThreadAllocatedMemorySupported(),
                "this JVM cannot count allocated bytes");
        threads.setThreadAllocatedMemoryEnabled(true);
        TaskStatus expected = task.getStatus();
        int wrong = 0;
        for (int i = 0; i < WARM_UP; i++) {
            wrong += check(task, controller, expected);
        }
        long best = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 5 && best > 0; attempt++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < MEASURED; i++) {
                wrong += check(task, controller, expected);
            }
            long after = threads.getCurrentThreadAllocatedBytes();
            best = Math.min(best, after - before);
        }
        assertEquals(0, wrong, "a NOOP step must return the task's own status");
        return best;
    }

    private static int check(Task task, Controller controller, TaskStatus expected) {
        Step step = Lifecycle.step(task, controller);
        return step.status() == expected && step.outcome() == Step.Outcome.NOOP ? 0 : 1;
    }
}

package dev.taskexec.benchmarks.worker;

import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskSpec;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import dev.taskexec.executor.fake.FakeExecutor;
import java.util.ArrayList;
import java.util.List;

/**
 * Tasks and executors for the worker measurements: the fake backend, and batches of tasks whose
 * fake workload is written as container command words.
 */
final class FakeTasks {

    private FakeTasks() {}

    /**
     * A fresh fake executor with no latency and no call history: with history, the fake keeps a
     * record of every call and every closed controller, which would be counted as the worker's
     * heap and grow with every batch.
     */
    static FakeExecutor fakeExecutor() {
        return FakeExecutor.builder().history(false).build();
    }

    /**
     * {@code count} ASSIGNED tasks with desired state RUNNING whose workload is the given fake
     * script words, with ids {@code prefix-0 …}.
     */
    static List<Task> batch(String prefix, int count, String... scriptWords) {
        ContainerSpec.Builder container =
                ContainerSpec.newBuilder().setImage("fake").addCommand("fake");
        for (String word : scriptWords) {
            container.addArgs(word);
        }
        TaskSpec spec = TaskSpec.newBuilder().setContainer(container).build();
        List<Task> tasks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            tasks.add(
                    Task.newBuilder()
                            .setId(prefix + "-" + i)
                            .setServiceId("bench")
                            .setSpec(spec)
                            .setDesiredState(TaskState.RUNNING)
                            .setStatus(TaskStatus.newBuilder().setState(TaskState.ASSIGNED))
                            .build());
        }
        return tasks;
    }
}

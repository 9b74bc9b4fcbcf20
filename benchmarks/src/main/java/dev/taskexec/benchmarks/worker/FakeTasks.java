package dev.taskexec.benchmarks.worker;

import dev.taskexec.api.Executor;
import dev.taskexec.api.ExecutorProvider;
import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskSpec;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Tasks and executors for the worker measurements: the fake backend found through
 * {@link ServiceLoader} by its name, as an integrator would, and batches of tasks whose fake
 * workload is written as container command words.
 */
final class FakeTasks {

    private FakeTasks() {}

    /** A fresh fake executor with its default options (no latency). */
    static Executor fakeExecutor() throws Exception {
        for (ExecutorProvider provider : ServiceLoader.load(ExecutorProvider.class)) {
            if (provider.name().equals("fake")) {
                return provider.create(Map.of());
            }
        }
        throw new IllegalStateException("no executor named fake on the class path");
    }

    /**
     * {@code count} ASSIGNED tasks with desired state RUNNING whose workload is the given fake
     * script words, with ids {@code prefix-0 …}.
     */
    static List<Task> batch(String prefix, int count, String... scriptWords) {
        ContainerSpec.Builder container = ContainerSpec.newBuilder().setImage("fake").addCommand("fake");
        for (String word : scriptWords) {
            container.addArgs(word);
        }
        TaskSpec spec = TaskSpec.newBuilder().setContainer(container).build();
        List<Task> tasks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            tasks.add(Task.newBuilder()
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

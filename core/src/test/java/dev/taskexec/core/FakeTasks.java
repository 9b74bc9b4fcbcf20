package dev.taskexec.core;

import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskSpec;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;

/** Tasks for the fake backend, their workload written as fake script words in the command. */
final class FakeTasks {

    private FakeTasks() {}

    /** An ASSIGNED task of service {@code svc} with the given desired state and script words. */
    static Task task(String id, TaskState desired, String... words) {
        ContainerSpec.Builder container =
                ContainerSpec.newBuilder().setImage("fake").addCommand("fake");
        for (String word : words) {
            container.addArgs(word);
        }
        return Task.newBuilder()
                .setId(id)
                .setServiceId("svc")
                .setNodeId("node-1")
                .setSpec(TaskSpec.newBuilder().setContainer(container))
                .setDesiredState(desired)
                .setStatus(TaskStatus.newBuilder().setState(TaskState.ASSIGNED))
                .build();
    }

    /** The same task with another desired state. */
    static Task desired(Task task, TaskState desired) {
        return task.toBuilder().setDesiredState(desired).build();
    }
}

package dev.taskexec.executor.process;

import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskSpec;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/** Builds tasks for tests. */
final class Tasks {

    private Tasks() {}

    /** A container task running {@code argv} directly. */
    static Task task(String... argv) {
        return task(c -> c, argv);
    }

    /** A container task running {@code argv}, its spec adjusted by {@code edit}. */
    static Task task(UnaryOperator<ContainerSpec.Builder> edit, String... argv) {
        ContainerSpec.Builder c =
                ContainerSpec.newBuilder().setImage("ignored").addAllCommand(List.of(argv));
        return Task.newBuilder()
                .setId("t-" + UUID.randomUUID())
                .setServiceId("svc-1")
                .setNodeId("node-1")
                .setSpec(TaskSpec.newBuilder().setContainer(edit.apply(c)))
                .build();
    }

    /** {@code sh -c script}. */
    static Task sh(String script) {
        return task("sh", "-c", script);
    }

    /** {@code sh -c script}, its spec adjusted by {@code edit}. */
    static Task sh(UnaryOperator<ContainerSpec.Builder> edit, String script) {
        return task(edit, "sh", "-c", script);
    }
}

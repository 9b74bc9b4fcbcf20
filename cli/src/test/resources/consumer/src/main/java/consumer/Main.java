package consumer;

import dev.taskexec.api.Executor;
import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskSpec;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import dev.taskexec.core.ExecutorRegistry;
import dev.taskexec.core.Worker;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs `sh -c 'exit 3'` on the process backend through a Worker and prints where everything came from. */
public final class Main {

    public static void main(String[] args) throws Exception {
        ExecutorRegistry registry = ExecutorRegistry.load();
        System.out.println("core: " + where(ExecutorRegistry.class));
        System.out.println("backends: " + registry.names());
        System.out.println("process: " + where(registry.find("process").orElseThrow().provider().getClass()));
        System.out.println("tiny: " + where(registry.find("tiny").orElseThrow().provider().getClass()));
        Task task = Task.newBuilder()
                .setId("consumer-1").setServiceId("consumer").setNodeId("node")
                .setSpec(TaskSpec.newBuilder().setContainer(ContainerSpec.newBuilder()
                        .setImage("none").addAllCommand(List.of("sh", "-c", "exit 3"))))
                .setDesiredState(TaskState.RUNNING)
                .setStatus(TaskStatus.newBuilder().setState(TaskState.ASSIGNED))
                .build();
        CompletableFuture<TaskStatus> end = new CompletableFuture<>();
        try (Executor executor = registry.open("process"); Worker worker = Worker.create(executor)) {
            worker.listen((id, status) -> {
                if (status.getStateValue() >= TaskState.COMPLETE_VALUE) {
                    end.complete(status);
                }
            });
            worker.assign(List.of(task));
            TaskStatus status = end.get(60, TimeUnit.SECONDS);
            System.out.println("task: " + status.getState() + " exit " + status.getContainer().getExitCode());
            worker.assign(List.of());
        }
    }

    private static String where(Class<?> type) {
        Module module = type.getModule();
        return module.isNamed() ? "module " + module.getName() : "class path";
    }
}

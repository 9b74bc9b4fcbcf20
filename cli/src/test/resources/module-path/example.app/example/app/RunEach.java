package example.app;

import dev.taskexec.api.Controller;
import dev.taskexec.api.Executor;
import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskSpec;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import dev.taskexec.core.ExecutorRegistry;
import dev.taskexec.core.Lifecycle;
import dev.taskexec.core.Resolution;
import dev.taskexec.core.TaskRunner;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Finds, opens and runs one task on each backend named in the arguments; prints one line per
 * backend: its name, the module its provider came from, the task's final state and exit code.
 * Each task asks to exit with code 3, so a line saying exit=3 proves the task really ran.
 */
public final class RunEach {

    public static void main(String[] args) throws Exception {
        System.out.println("core module=" + ExecutorRegistry.class.getModule().getName());
        ExecutorRegistry registry = ExecutorRegistry.load();
        System.out.println("found " + registry.names());
        for (String name : args) {
            ExecutorRegistry.Entry entry = registry.find(name)
                    .orElseThrow(() -> new IllegalStateException("no backend " + name + " in " + registry.names()));
            try (Executor executor = registry.open(name)) {
                TaskStatus end = run(executor, task(name));
                System.out.println(name + " module=" + entry.provider().getClass().getModule().getName()
                        + " state=" + end.getState() + " exit=" + end.getContainer().getExitCode());
            }
        }
    }

    private static Task task(String backend) {
        List<String> command = switch (backend) {
            case "fake" -> List.of("fake", "exit=3");
            case "echo" -> List.of("3");
            default -> List.of("sh", "-c", "exit 3");
        };
        String image = backend.equals("docker") ? System.getProperty("image", "taskexec-test:latest") : backend;
        return Task.newBuilder()
                .setId("module-path-" + backend)
                .setServiceId("module-path")
                .setNodeId("node")
                .setSpec(TaskSpec.newBuilder().setContainer(
                        ContainerSpec.newBuilder().setImage(image).addAllCommand(command)))
                .setDesiredState(TaskState.RUNNING)
                .setStatus(TaskStatus.newBuilder().setState(TaskState.ASSIGNED))
                .build();
    }

    private static TaskStatus run(Executor executor, Task task) throws Exception {
        Resolution resolution = Lifecycle.resolve(task, executor);
        if (!resolution.resolved()) {
            return resolution.status();
        }
        Controller controller = resolution.controller();
        CompletableFuture<TaskStatus> end = new CompletableFuture<>();
        try (TaskRunner runner = TaskRunner.start(task.toBuilder().setStatus(resolution.status()).build(), controller,
                (id, status) -> {
                    if (status.getStateValue() >= TaskState.COMPLETE_VALUE) {
                        end.complete(status);
                    }
                })) {
            return end.get(60, TimeUnit.SECONDS);
        } finally {
            controller.remove();
            controller.close();
        }
    }
}

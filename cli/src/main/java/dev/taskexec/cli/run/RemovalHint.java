package dev.taskexec.cli.run;

import dev.taskexec.api.proto.ContainerStatus;
import java.util.Map;
import java.util.function.Function;

/**
 * How an operator removes by hand what a task left behind when {@code run} could not, as a command
 * to paste. Only the built-in backends are known; for another, the task id is what to look for.
 *
 * <p>Docker containers are found by the task-id label every container of taskexec carries (the
 * container id is used when the task got far enough to report one); a process task by its process
 * group, which the process backend makes its task's leader lead.
 */
final class RemovalHint {

    private RemovalHint() {}

    /** The label the docker backend puts on every container with the task's id. */
    static final String TASK_ID_LABEL = "dev.taskexec.task.id";

    /**
     * @param executor the backend's name
     * @param options its {@code -o} options (the docker backend's {@code host} is used)
     * @param taskId the task's id
     * @return given what is known of the task's container or process, the command
     */
    static Function<ContainerStatus, String> of(
            String executor, Map<String, String> options, String taskId) {
        return switch (executor) {
            case "docker" ->
                    container -> {
                        String docker =
                                options.containsKey("host")
                                        ? "docker -H " + options.get("host")
                                        : "docker";
                        return container.getContainerId().isEmpty()
                                ? docker
                                        + " rm -f -v $("
                                        + docker
                                        + " ps -aq --filter label="
                                        + TASK_ID_LABEL
                                        + "="
                                        + taskId
                                        + ")"
                                : docker + " rm -f -v " + container.getContainerId();
                    };
            case "process" ->
                    container ->
                            container.getPid() > 0
                                    ? "kill -KILL -- -"
                                            + container.getPid()
                                            + " (the task's process group)"
                                    : "kill the processes whose environment holds TASKEXEC_TASK_ID="
                                            + taskId;
            default ->
                    container ->
                            "the " + executor + " backend's own tools; the task's id is " + taskId;
        };
    }
}

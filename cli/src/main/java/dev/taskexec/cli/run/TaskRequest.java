package dev.taskexec.cli.run;

import com.google.protobuf.Duration;
import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskSpec;
import dev.taskexec.api.proto.TaskState;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code taskexec run} was asked to run, before it becomes a {@link Task}.
 *
 * <p>The task comes either from a command line ({@code -- COMMAND ARG...}: a container spec whose
 * {@code command} is the first word and {@code args} the rest, so no image entrypoint is involved)
 * or from a task file. The other options then apply on top of either: {@code --image} sets the
 * image, {@code --tty} turns the terminal on, each {@code --env K=V} replaces any entry for
 * {@code K} and is appended, {@code --grace} sets the stop grace period.
 *
 * <p>Decisions about task files, so a file can be reused across runs: the id is kept when the file
 * has one, else a new one is made; the desired state is RUNNING unless the file asks for RUNNING or
 * later (SHUTDOWN, say); the status is cleared, since {@code run} always starts a task afresh.
 *
 * @param taskFile the task file, or null
 * @param command the command and its arguments, or empty
 * @param image the image, or null to leave it as it is
 * @param tty whether to attach a terminal (false leaves the file's setting)
 * @param env {@code K=V} entries to set
 * @param grace the stop grace period, or null to leave it as it is
 */
public record TaskRequest(
        Path taskFile,
        List<String> command,
        String image,
        boolean tty,
        List<String> env,
        java.time.Duration grace) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ID_CHARS = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    /** @throws NullPointerException if {@code command} or {@code env} is null */
    public TaskRequest {
        command = List.copyOf(Objects.requireNonNull(command, "command"));
        env = List.copyOf(Objects.requireNonNull(env, "env"));
    }

    /**
     * Builds the task to run.
     *
     * @return a task with an id, a spec, the desired state, and no status
     * @throws IllegalArgumentException when the request is contradictory (both or neither of a
     *     file and a command; options that need a container spec given with another runtime) or
     *     the task file is invalid; the message is one line naming the option or the JSON path
     */
    public Task toTask() {
        boolean hasCommand = !command.isEmpty();
        if (taskFile != null && hasCommand) {
            throw new IllegalArgumentException(
                    "give either --task FILE or -- COMMAND [ARG...], not both");
        }
        if (taskFile == null && !hasCommand) {
            throw new IllegalArgumentException(
                    "nothing to run: give a command after --, such as "
                            + "'taskexec run -- echo hello', or a task file with --task FILE.json");
        }
        Task.Builder task = hasCommand ? fromCommand() : TaskFile.read(taskFile).toBuilder();
        applyOverrides(task);
        if (task.getId().isEmpty()) {
            task.setId(newId());
        }
        if (task.getDesiredStateValue() < TaskState.RUNNING_VALUE) {
            task.setDesiredState(TaskState.RUNNING);
        }
        task.clearStatus();
        return task.build();
    }

    private Task.Builder fromCommand() {
        if (command.get(0).isEmpty()) {
            throw new IllegalArgumentException(
                    "the command is empty: the first word after -- names the program to run");
        }
        ContainerSpec.Builder container =
                ContainerSpec.newBuilder()
                        .addCommand(command.get(0))
                        .addAllArgs(command.subList(1, command.size()));
        return Task.newBuilder().setSpec(TaskSpec.newBuilder().setContainer(container));
    }

    private void applyOverrides(Task.Builder task) {
        Optional<String> containerOption =
                image != null
                        ? Optional.of("--image")
                        : tty
                                ? Optional.of("--tty")
                                : !env.isEmpty()
                                        ? Optional.of("--env")
                                        : grace != null ? Optional.of("--grace") : Optional.empty();
        if (containerOption.isEmpty()) {
            return;
        }
        TaskSpec.Builder spec = task.getSpecBuilder();
        if (spec.getRuntimeCase() != TaskSpec.RuntimeCase.CONTAINER
                && spec.getRuntimeCase() != TaskSpec.RuntimeCase.RUNTIME_NOT_SET) {
            throw new IllegalArgumentException(
                    containerOption.get()
                            + " applies to container tasks, but "
                            + taskFile
                            + " holds a "
                            + spec.getRuntimeCase().name().toLowerCase()
                            + " runtime");
        }
        ContainerSpec.Builder container = spec.getContainerBuilder();
        if (image != null) {
            container.setImage(image);
        }
        if (tty) {
            container.setTty(true);
        }
        if (!env.isEmpty()) {
            List<String> merged = new ArrayList<>(container.getEnvList());
            for (String entry : env) {
                String key = entry.substring(0, entry.indexOf('=') + 1);
                merged.removeIf(
                        existing ->
                                existing.startsWith(key)
                                        || existing.equals(key.substring(0, key.length() - 1)));
                merged.add(entry);
            }
            container.clearEnv().addAllEnv(merged);
        }
        if (grace != null) {
            container.setStopGracePeriod(
                    Duration.newBuilder().setSeconds(grace.getSeconds()).setNanos(grace.getNano()));
        }
    }

    /** A new task id: 25 random base-36 characters, the shape of swarmkit's ids. */
    static String newId() {
        char[] id = new char[25];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_CHARS[RANDOM.nextInt(ID_CHARS.length)];
        }
        return new String(id);
    }
}

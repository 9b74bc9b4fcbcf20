package dev.taskexec.agent.runtime;

import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.Task;
import java.util.List;
import java.util.Set;

/**
 * How the {@code process} backend runs a swarm task. The backend itself already maps a
 * {@code ContainerSpec} onto a local process and REJECTS, naming the field, whatever a local
 * process cannot honour (user switching, mounts, groups, hosts, DNS, privileges, limits, health
 * checks...; see {@code dev.taskexec.executor.process}). This mapping only adds what a swarm
 * task needs on top:
 * <ul>
 *   <li><b>argv.</b> {@code docker service create IMAGE prog arg...} sends no {@code command}
 *       (the image's entrypoint would supply it) and {@code args = [prog, arg...]}: with an empty
 *       {@code command}, {@code args[0]} becomes the command and the rest the arguments. With a
 *       {@code command} ({@code --entrypoint}), {@code command} then {@code args} is the argv, as
 *       in the backend.</li>
 *   <li><b>image.</b> Ignored (the program comes from the host), unless the node was given an
 *       allow-list: then the image, without a {@code @digest} the manager may have pinned, must
 *       be in it, or the task is REJECTED with {@code container.image: "x" is not in this node's
 *       image allow-list}.</li>
 *   <li><b>Secrets and configs</b> become files under a directory of the task's own
 *       ({@link TaskFiles}): the task learns {@code TASKEXEC_SECRETS_DIR} and
 *       {@code TASKEXEC_CONFIGS_DIR} from its environment, and finds each file there under its
 *       target name ({@code docker service create --secret db} → {@code $TASKEXEC_SECRETS_DIR/db};
 *       an absolute target such as a config's default {@code /name} loses its leading slash).
 *       The references are then removed from the spec, which the backend would otherwise refuse.
 *       Mode is honoured; owner only when the node runs as root. The directory is removed when
 *       the task is no longer assigned.</li>
 *   <li>Empty {@code dns_config} and {@code privileges}, which the Docker CLI always sends, are
 *       dropped ({@link SpecNormaliser}); a non-empty one is left for the backend to refuse.</li>
 * </ul>
 */
final class ProcessTaskMapping implements TaskMapping {

    static final String SECRETS_DIR_ENV = "TASKEXEC_SECRETS_DIR";
    static final String CONFIGS_DIR_ENV = "TASKEXEC_CONFIGS_DIR";

    private final TaskFiles files;
    private final Set<String> allowedImages;

    ProcessTaskMapping(TaskFiles files, Set<String> allowedImages) {
        this.files = files;
        this.allowedImages = Set.copyOf(allowedImages);
    }

    @Override
    public Task map(Task task, AssignedObjects objects) {
        Task t = SpecNormaliser.normalise(task);
        if (!t.hasSpec() || !t.getSpec().hasContainer()) {
            return t; // the backend refuses other runtimes itself
        }
        ContainerSpec c = t.getSpec().getContainer();
        checkImage(c.getImage());
        ContainerSpec.Builder b = c.toBuilder();
        if (c.getCommandCount() == 0 && c.getArgsCount() > 0) {
            b.clearCommand()
                    .addCommand(c.getArgs(0))
                    .clearArgs()
                    .addAllArgs(c.getArgsList().subList(1, c.getArgsCount()));
        }
        ReferencedFiles refs = ReferencedFiles.of(c, objects);
        if (!refs.isEmpty()) {
            List<java.nio.file.Path> paths =
                    refs.entries().stream()
                            .map(e -> files.path(t.getId(), e.kind(), e.name(), e.field()))
                            .toList();
            if (!files.isWritten(t.getId())) {
                for (int i = 0; i < paths.size(); i++) {
                    files.write(
                            paths.get(i),
                            refs.entries().get(i).data(),
                            refs.entries().get(i).target());
                }
                files.markWritten(t.getId());
            }
            java.nio.file.Path dir = files.taskDir(t.getId());
            b.clearSecrets()
                    .clearConfigs()
                    .addEnv(SECRETS_DIR_ENV + "=" + dir.resolve("secrets"))
                    .addEnv(CONFIGS_DIR_ENV + "=" + dir.resolve("configs"));
        }
        return t.toBuilder().setSpec(t.getSpec().toBuilder().setContainer(b)).build();
    }

    private void checkImage(String image) {
        if (allowedImages.isEmpty()) {
            return;
        }
        int at = image.indexOf('@');
        String name = at >= 0 ? image.substring(0, at) : image;
        if (!allowedImages.contains(name) && !allowedImages.contains(image)) {
            throw new IllegalArgumentException(
                    "container.image: \""
                            + name
                            + "\" is not in this node's image allow-list "
                            + allowedImages.stream().sorted().toList());
        }
    }

    @Override
    public void release(String taskId) {
        files.release(taskId);
    }
}

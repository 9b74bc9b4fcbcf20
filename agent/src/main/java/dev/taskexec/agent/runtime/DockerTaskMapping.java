package dev.taskexec.agent.runtime;

import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.Mount;
import dev.taskexec.api.proto.Task;
import java.nio.file.Path;

/**
 * How the {@code docker} backend runs a swarm task: the {@code ContainerSpec} is what the backend
 * already takes (image, command as entrypoint, args, env, mounts, ...), so the spec passes as it
 * is, except secrets and configs, which a plain container (outside swarm mode) cannot receive from
 * the Engine. Each becomes a file on the host ({@link TaskFiles}, a memory file system by
 * default) and a read-only bind mount at the target swarm would use:
 * {@code /run/secrets/<name>} for a secret with a relative name, {@code /<name>} for a config
 * with a relative name, the name itself when absolute. Mode is honoured (a bind mount shows the
 * host file's bits) and owner when the node runs as root. The references are removed from the
 * spec; the files are removed when the task is no longer assigned. Empty {@code dns_config} and
 * {@code privileges} are dropped ({@link SpecNormaliser}).
 */
final class DockerTaskMapping implements TaskMapping {

    private final TaskFiles files;

    DockerTaskMapping(TaskFiles files) {
        this.files = files;
    }

    @Override
    public Task map(Task task, AssignedObjects objects) {
        Task t = SpecNormaliser.normalise(task);
        if (!t.hasSpec() || !t.getSpec().hasContainer()) {
            return t;
        }
        ContainerSpec c = t.getSpec().getContainer();
        ReferencedFiles refs = ReferencedFiles.of(c, objects);
        if (refs.isEmpty()) {
            return t;
        }
        ContainerSpec.Builder b = c.toBuilder().clearSecrets().clearConfigs();
        boolean write = !files.isWritten(t.getId());
        for (ReferencedFiles.Entry e : refs.entries()) {
            // host files are named by position: a target name may contain anything
            Path host = files.path(t.getId(), e.kind(), Integer.toString(e.index()), e.field());
            if (write) {
                files.write(host, e.data(), e.target());
            }
            String target =
                    e.name().startsWith("/")
                            ? e.name()
                            : e.secret() ? "/run/secrets/" + e.name() : "/" + e.name();
            if (target.contains("/../") || target.endsWith("/..")) {
                throw new IllegalArgumentException(
                        e.field() + ": the target \"" + target + "\" is not a clean path");
            }
            b.addMounts(
                    Mount.newBuilder()
                            .setType(Mount.Type.BIND)
                            .setSource(host.toString())
                            .setTarget(target)
                            .setReadonly(true));
        }
        files.markWritten(t.getId());
        return t.toBuilder().setSpec(t.getSpec().toBuilder().setContainer(b)).build();
    }

    @Override
    public void release(String taskId) {
        files.release(taskId);
    }
}

package dev.taskexec.agent.runtime;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.taskexec.api.proto.Task;
import java.nio.file.Path;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * How a swarm task becomes the task a backend runs. A swarm task always carries a
 * {@code ContainerSpec}, written for a container engine; each backend needs its own reading of it,
 * and the node's secrets and configs must become files the task can read. The session maps every
 * task it receives, before the worker sees it.
 *
 * <ul>
 *   <li>{@link #passThrough()}: the task unchanged except for {@linkplain SpecNormaliser
 *       neutral normalisation} (for a backend that handles secrets itself, or none); a task that
 *       references secrets or configs reaches the backend as it is;</li>
 *   <li>{@link #process(Path, Set)}: see {@link ProcessTaskMapping};</li>
 *   <li>{@link #docker(Path)}: see {@link DockerTaskMapping};</li>
 *   <li>{@link #forBackend(String, Path)} picks one of those by the backend's provider name.</li>
 * </ul>
 *
 * <p>Contract: {@link #map} is called for every assignment of a task, first and later ones, on
 * the session's assignment thread; for the same task and the same assigned objects it must
 * return an equal task (backends refuse an update whose spec changed), and may create files the
 * first time only. {@link #release} is called once the task is no longer assigned, and removes
 * what {@code map} created; it is idempotent.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface TaskMapping {

    /**
     * The task to hand to the worker.
     *
     * @throws IllegalArgumentException when the task cannot run on this backend; the message
     *     starts with the field ({@code container.secrets[0]: ...}) and becomes the {@code err} of
     *     the REJECTED status the node reports
     * @throws java.io.UncheckedIOException when files could not be written; the task is REJECTED
     *     too
     */
    Task map(Task task, AssignedObjects objects);

    /** The task is no longer assigned: remove what {@link #map} created for it. Idempotent. */
    void release(String taskId);

    /** The task unchanged but for neutral normalisation. */
    static TaskMapping passThrough() {
        return new TaskMapping() {
            @Override
            public Task map(Task task, AssignedObjects objects) {
                return SpecNormaliser.normalise(task);
            }

            @Override
            public void release(String taskId) {}
        };
    }

    /**
     * The mapping for the {@code process} backend.
     *
     * @param filesRoot where task directories holding secret and config files are made (see
     *     {@link TaskFiles#defaultRoot()})
     * @param allowedImages images a task may name; empty: any image (it is ignored anyway)
     */
    static TaskMapping process(Path filesRoot, Set<String> allowedImages) {
        return new ProcessTaskMapping(new TaskFiles(filesRoot), allowedImages);
    }

    /** The mapping for the {@code docker} backend: secrets and configs as read-only bind mounts. */
    static TaskMapping docker(Path filesRoot) {
        return new DockerTaskMapping(new TaskFiles(filesRoot));
    }

    /**
     * {@link #process} (allowing any image) for {@code "process"}, {@link #docker} for
     * {@code "docker"}, {@link #passThrough()} for any other backend.
     */
    static TaskMapping forBackend(String providerName, Path filesRoot) {
        return switch (providerName) {
            case "process" -> process(filesRoot, Set.of());
            case "docker" -> docker(filesRoot);
            default -> passThrough();
        };
    }
}

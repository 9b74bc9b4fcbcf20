package dev.taskexec.executor.docker;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Told about the image pulls of a {@link DockerExecutor}'s tasks, for showing their progress
 * ({@link DockerExecutor#pullListener(PullListener)}).
 *
 * <p>Both methods are called on the thread that pulls (the task's {@code prepare}), so they must
 * return quickly; a listener that throws is logged and otherwise ignored. Pulls of different tasks
 * may run at once: tell them apart by task id.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface PullListener {

    /**
     * One progress message of a pull in progress.
     *
     * @param progress the message
     */
    void progress(PullProgress progress);

    /**
     * The pull has ended: the engine ended its stream, refused it, or it was interrupted. A failed
     * pull does not fail the task by itself (the image may be present already); the create that
     * follows decides.
     *
     * @param taskId the task whose image was pulled
     * @param image the image reference pulled
     * @param failure the engine's error, or empty when the pull succeeded
     */
    default void ended(String taskId, String image, Optional<String> failure) {}
}

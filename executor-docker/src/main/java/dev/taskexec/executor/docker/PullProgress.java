package dev.taskexec.executor.docker;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One progress message of an image pull, as the engine streams them while {@code prepare} pulls
 * a task's image: a layer's state ({@code "Downloading"}, {@code "Extracting"},
 * {@code "Pull complete"}, {@code "Already exists"}, …) with its byte counts, or a message about
 * the whole pull ({@code "Pulling from library/busybox"}, {@code "Digest: sha256:…"}) with no layer.
 *
 * @param taskId the task whose image is pulled
 * @param image the image reference pulled, with its tag or digest
 * @param layer the layer's short id, or empty for a message about the whole pull
 * @param status the engine's status text, as it sends it
 * @param current bytes done of the layer's current step, or 0 when not told
 * @param total bytes the layer's current step takes, or 0 when not told
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record PullProgress(
        String taskId, String image, String layer, String status, long current, long total) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException if a text is null
     * @throws IllegalArgumentException if a byte count is negative
     */
    public PullProgress {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(status, "status");
        if (current < 0 || total < 0) {
            throw new IllegalArgumentException(
                    "byte counts are not negative: current " + current + ", total " + total);
        }
    }
}

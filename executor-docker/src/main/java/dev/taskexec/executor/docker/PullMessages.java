package dev.taskexec.executor.docker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.ResponseItem;
import java.util.Optional;

/**
 * Reads the lines of the engine's pull stream (one JSON object each, docker-java's
 * {@link PullResponseItem}) into {@link PullProgress} messages. Thread-safe.
 */
final class PullMessages {

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private PullMessages() {}

    /**
     * The progress message on one line of the stream.
     *
     * @param taskId the task pulling
     * @param image the image pulled
     * @param line one line of the engine's answer
     * @return the message, or empty for a line that is not one (an error, a blank line, not JSON)
     */
    static Optional<PullProgress> parse(String taskId, String image, String line) {
        if (line.isBlank()) {
            return Optional.empty();
        }
        PullResponseItem item;
        try {
            item = JSON.readValue(line, PullResponseItem.class);
        } catch (Exception e) {
            return Optional
                    .empty(); // not ours to judge: the pull's own reading decides about errors
        }
        if (item.getStatus() == null || item.isErrorIndicated()) {
            return Optional.empty();
        }
        ResponseItem.ProgressDetail detail = item.getProgressDetail();
        long current =
                detail == null || detail.getCurrent() == null
                        ? 0
                        : Math.max(0, detail.getCurrent());
        long total =
                detail == null || detail.getTotal() == null ? 0 : Math.max(0, detail.getTotal());
        // a line about the whole pull names the tag in "id" ("Pulling from library/busybox", id
        // "latest")
        String layer =
                item.getId() == null || item.getStatus().startsWith("Pulling from ")
                        ? ""
                        : item.getId();
        return Optional.of(
                new PullProgress(taskId, image, layer, item.getStatus(), current, total));
    }
}

package dev.taskexec.executor.docker;

import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands one controller's pull progress to a {@link PullListener}, keeping the listener's own
 * failures out of the pull. Without a listener it does nothing, and the stream is not even parsed.
 */
final class PullReporter {

    private static final Logger LOG = LoggerFactory.getLogger(PullReporter.class);

    private final String taskId;
    private final PullListener listener;

    /**
     * @param taskId the controller's task
     * @param listener where progress goes, or null
     */
    PullReporter(String taskId, PullListener listener) {
        this.taskId = taskId;
        this.listener = listener;
    }

    /** What takes each line of the pull of {@code image}. */
    Consumer<String> lines(String image) {
        if (listener == null) {
            return line -> {};
        }
        return line ->
                PullMessages.parse(taskId, image, line)
                        .ifPresent(
                                p -> {
                                    try {
                                        listener.progress(p);
                                    } catch (RuntimeException e) {
                                        LOG.debug("the pull listener failed on {}", p, e);
                                    }
                                });
    }

    /** Tells the listener the pull of {@code image} ended; {@code failure} null on success. */
    void ended(String image, String failure) {
        if (listener == null) {
            return;
        }
        try {
            listener.ended(taskId, image, Optional.ofNullable(failure));
        } catch (RuntimeException e) {
            LOG.debug("the pull listener failed on the end of pulling {}", image, e);
        }
    }
}

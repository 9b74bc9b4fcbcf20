package dev.taskexec.executor.docker;

import com.github.dockerjava.api.model.HealthCheck;
import dev.taskexec.api.input.Quote;
import dev.taskexec.api.support.InvalidTaskException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ensure-image step of {@code prepare}: makes one controller's image available according to
 * the pull policy, remembers why a pull failed, and lets {@code shutdown}, {@code terminate},
 * {@code remove} and {@code close} drop a pull whose progress is streaming.
 *
 * <p>Separate from {@link DockerController} because the pull has its own state (the response in
 * progress, the last failure, what the image inspect said about a health check) and its own
 * cancellation, none of which the rest of the lifecycle touches.
 */
final class ImagePuller {

    // Logged as the controller's, as before this class was cut out of it: operators set its level.
    private static final Logger LOG = LoggerFactory.getLogger(DockerController.class);

    private final Engine engine;
    private final PullPolicy pullPolicy;
    private final ContainerPlan plan;
    private final String taskId;
    private final OpenStreams streams;

    /** Where the progress of this controller's pulls goes. */
    private final PullReporter pullProgress;

    private final AtomicReference<AutoCloseable> pullResponse = new AtomicReference<>();
    private volatile String pullFailure;

    /** Whether the image defines a health check, from the image inspect; null if unknown. */
    private volatile Boolean imageHealthCheck;

    ImagePuller(
            Engine engine,
            PullPolicy pullPolicy,
            ContainerPlan plan,
            String taskId,
            OpenStreams streams,
            PullListener pullListener) {
        this.engine = engine;
        this.pullPolicy = pullPolicy;
        this.plan = plan;
        this.taskId = taskId;
        this.streams = streams;
        this.pullProgress = new PullReporter(taskId, pullListener);
    }

    /** Why the last pull failed, for the create's message; null if it did not fail or did not run. */
    String failure() {
        return pullFailure;
    }

    /** Whether the image defines a health check, from the image inspect in prepare; null if unknown. */
    Boolean imageHealthCheck() {
        return imageHealthCheck;
    }

    /**
     * Under pull policy {@code missing}, starts the image inspect on a thread of its own and
     * returns its answer to come (whether the image is present), so that it runs while the
     * container is created: a present image, the usual case, then costs no round trip on the
     * task's path, and an absent one is found by the create's refusal (see {@link
     * #presentAhead}). Under another policy returns null: {@link #ensureImage()} comes first.
     */
    CompletableFuture<Boolean> inspectAhead() {
        if (pullPolicy != PullPolicy.MISSING) {
            return null;
        }
        CompletableFuture<Boolean> present = new CompletableFuture<>();
        Thread.ofVirtual()
                .name("taskexec-image-" + taskId)
                .start(
                        () -> {
                            try {
                                present.complete(imagePresent());
                            } catch (Throwable t) {
                                present.completeExceptionally(t);
                            }
                        });
        return present;
    }

    /**
     * The answer of {@link #inspectAhead()}, waiting for it: false when the image is absent, true
     * when present or when the inspect failed (then the create's own answer stands).
     *
     * @throws InterruptedException if interrupted while waiting (the inspect ends on its own)
     */
    boolean presentAhead(CompletableFuture<Boolean> present) throws InterruptedException {
        try {
            return present.get();
        } catch (ExecutionException e) {
            LOG.debug("inspecting image {} failed: {}", plan.image(), e.getCause().toString());
            return true;
        }
    }

    /** Pulls the image the create found absent (pull policy {@code missing}). */
    void pullAbsent() throws Exception {
        pullImage();
    }

    /** Makes the image available according to the pull policy. */
    void ensureImage() throws Exception {
        switch (pullPolicy) {
            case NEVER -> {
                if (!imagePresent()) {
                    throw new InvalidTaskException(
                            "container.image",
                            Quote.of(plan.image())
                                    + " is not present on the engine and the pull policy is never");
                }
            }
            case MISSING -> {
                if (!imagePresent()) {
                    pullImage();
                }
            }
            case ALWAYS -> pullImage();
        }
    }

    private boolean imagePresent() throws Exception {
        try {
            var image =
                    engine.call(
                            "inspecting image " + plan.image(),
                            () -> engine.client().inspectImageCmd(plan.image()).exec());
            HealthCheck hc = image.getConfig() == null ? null : image.getConfig().getHealthcheck();
            imageHealthCheck = HealthWait.effective(hc);
            return true;
        } catch (EngineException e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Pulls the image on the calling thread, so that interrupting it aborts the request even
     * before the engine has answered (a registry that never responds holds the engine's answer
     * back). A failed pull is logged and remembered for the create's message; the create
     * decides, as in swarmkit. An unreachable engine is thrown (temporary).
     */
    private void pullImage() throws Exception {
        String reference = plan.imageReference().pullReference();
        pullFailure = null;
        String outcome = "the pull did not finish"; // what the pull listener is told; null: pulled
        try {
            pullFailure =
                    engine.pull(
                            reference,
                            plan.registryAuth(),
                            this::pulling,
                            pullProgress.lines(reference));
            outcome = pullFailure;
        } catch (EngineException e) {
            pullFailure = e.getMessage();
            outcome = pullFailure;
        } catch (Exception e) {
            outcome = e instanceof InterruptedException ? "interrupted" : e.getMessage();
            throw e;
        } finally {
            pulling(null);
            pullProgress.ended(reference, outcome);
        }
        if (pullFailure != null) {
            LOG.warn("pulling image {} for task {} failed: {}", plan.image(), taskId, pullFailure);
        }
    }

    /** Notes the response of the pull in progress, so {@link #cancel()} can drop it. */
    private void pulling(AutoCloseable response) {
        AutoCloseable previous = pullResponse.getAndSet(response);
        if (response != null && streams.closed()) {
            cancel();
        }
        if (previous != null && response == null) {
            streams.remove(previous);
        } else if (response != null) {
            streams.add(response);
        }
    }

    /** Drops the pull in progress, if any. */
    void cancel() {
        AutoCloseable response = pullResponse.getAndSet(null);
        if (response != null) {
            streams.remove(response);
            try {
                response.close();
            } catch (Exception ignored) {
                // the pull's connection is being dropped
            }
        }
    }
}

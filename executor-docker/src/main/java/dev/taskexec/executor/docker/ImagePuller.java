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

    /** Under policy {@code missing}: the image inspect running beside the create; null if none. */
    private volatile CompletableFuture<Boolean> inspectAhead;

    /** In this prepare, a create was refused for want of the image, which was then pulled. */
    private volatile boolean pulledAfterRefusal;

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

    /** Whether the image defines a health check, from the image inspect in prepare; null if unknown. */
    Boolean imageHealthCheck() {
        return imageHealthCheck;
    }

    /**
     * The step before the create, by pull policy: {@code never} makes sure the image is present,
     * {@code always} pulls it; {@code missing} does nothing yet (see {@link #besideCreate()}) and
     * leaves an absent image to be found by the create's refusal ({@link #pullRefusedImage}).
     *
     * @throws InvalidTaskException under {@code never}, when the image is absent
     * @throws Exception as the inspect or the pull fails (an unreachable engine: temporary)
     */
    void beforeCreate() throws Exception {
        switch (pullPolicy) {
            case NEVER -> {
                if (!imagePresent()) {
                    throw new InvalidTaskException(
                            "container.image",
                            Quote.of(plan.image())
                                    + " is not present on the engine and the pull policy is never");
                }
            }
            case MISSING -> pulledAfterRefusal = false; // the inspect goes beside the create
            case ALWAYS -> pullImage();
        }
    }

    /**
     * Called once the create request is on its way: under policy {@code missing}, starts the image
     * inspect on a thread of its own, so that it runs while the container is created (a present
     * image, the usual case, costs no round trip on the task's path). It is started after the
     * create, not before, because the task waits for the create and reads the inspect only
     * afterwards. Not again in a prepare where {@link #pullRefusedImage} pulled the image. The
     * create's success is followed by {@link #awaitInspect()}.
     */
    void besideCreate() {
        if (pullPolicy == PullPolicy.MISSING && !pulledAfterRefusal) {
            inspectAhead = Engine.callAside("taskexec-image-" + taskId, this::imagePresent);
        }
    }

    /**
     * After the create succeeded: waits for the image inspect started beside it, whose answer
     * {@code start} reads (whether the image has a health check). A failed inspect leaves that
     * unknown, and {@code start} asks the container instead.
     *
     * @throws InterruptedException if interrupted (the inspect ends on its own)
     */
    void awaitInspect() throws InterruptedException {
        presentAhead();
    }

    /**
     * After the create was refused for want of the image (404): under policy {@code missing},
     * when the inspect beside it found no image either, pulls it once and returns true (create
     * again); otherwise returns false.
     *
     * @throws InterruptedException if interrupted
     * @throws Exception as the pull fails to reach the engine (temporary)
     */
    boolean pullRefusedImage() throws Exception {
        if (inspectAhead == null || presentAhead()) {
            return false;
        }
        pulledAfterRefusal = true; // once: a second refusal stands
        inspectAhead = null;
        pullImage();
        return true;
    }

    /** The create's refusal, with why the pull before it failed if one did. */
    EngineException explainRefusal(EngineException e) {
        String failed = pullFailure;
        if (e.statusCode() == 404 && failed != null) {
            return new EngineException(
                    404, e.getMessage() + " (pulling it failed: " + failed + ")", e);
        }
        return e;
    }

    /** The inspect started beside the create: true when present or when it failed. */
    private boolean presentAhead() throws InterruptedException {
        CompletableFuture<Boolean> present = inspectAhead;
        if (present == null) {
            return true;
        }
        try {
            return present.get();
        } catch (ExecutionException e) {
            LOG.debug("inspecting image {} failed: {}", plan.image(), e.getCause().toString());
            return true;
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

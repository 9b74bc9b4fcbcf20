package dev.taskexec.api;

import static org.apiguardian.api.API.Status.STABLE;

import dev.taskexec.api.proto.Task;
import org.apiguardian.api.API;

/**
 * Performs the operations of one task's lifecycle on a backend.
 *
 * <p>A controller is made by {@link Executor#controller(Task)} for one task and is driven by the
 * lifecycle ({@code dev.taskexec.core.Lifecycle.step}), which decides which operation to call from
 * the task's current and desired state. A controller reports outcomes only by returning normally
 * or throwing; it never sets the task's state.
 *
 * <p>The usual order is {@code prepare → start → await}, then, when the task is no longer wanted,
 * {@code shutdown} (or {@code terminate}), {@code remove} and {@code close}. The lifecycle may call
 * {@code prepare} or {@code start} again after a failure it decided to retry, and it may call
 * {@code shutdown} at any point, including before {@code prepare}.
 *
 * <p><b>Blocking and interruption.</b> Every method but {@link #close()} may block. A blocked
 * call returns promptly when its thread is interrupted, by throwing {@link InterruptedException}
 * or an exception whose cause chain contains one, and the same call may then be made again.
 *
 * <p><b>Threads.</b> Lifecycle operations come from one thread at a time, but {@link #shutdown()},
 * {@link #terminate()} and {@link #close()} may be called from another thread while
 * {@link #await()} blocks; implementations must be thread-safe.
 *
 * <p><b>Failures.</b> See the package documentation: temporary and interrupted failures are
 * retried, any other failure ends the task with the exception's message as its error.
 */
@API(status = STABLE, since = "0.1")
public interface Controller extends AutoCloseable {

    /**
     * Gives the controller a newer version of its task, for example with a raised desired state.
     *
     * <p>An update whose runtime spec equals the current one must be accepted (return normally) in
     * every state, and change nothing the target does. A backend may refuse a changed runtime
     * spec, which it cannot apply to a live task, by throwing {@link TaskUpdateRejectedException}
     * and keeping the old definition; that is optional (swarmkit's Docker controller accepts
     * every update), and the conformance kit holds a backend to it only when it declares the
     * {@code UPDATE_REJECTION} capability (rule ID-8). Once the target has exited, updates are
     * ignored and this returns normally.
     *
     * @param task the new definition of the same task (same id)
     * @throws TaskUpdateRejectedException if the backend refuses a changed runtime spec (optional)
     * @throws Exception if the update could not be applied
     */
    void update(Task task) throws Exception;

    /**
     * Creates everything the task needs, so that {@link #start()} can run it at once (resolve the
     * executable or image, create the container or the state directory).
     *
     * @throws TaskAlreadyPreparedException if the task was already prepared; the lifecycle treats
     *     this as success, so this is how a repeated call is made idempotent
     * @throws InterruptedException if interrupted while preparing
     * @throws Exception on failure; a failure that names what was wrong with the task makes the
     *     lifecycle report it as REJECTED
     */
    void prepare() throws Exception;

    /**
     * Starts the prepared target and returns once it runs (for a target with a health check: once
     * it is healthy).
     *
     * @throws TaskAlreadyStartedException if the target was ever started; treated as success
     * @throws InterruptedException if interrupted while starting
     * @throws Exception on failure to start
     */
    void start() throws Exception;

    /**
     * Blocks until the target exits, and returns normally only for a zero exit code.
     *
     * <p>Calling it again after the target exited reports the same outcome again without blocking.
     * Output the target wrote before exiting must be available to {@link ControllerLogs} once this
     * returns or throws.
     *
     * @throws ExitException (or any exception that is an {@link ExitCoder}, possibly in the cause
     *     chain) for a non-zero exit, carrying the exit code and, where known, the container status
     * @throws InterruptedException if interrupted while waiting; the target keeps running
     * @throws Exception if the target's state cannot be learned
     */
    void await() throws Exception;

    /**
     * Asks the target to exit gracefully: sends the task's stop signal ({@code stop_signal},
     * SIGTERM when empty), waits its stop grace period, then stops it forcefully. Returns once the
     * target no longer runs. The target is the whole process tree the task started: once the grace
     * period is over, no child or grandchild of the workload may survive it.
     *
     * <p>Idempotent: a target that was never started, already exited, or no longer exists is a
     * success.
     *
     * @throws InterruptedException if interrupted while waiting for the target to exit
     * @throws Exception if the target could not be stopped
     */
    void shutdown() throws Exception;

    /**
     * Stops the target forcefully and at once (SIGKILL or the backend's equivalent), with every
     * process the task started, not only its direct child. A target that dies this way reports
     * 128 + 9 = 137 from {@link #await()} where the backend has signals. Idempotent, like
     * {@link #shutdown()}.
     *
     * @throws InterruptedException if interrupted while waiting for the target to die
     * @throws Exception if the target could not be stopped
     */
    void terminate() throws Exception;

    /**
     * Frees everything the controller allocated for the task (processes still running, with their
     * children, containers, volumes, files, state directories). Idempotent: what is already gone is a success.
     *
     * @throws InterruptedException if interrupted while removing
     * @throws Exception if something could not be removed
     */
    void remove() throws Exception;

    /**
     * Releases the controller's ephemeral resources (threads, streams, connections), not the
     * task's (that is {@link #remove()}). Idempotent and never blocks for long. After it,
     * {@link #start()} must not start the target, even on a prepared controller (throw
     * {@link ControllerClosedException}): nobody would remove what it started. Every other method
     * may throw {@link ControllerClosedException} and must return or throw promptly; what a
     * closed controller prepared is removed through a new controller for the same task.
     */
    @Override
    void close();
}

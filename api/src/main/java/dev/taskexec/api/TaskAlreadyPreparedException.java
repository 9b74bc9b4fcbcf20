package dev.taskexec.api;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * Thrown by {@link Controller#prepare()} when the task is already prepared.
 *
 * <p>The lifecycle treats it as success and moves on to READY: throwing it is how a backend makes
 * a repeated {@code prepare} idempotent, for example after the agent restarted and found the
 * container it had created before.
 */
@API(status = STABLE, since = "0.1")
public class TaskAlreadyPreparedException extends ExecException {

    private static final long serialVersionUID = 1L;

    /** A failure with no message: its text is {@value #DEFAULT_MESSAGE}. */
    public TaskAlreadyPreparedException() {
        super(DEFAULT_MESSAGE);
    }

    /**
     * A failure with a message.
     *
     * @param message what went wrong, for the task's status
     */
    public TaskAlreadyPreparedException(String message) {
        super(message);
    }

    /**
     * A failure with a message and a cause.
     *
     * @param message what went wrong, for the task's status
     * @param cause the underlying failure
     */
    public TaskAlreadyPreparedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The message of a failure made with no message. */
    public static final String DEFAULT_MESSAGE = "task already prepared";
}

package dev.taskexec.api;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * Thrown by {@link Controller#start()} when the target was ever started, even if it has exited
 * since.
 *
 * <p>The lifecycle treats it as success and moves on to RUNNING, where {@link Controller#await()}
 * reports how the target ended.
 */
@API(status = STABLE, since = "0.1")
public class TaskAlreadyStartedException extends ExecException {

    private static final long serialVersionUID = 1L;

    /** A failure with no message: its text is {@value #DEFAULT_MESSAGE}. */
    public TaskAlreadyStartedException() {
        super(DEFAULT_MESSAGE);
    }

    /**
     * A failure with a message.
     *
     * @param message what went wrong, for the task's status
     */
    public TaskAlreadyStartedException(String message) {
        super(message);
    }

    /**
     * A failure with a message and a cause.
     *
     * @param message what went wrong, for the task's status
     * @param cause the underlying failure
     */
    public TaskAlreadyStartedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The message of a failure made with no message. */
    public static final String DEFAULT_MESSAGE = "task already started";
}

package dev.taskexec.api;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * Thrown by {@link Controller#update(dev.taskexec.api.proto.Task)} when the new definition
 * changes a field that cannot change on a live task.
 */
@API(status = STABLE, since = "0.1")
public class TaskUpdateRejectedException extends ExecException {

    private static final long serialVersionUID = 1L;

    /** A failure with no message: its text is {@value #DEFAULT_MESSAGE}. */
    public TaskUpdateRejectedException() {
        super(DEFAULT_MESSAGE);
    }

    /**
     * A failure with a message.
     *
     * @param message what went wrong, for the task's status
     */
    public TaskUpdateRejectedException(String message) {
        super(message);
    }

    /**
     * A failure with a message and a cause.
     *
     * @param message what went wrong, for the task's status
     * @param cause the underlying failure
     */
    public TaskUpdateRejectedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The message of a failure made with no message. */
    public static final String DEFAULT_MESSAGE = "task update rejected";
}

package dev.taskexec.api;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * Thrown by {@link Executor#controller(dev.taskexec.api.proto.Task)} when the task's runtime is
 * not one the backend can run (a generic runtime kind it does not know, a container spec given to
 * a backend that runs something else).
 */
@API(status = STABLE, since = "0.1")
public class RuntimeUnsupportedException extends ExecException {

    private static final long serialVersionUID = 1L;

    /** A failure with no message: its text is {@value #DEFAULT_MESSAGE}. */
    public RuntimeUnsupportedException() {
        super(DEFAULT_MESSAGE);
    }

    /**
     * A failure with a message.
     *
     * @param message what went wrong, for the task's status
     */
    public RuntimeUnsupportedException(String message) {
        super(message);
    }

    /**
     * A failure with a message and a cause.
     *
     * @param message what went wrong, for the task's status
     * @param cause the underlying failure
     */
    public RuntimeUnsupportedException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The message of a failure made with no message. */
    public static final String DEFAULT_MESSAGE = "unsupported runtime";
}

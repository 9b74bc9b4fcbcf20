package dev.taskexec.api;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * A failure because something the task depends on (a secret, a config, a volume, a network) is
 * not available yet.
 *
 * <p>It is not {@link Temporary} by itself: wrap it with {@link Errors#temporary(Throwable)} when
 * waiting may help.
 */
@API(status = STABLE, since = "0.1")
public class DependencyNotReadyException extends ExecException {

    private static final long serialVersionUID = 1L;

    /** A failure with no message: its text is {@value #DEFAULT_MESSAGE}. */
    public DependencyNotReadyException() {
        super(DEFAULT_MESSAGE);
    }

    /**
     * A failure with a message.
     *
     * @param message what went wrong, for the task's status
     */
    public DependencyNotReadyException(String message) {
        super(message);
    }

    /**
     * A failure with a message and a cause.
     *
     * @param message what went wrong, for the task's status
     * @param cause the underlying failure
     */
    public DependencyNotReadyException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The message of a failure made with no message. */
    public static final String DEFAULT_MESSAGE = "dependency not ready";
}

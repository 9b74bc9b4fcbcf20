package dev.taskexec.api;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * The base of the failures this SPI defines.
 *
 * <p>Backends may throw any exception; these types exist so that the lifecycle and callers can
 * recognise the cases that have a meaning of their own. Every subclass has the constructors
 * {@code ()}, {@code (String message)} and {@code (String message, Throwable cause)}.
 */
@API(status = STABLE, since = "0.1")
public class ExecException extends Exception {

    private static final long serialVersionUID = 1L;

    /** A failure with no message. */
    public ExecException() {
        super();
    }

    /**
     * A failure with a message.
     *
     * @param message what went wrong, for the task's status
     */
    public ExecException(String message) {
        super(message);
    }

    /**
     * A failure with a message and a cause.
     *
     * @param message what went wrong, for the task's status
     * @param cause the underlying failure
     */
    public ExecException(String message, Throwable cause) {
        super(message, cause);
    }
}

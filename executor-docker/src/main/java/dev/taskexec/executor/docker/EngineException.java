package dev.taskexec.executor.docker;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.taskexec.api.ExecException;
import org.apiguardian.api.API;

/**
 * The Docker Engine answered a request with an error.
 *
 * <p>The message says what was being done and what the engine said, for example
 * {@code creating container web.1.x1: No such image: busybox:9}. Failures to reach the engine at all
 * are not this type: they are {@linkplain dev.taskexec.api.Errors#temporary(Throwable) temporary}
 * so the lifecycle retries them.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class EngineException extends ExecException {
    private static final long serialVersionUID = 1L;

    private final int statusCode;

    /**
     * @param statusCode the HTTP status the engine answered with, or 0 when unknown
     * @param message what was being done and what the engine said
     * @param cause docker-java's exception
     */
    public EngineException(int statusCode, String message, Throwable cause) {
        super(message, cause);
        this.statusCode = statusCode;
    }

    /** The HTTP status the engine answered with (404 for a missing object, 409 for a conflict...), or 0. */
    public int statusCode() {
        return statusCode;
    }
}

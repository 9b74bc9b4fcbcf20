package dev.taskexec.executor.docker;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.taskexec.api.ExecException;
import org.apiguardian.api.API;

/**
 * A task cannot be run by the Docker executor as written: its message names the field and what is
 * wrong with it. Thrown before any container exists, so the lifecycle rejects the task and nothing
 * is left behind.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class InvalidTaskException extends ExecException {
    private static final long serialVersionUID = 1L;

    /** @param message names the offending field and value */
    public InvalidTaskException(String message) {
        super(message);
    }
}

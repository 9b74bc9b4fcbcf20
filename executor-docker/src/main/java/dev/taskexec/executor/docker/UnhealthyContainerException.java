package dev.taskexec.executor.docker;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.taskexec.api.ExecException;
import org.apiguardian.api.API;

/**
 * A container's health check reported it unhealthy (swarmkit's {@code ErrContainerUnhealthy}); the
 * container has been stopped.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class UnhealthyContainerException extends ExecException {
    private static final long serialVersionUID = 1L;

    /** @param message names the container and, when known, the last health check output */
    public UnhealthyContainerException(String message) {
        super(message);
    }
}

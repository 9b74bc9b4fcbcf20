package dev.taskexec.executor.docker;

import dev.taskexec.api.ExecException;

/**
 * A container's health check reported it unhealthy (swarmkit's {@code ErrContainerUnhealthy}); the
 * container has been stopped.
 */
public class UnhealthyContainerException extends ExecException {
    private static final long serialVersionUID = 1L;

    /** @param message names the container and, when known, the last health check output */
    public UnhealthyContainerException(String message) {
        super(message);
    }
}

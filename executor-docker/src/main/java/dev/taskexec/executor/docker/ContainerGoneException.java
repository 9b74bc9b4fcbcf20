package dev.taskexec.executor.docker;

import dev.taskexec.api.ExecException;

/**
 * A task's container was removed from the engine by someone else while the task still needed it
 * (swarmkit's {@code ErrContainerDestroyed}). Fatal to the task: a removed container cannot come back.
 */
public class ContainerGoneException extends ExecException {
    private static final long serialVersionUID = 1L;

    /** @param message names the container and what was being done */
    public ContainerGoneException(String message) {
        super(message);
    }
}

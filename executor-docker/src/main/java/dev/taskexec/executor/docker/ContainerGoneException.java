package dev.taskexec.executor.docker;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.taskexec.api.ExecException;
import org.apiguardian.api.API;

/**
 * A task's container was removed from the engine by someone else while the task still needed it
 * (swarmkit's {@code ErrContainerDestroyed}). Fatal to the task: a removed container cannot come back.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class ContainerGoneException extends ExecException {
    private static final long serialVersionUID = 1L;

    /** @param message names the container and what was being done */
    public ContainerGoneException(String message) {
        super(message);
    }
}

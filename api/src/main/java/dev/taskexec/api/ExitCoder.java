package dev.taskexec.api;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * A failure that knows the exit code of the task's target.
 *
 * <p>The lifecycle looks for it along a failure's cause chain and puts the code into the task's
 * container status.
 */
@API(status = STABLE, since = "0.1")
public interface ExitCoder {

    /**
     * The exit code: the process's own for a normal exit, 128 plus the signal number for a death
     * by signal, as shells report it.
     *
     * @return the exit code
     */
    int exitCode();
}

package dev.taskexec.api;

/**
 * A failure that knows the exit code of the task's target.
 *
 * <p>The lifecycle looks for it along a failure's cause chain and puts the code into the task's
 * container status.
 */
public interface ExitCoder {

    /**
     * The exit code: the process's own for a normal exit, 128 plus the signal number for a death
     * by signal, as shells report it.
     *
     * @return the exit code
     */
    int exitCode();
}

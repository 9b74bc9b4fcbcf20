package dev.taskexec.cli;

/**
 * The exit codes of the command, besides a task's own (which {@code run} passes through).
 *
 * <p>They follow {@code docker run}: 125 means the task could not be run at all, so a script can
 * tell taskexec's failures from the task's; 130 is the shell's code for an interrupt (128 + SIGINT).
 */
public final class ExitCodes {

    private ExitCodes() {}

    /** Success. */
    public static final int OK = 0;

    /** A failure of {@code executors} or {@code conformance}, or a required conformance rule failed. */
    public static final int FAILURE = 1;

    /** The command line is wrong (every command but {@code run}, which uses {@link #NOT_RUN}). */
    public static final int USAGE = 2;

    /**
     * {@code run}: the task was rejected, or could not be run (bad option, unknown executor,
     * malformed task file, a backend failure without an exit code).
     */
    public static final int NOT_RUN = 125;

    /** {@code run}: interrupted with Ctrl-C (SIGINT); the task was shut down. */
    public static final int INTERRUPTED = 130;

    /** {@code run}: stopped with SIGTERM; the task was shut down. */
    public static final int TERMINATED = 143;

    /** {@code run}: stdout was closed by its reader (SIGPIPE); the task was shut down. */
    public static final int BROKEN_PIPE = 141;
}

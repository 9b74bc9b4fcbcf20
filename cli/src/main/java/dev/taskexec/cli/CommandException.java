package dev.taskexec.cli;

/**
 * A failure the user can act on, reported as one line on stderr without a stack trace.
 *
 * <p>Commands throw it for anything caused by their input or environment (an unknown executor, a
 * malformed task file, a backend that cannot be created). {@link Main} prints
 * {@code taskexec: <message>} and exits with {@link #exitCode()}; the cause, if any, is shown only
 * with {@code --debug}.
 */
public final class CommandException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /**
     * @param exitCode the process exit code to end with
     * @param message one line, saying what is wrong and, where it helps, what to do
     */
    public CommandException(int exitCode, String message) {
        this(exitCode, message, null);
    }

    /**
     * @param exitCode the process exit code to end with
     * @param message one line, saying what is wrong and, where it helps, what to do
     * @param cause the underlying failure, shown with {@code --debug}; may be null
     */
    public CommandException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** The exit code the command ends with. */
    public int exitCode() {
        return exitCode;
    }
}

package dev.taskexec.api;

import static org.apiguardian.api.API.Status.STABLE;

import dev.taskexec.api.proto.ContainerStatus;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The task's target exited with a non-zero code; thrown by {@link Controller#await()}.
 *
 * <p>It carries the exit code and, optionally, the container status at exit, which the lifecycle
 * puts into the task's status. The constructors without an exit code use {@value #GENERIC_EXIT_CODE},
 * a generic failure.
 */
@API(status = STABLE, since = "0.1")
public class ExitException extends ExecException implements ExitCoder, ContainerStatuser {

    private static final long serialVersionUID = 1L;

    /** The exit code of an {@code ExitException} made without one. */
    public static final int GENERIC_EXIT_CODE = 1;

    /** The task's exit code. */
    private final int exitCode;

    /** The container's status when the task exited, or null when the backend gave none. */
    private final ContainerStatus containerStatus;

    /** An exit with code {@value #GENERIC_EXIT_CODE} and a message that says so. */
    public ExitException() {
        this(GENERIC_EXIT_CODE, null, null, null);
    }

    /**
     * An exit with code {@value #GENERIC_EXIT_CODE}.
     *
     * @param message what happened
     */
    public ExitException(String message) {
        this(GENERIC_EXIT_CODE, message, null, null);
    }

    /**
     * An exit with code {@value #GENERIC_EXIT_CODE} and a cause.
     *
     * @param message what happened
     * @param cause the underlying failure
     */
    public ExitException(String message, Throwable cause) {
        this(GENERIC_EXIT_CODE, message, null, cause);
    }

    /**
     * An exit with a code.
     *
     * @param exitCode the exit code
     * @param message what happened; {@code null} for "exit code N"
     */
    public ExitException(int exitCode, String message) {
        this(exitCode, message, null, null);
    }

    /**
     * An exit with a code and the container's status at exit.
     *
     * @param exitCode the exit code
     * @param message what happened; {@code null} for "exit code N"
     * @param containerStatus the container's status, or {@code null} if unknown
     */
    public ExitException(int exitCode, String message, ContainerStatus containerStatus) {
        this(exitCode, message, containerStatus, null);
    }

    /**
     * An exit with a code, the container's status at exit, and a cause.
     *
     * @param exitCode the exit code
     * @param message what happened; {@code null} for "exit code N"
     * @param containerStatus the container's status, or {@code null} if unknown
     * @param cause the underlying failure, or {@code null}
     */
    public ExitException(
            int exitCode, String message, ContainerStatus containerStatus, Throwable cause) {
        super(message != null ? message : "exit code " + exitCode, cause);
        this.exitCode = exitCode;
        this.containerStatus = containerStatus;
    }

    @Override
    public int exitCode() {
        return exitCode;
    }

    /**
     * The container's status at exit, as given to the constructor. Never throws.
     *
     * @return the status, or empty when none was given
     */
    @Override
    public Optional<ContainerStatus> containerStatus() {
        return Optional.ofNullable(containerStatus);
    }
}

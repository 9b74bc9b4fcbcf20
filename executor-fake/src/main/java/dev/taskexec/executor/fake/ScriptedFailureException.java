package dev.taskexec.executor.fake;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.taskexec.api.ExecException;
import org.apiguardian.api.API;

/**
 * The failure a scripted {@code fail} or {@code temporary} behaviour throws (the latter wrapped by
 * {@link dev.taskexec.api.Errors#temporary}). Its own type, so tests can tell a scripted failure
 * from a bug.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class ScriptedFailureException extends ExecException {

    private static final long serialVersionUID = 1L;

    /** A failure with no message. */
    public ScriptedFailureException() {
        super();
    }

    /** A failure with the scripted message. */
    public ScriptedFailureException(String message) {
        super(message);
    }

    /** A failure with a message and a cause. */
    public ScriptedFailureException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.taskexec.executor.fake;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.taskexec.api.ExecException;
import org.apiguardian.api.API;

/**
 * Thrown by a {@link FakeController} for a call its task's state does not allow, as a real
 * backend would fail it: {@code start} before {@code prepare}, {@code await} before
 * {@code start}, or {@code prepare}, {@code start}, {@code await} or {@code logs} after the task
 * was removed. Not temporary: the lifecycle treats it as fatal.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class CallOutOfOrderException extends ExecException {

    private static final long serialVersionUID = 1L;

    /** A failure with no message. */
    public CallOutOfOrderException() {
        super();
    }

    /** A failure that says which call came out of order. */
    public CallOutOfOrderException(String message) {
        super(message);
    }

    /** A failure with a message and a cause. */
    public CallOutOfOrderException(String message, Throwable cause) {
        super(message, cause);
    }
}

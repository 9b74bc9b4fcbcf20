package dev.taskexec.conformance.check;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * How a call into the backend ended: it returned {@code value}, or it threw
 * {@code thrown}.
 *
 * @param value  the returned value (null for void calls or when it threw)
 * @param thrown what the call threw, or null if it returned
 */
@API(status = INTERNAL, since = "0.1")
public record CallResult<T>(T value, Throwable thrown) {

    /** Whether the call returned normally. */
    public boolean returned() {
        return thrown == null;
    }

    /** The value, or rethrows what the call threw. */
    public T get() throws Exception {
        if (thrown == null) {
            return value;
        }
        if (thrown instanceof Exception e) {
            throw e;
        }
        if (thrown instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(thrown);
    }
}

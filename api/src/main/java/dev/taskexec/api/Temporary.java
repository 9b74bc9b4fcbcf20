package dev.taskexec.api;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * A failure that may succeed if the same operation is tried again later, such as a daemon that is
 * restarting or a dependency that is not ready yet.
 *
 * <p>The lifecycle retries the operation instead of failing the task, and still reports the
 * failure's message as the status's error. Make a failure temporary with
 * {@link Errors#temporary(Throwable)}; test for it with {@link Errors#isTemporary(Throwable)}.
 */
@API(status = STABLE, since = "0.1")
public interface Temporary {

    /**
     * Whether the failure is temporary. The first {@code Temporary} in a cause chain decides.
     *
     * @return {@code true} to have the operation retried
     */
    boolean isTemporary();
}

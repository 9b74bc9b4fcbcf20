package dev.taskexec.executor.fake;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * Wraps every scriptable call of every controller of a {@link FakeExecutor} (all but
 * {@code close}), to alter one behaviour of an otherwise healthy fake: for example to build a
 * deliberately broken backend for testing a test kit.
 *
 * <p>An interceptor decides whether, when and how often the call's own work happens by calling
 * {@link Invocation#proceed()} (zero or more times), and may replace its outcome by returning or
 * throwing something else. The call is recorded as the caller sees it, around all interceptors.
 * For example, a backend that loses exit codes:
 * <pre>{@code
 * Interceptor loseExitCodes = inv -> {
 *     try {
 *         inv.proceed();
 *     } catch (ExitException e) {
 *         if (inv.call() != Call.AWAIT) throw e;   // await now returns normally for any exit code
 *     }
 * };
 * FakeExecutor broken = FakeExecutor.builder().interceptor(loseExitCodes).build();
 * }</pre>
 *
 * <p>Interceptors run on the calling thread and must be thread-safe.
 */
@API(status = EXPERIMENTAL, since = "0.1")
@FunctionalInterface
public interface Interceptor {

    /**
     * Performs one call, normally by calling {@code invocation.proceed()}.
     *
     * @throws Exception what the call throws to its caller
     */
    void intercept(Invocation invocation) throws Exception;
}

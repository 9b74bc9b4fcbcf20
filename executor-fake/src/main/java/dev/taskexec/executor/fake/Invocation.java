package dev.taskexec.executor.fake;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.taskexec.api.proto.Task;
import org.apiguardian.api.API;

/**
 * One call passing through the {@link Interceptor}s of a {@link FakeExecutor}.
 *
 * <p>Made for one call and handed to the interceptors on the thread that made the call; it is
 * meant to be used there, during {@link Interceptor#intercept(Invocation)}.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface Invocation {

    /** Which call this is. */
    Call call();

    /** The controller the call was made on. */
    FakeController controller();

    /**
     * The task of the call: for {@link Call#UPDATE} the new task passed to {@code update}, else
     * the controller's current task.
     */
    Task task();

    /**
     * Does the call's work: the next interceptor, or the controller itself (closed check,
     * latency, behaviour, effect). May be called more than once, for example to retry. Blocks as
     * the call itself does ({@code await} until the task exits, say) and honours interruption as
     * the call does.
     *
     * @throws Exception what the work threw
     */
    void proceed() throws Exception;
}

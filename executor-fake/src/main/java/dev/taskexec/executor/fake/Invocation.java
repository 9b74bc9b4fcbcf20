package dev.taskexec.executor.fake;

import dev.taskexec.api.proto.Task;

/** One call passing through the {@link Interceptor}s of a {@link FakeExecutor}. */
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
     * latency, behaviour, effect). May be called more than once, for example to retry.
     *
     * @throws Exception what the work threw
     */
    void proceed() throws Exception;
}

package dev.taskexec.executor.fake;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.taskexec.api.ContainerStatuser;
import dev.taskexec.api.Controller;
import dev.taskexec.api.ControllerLogs;
import dev.taskexec.api.LogPublisher;
import dev.taskexec.api.PortStatuser;
import dev.taskexec.api.proto.ContainerStatus;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import dev.taskexec.api.proto.PortStatus;
import dev.taskexec.api.proto.Task;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A controller that passes every call to a {@link FakeController}, to be subclassed where a test
 * needs a backend that differs in one method, for example one whose container status forgets exit
 * codes. Install it with {@link FakeExecutor.Builder#wrapControllers}; the executor still tracks
 * the delegate, so {@link FakeExecutor#leaks()} sees whether the wrapper passed remove and close
 * on. It offers every capability the delegate has ({@link ControllerLogs},
 * {@link ContainerStatuser}, {@link PortStatuser}). Its contract is the delegate's.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public abstract class ForwardingController
        implements Controller, ControllerLogs, ContainerStatuser, PortStatuser {

    /** The controller calls are passed to. */
    protected final FakeController delegate;

    /**
     * Wraps {@code delegate}.
     *
     * @throws NullPointerException if {@code delegate} is null
     */
    protected ForwardingController(FakeController delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public void update(Task task) throws Exception {
        delegate.update(task);
    }

    @Override
    public void prepare() throws Exception {
        delegate.prepare();
    }

    @Override
    public void start() throws Exception {
        delegate.start();
    }

    @Override
    public void await() throws Exception {
        delegate.await();
    }

    @Override
    public void shutdown() throws Exception {
        delegate.shutdown();
    }

    @Override
    public void terminate() throws Exception {
        delegate.terminate();
    }

    @Override
    public void remove() throws Exception {
        delegate.remove();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public void logs(LogPublisher publisher, LogSubscriptionOptions options) throws Exception {
        delegate.logs(publisher, options);
    }

    @Override
    public Optional<ContainerStatus> containerStatus() throws Exception {
        return delegate.containerStatus();
    }

    @Override
    public Optional<PortStatus> portStatus() throws Exception {
        return delegate.portStatus();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate + "]";
    }
}

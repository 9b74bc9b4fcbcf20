package dev.taskexec.core;

import dev.taskexec.api.ContainerStatuser;
import dev.taskexec.api.Controller;
import dev.taskexec.api.PortStatuser;
import dev.taskexec.api.proto.ContainerStatus;
import dev.taskexec.api.proto.PortStatus;
import dev.taskexec.api.proto.Task;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A controller whose operations do what a test tells them, and which counts its calls.
 * {@link Lifecycle} is a pure function over the {@link Controller} interface, so scripted
 * controllers test every branch of it directly; real backends are tested by the conformance kit.
 */
class ScriptedController implements Controller {

    /** What one operation does: return normally, or throw. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    private final Map<String, Integer> calls = new ConcurrentHashMap<>();
    Action prepare = () -> {};
    Action start = () -> {};
    Action await = () -> {};
    Action shutdown = () -> {};

    int calls(String operation) {
        return calls.getOrDefault(operation, 0);
    }

    int totalCalls() {
        return calls.values().stream().mapToInt(Integer::intValue).sum();
    }

    private void call(String operation, Action action) throws Exception {
        calls.merge(operation, 1, Integer::sum);
        action.run();
    }

    @Override
    public void update(Task task) throws Exception {
        call("update", () -> {});
    }

    @Override
    public void prepare() throws Exception {
        call("prepare", prepare);
    }

    @Override
    public void start() throws Exception {
        call("start", start);
    }

    @Override
    public void await() throws Exception {
        call("await", await);
    }

    @Override
    public void shutdown() throws Exception {
        call("shutdown", shutdown);
    }

    @Override
    public void terminate() throws Exception {
        call("terminate", () -> {});
    }

    @Override
    public void remove() throws Exception {
        call("remove", () -> {});
    }

    @Override
    public void close() {
        calls.merge("close", 1, Integer::sum);
    }

    /** A scripted controller that also reports a container status. */
    static class WithContainerStatus extends ScriptedController implements ContainerStatuser {
        Callable<Optional<ContainerStatus>> containerStatus = Optional::empty;

        @Override
        public Optional<ContainerStatus> containerStatus() throws Exception {
            return containerStatus.call();
        }
    }

    /** A scripted controller that reports a container status and a port status. */
    static final class WithAllStatus extends WithContainerStatus implements PortStatuser {
        Callable<Optional<PortStatus>> portStatus = Optional::empty;

        @Override
        public Optional<PortStatus> portStatus() throws Exception {
            return portStatus.call();
        }
    }

    /** A scripted controller that reports a port status only. */
    static final class WithPortStatus extends ScriptedController implements PortStatuser {
        Callable<Optional<PortStatus>> portStatus = Optional::empty;

        @Override
        public Optional<PortStatus> portStatus() throws Exception {
            return portStatus.call();
        }
    }
}

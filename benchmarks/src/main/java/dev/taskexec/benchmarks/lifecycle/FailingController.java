package dev.taskexec.benchmarks.lifecycle;

import dev.taskexec.api.Controller;
import dev.taskexec.api.proto.Task;

/**
 * A controller whose {@code prepare}, {@code start} and {@code await} throw one exception made
 * up front; the other operations succeed. Throwing a prebuilt exception keeps
 * {@code fillInStackTrace} (microseconds, and allocation) out of the figure, which is then
 * the lifecycle's handling of the failure alone. Thread-safe (immutable).
 */
final class FailingController implements Controller {

    private final Exception failure;

    FailingController(Exception failure) {
        this.failure = failure;
    }

    @Override
    public void prepare() throws Exception {
        throw failure;
    }

    @Override
    public void start() throws Exception {
        throw failure;
    }

    @Override
    public void await() throws Exception {
        throw failure;
    }

    @Override
    public void update(Task task) {}

    @Override
    public void shutdown() {}

    @Override
    public void terminate() {}

    @Override
    public void remove() {}

    @Override
    public void close() {}
}

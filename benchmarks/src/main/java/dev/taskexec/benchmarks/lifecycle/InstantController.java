package dev.taskexec.benchmarks.lifecycle;

import dev.taskexec.api.Controller;
import dev.taskexec.api.proto.Task;

/**
 * A controller whose every operation succeeds at once and allocates nothing, and which has no
 * optional capability: with it, a step costs what the lifecycle itself costs. Thread-safe (it
 * has no state). Open only so that {@link ExitedController} can add a capability to it.
 */
class InstantController implements Controller {

    @Override
    public void update(Task task) {}

    @Override
    public void prepare() {}

    @Override
    public void start() {}

    @Override
    public void await() {}

    @Override
    public void shutdown() {}

    @Override
    public void terminate() {}

    @Override
    public void remove() {}

    @Override
    public void close() {}
}

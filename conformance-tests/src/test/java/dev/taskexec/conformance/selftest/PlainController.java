package dev.taskexec.conformance.selftest;

import dev.taskexec.api.Controller;
import dev.taskexec.api.proto.Task;

/** Passes every call to another controller and offers none of the optional capabilities. */
class PlainController implements Controller {

    private final Controller delegate;

    PlainController(Controller delegate) {
        this.delegate = delegate;
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
}

package dev.taskexec.conformance.selftest;

import dev.taskexec.api.Controller;
import dev.taskexec.api.Executor;
import dev.taskexec.api.TaskRecovery;
import dev.taskexec.api.proto.Node;
import dev.taskexec.api.proto.NodeDescription;
import dev.taskexec.api.proto.Task;
import dev.taskexec.executor.fake.FakeExecutor;

/** A fake executor that re-adopts but whose reaper (the default method) reaps nothing: the bug RC-6 catches. */
final class NoReaper implements Executor, TaskRecovery {

    private final FakeExecutor delegate;

    NoReaper(FakeExecutor delegate) {
        this.delegate = delegate;
    }

    @Override
    public NodeDescription describe() {
        return delegate.describe();
    }

    @Override
    public void configure(Node node) {
        delegate.configure(node);
    }

    @Override
    public Controller controller(Task task) throws Exception {
        return delegate.controller(task);
    }

    @Override
    public void close() {
        delegate.close();
    }
}

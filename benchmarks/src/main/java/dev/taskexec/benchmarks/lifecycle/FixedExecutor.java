package dev.taskexec.benchmarks.lifecycle;

import dev.taskexec.api.Controller;
import dev.taskexec.api.Executor;
import dev.taskexec.api.proto.Node;
import dev.taskexec.api.proto.NodeDescription;
import dev.taskexec.api.proto.Task;

/**
 * An executor that hands out one controller made up front, or throws one exception made up
 * front, so {@code Lifecycle.resolve} is measured without a backend's cost. Thread-safe
 * (immutable).
 */
final class FixedExecutor implements Executor {

    private final Controller controller;
    private final Exception failure;

    private FixedExecutor(Controller controller, Exception failure) {
        this.controller = controller;
        this.failure = failure;
    }

    /** An executor whose {@code controller(task)} always returns {@code controller}. */
    static FixedExecutor returning(Controller controller) {
        return new FixedExecutor(controller, null);
    }

    /** An executor whose {@code controller(task)} always throws {@code failure}. */
    static FixedExecutor throwing(Exception failure) {
        return new FixedExecutor(null, failure);
    }

    @Override
    public NodeDescription describe() {
        return NodeDescription.getDefaultInstance();
    }

    @Override
    public void configure(Node node) {}

    @Override
    public Controller controller(Task task) throws Exception {
        if (failure != null) {
            throw failure;
        }
        return controller;
    }
}

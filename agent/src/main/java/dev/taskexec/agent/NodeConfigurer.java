package dev.taskexec.agent;

import dev.taskexec.agent.session.SessionObserver;
import dev.taskexec.api.Executor;
import dev.taskexec.api.proto.Node;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the executor which node it runs as ({@link Executor#configure}) whenever the manager's
 * record of the node changes, as swarmkit's agent configures its executor: the first record of a
 * session, and then each that differs in more than its version and status (which change with every
 * heartbeat the manager counts). The calls run in order on a thread of their own, since session
 * callbacks must not block and a backend may ask its runtime; a failure is logged, and the next
 * change tries again.
 */
final class NodeConfigurer implements SessionObserver, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeConfigurer.class);

    private final Executor executor;
    private final ExecutorService thread =
            Executors.newSingleThreadExecutor(
                    Thread.ofPlatform().daemon().name("taskexec-node-configure").factory());

    /** The last record handed to the executor, without meta and status; the session thread's. */
    private Node configured;

    private final java.util.concurrent.atomic.AtomicInteger handedOver =
            new java.util.concurrent.atomic.AtomicInteger();

    NodeConfigurer(Executor executor) {
        this.executor = executor;
    }

    @Override
    public void nodeUpdated(Node node) {
        Node stable = node.toBuilder().clearMeta().clearStatus().build();
        if (stable.equals(configured)) {
            return;
        }
        configured = stable;
        handedOver.incrementAndGet();
        try {
            thread.execute(
                    () -> {
                        try {
                            executor.configure(node);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } catch (Exception e) {
                            LOG.warn(
                                    "the executor could not be configured for node {}: {}",
                                    node.getId(),
                                    e.toString());
                        }
                    });
        } catch (RejectedExecutionException closed) {
            // the node is closing: no backend needs its record any more
        }
    }

    /** How many records were handed to the executor; for tests. */
    int handedOver() {
        return handedOver.get();
    }

    /** Stops taking records; one being handed over finishes on its own. Idempotent. */
    @Override
    public void close() {
        thread.shutdown();
    }
}

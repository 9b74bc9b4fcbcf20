package dev.taskexec.agent;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * Starts a node's dispatcher session: what {@link SwarmNode} uses to register with the swarm,
 * receive assignments for its {@link SwarmNode#worker() worker} and report statuses, reaching
 * managers only through {@link SwarmNode#channels()} and telling the identity layer what it learns
 * through {@link SwarmNode#sessionObserver()}.
 */
@API(status = EXPERIMENTAL, since = "0.1")
@FunctionalInterface
public interface SessionStarter {

    /**
     * Starts the session for {@code node} and returns at once; the session runs (and re-registers
     * after failures) on its own threads until the returned handle is closed.
     *
     * @throws Exception if the session cannot be started at all (not for a manager that does not
     *     answer: that is retried inside the session)
     */
    AutoCloseable start(SwarmNode node) throws Exception;
}

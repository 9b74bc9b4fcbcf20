package dev.taskexec.api;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * Hands out one {@link LogPublisher} per log subscription, as swarmkit's agent does when a
 * manager subscribes to a task's logs.
 *
 * <p>The caller closes each publisher it is given when the subscription ends, whether the logs
 * ran out, the subscription was cancelled or publishing failed; that is how the receiving end
 * learns the subscription is complete.
 */
@API(status = STABLE, since = "0.1")
public interface LogPublisherProvider {

    /**
     * Opens the publisher for one subscription.
     *
     * @param subscriptionId the subscription's id, as the manager gave it
     * @return a publisher that the caller must close exactly once
     * @throws Exception if no publisher can be opened for the subscription
     */
    SubscriptionPublisher publisher(String subscriptionId) throws Exception;

    /**
     * A {@link LogPublisher} for one subscription, closed when the subscription is done.
     */
    interface SubscriptionPublisher extends LogPublisher, AutoCloseable {

        /**
         * Marks the subscription complete. Idempotent; does not throw.
         */
        @Override
        void close();
    }
}

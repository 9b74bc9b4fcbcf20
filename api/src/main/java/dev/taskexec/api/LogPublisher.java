package dev.taskexec.api;

import static org.apiguardian.api.API.Status.STABLE;

import dev.taskexec.api.proto.LogMessage;
import org.apiguardian.api.API;

/**
 * Receives log messages, one at a time and in order.
 */
@API(status = STABLE, since = "0.1")
@FunctionalInterface
public interface LogPublisher {

    /**
     * Takes one message. May block (to apply back-pressure); must honour interruption.
     *
     * @param message the message; never {@code null}
     * @throws Exception if the message cannot be taken; the producer stops publishing to this
     *     publisher
     */
    void publish(LogMessage message) throws Exception;
}

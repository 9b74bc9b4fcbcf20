package dev.taskexec.api;

import dev.taskexec.api.proto.LogMessage;

/**
 * Receives log messages, one at a time and in order.
 */
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

package dev.taskexec.api;

import static org.apiguardian.api.API.Status.STABLE;

import dev.taskexec.api.proto.LogSubscriptionOptions;
import org.apiguardian.api.API;

/**
 * Capability of a {@link Controller} whose task's output can be read back.
 *
 * <p>Found with {@code instanceof} on a controller.
 */
@API(status = STABLE, since = "0.1")
public interface ControllerLogs {

    /**
     * Publishes the task's log messages, oldest first.
     *
     * <p>The options are honoured with swarmkit's meaning, which is not Docker's:
     * <ul>
     *   <li>{@code streams}: only messages of these streams; empty means all.</li>
     *   <li>{@code tail}: {@code 0} means every message; a positive {@code n} skips the first
     *       {@code n} messages; a negative {@code n} publishes only the last {@code -n - 1} messages,
     *       so {@code -1} publishes none of the existing ones (typical with {@code follow}),
     *       {@code -2} the last one, {@code -11} the last ten.</li>
     *   <li>{@code since}: only messages timestamped strictly after it.</li>
     *   <li>{@code follow}: without it, return after the last message already written; with it,
     *       keep publishing new messages, and return once the task's output has ended and every
     *       message has been published, or throw when the thread is interrupted.</li>
     * </ul>
     * A backend that keeps a bounded buffer applies {@code tail} to what it still holds.
     *
     * <p>Each message carries its context (task, service and node ids), stream, timestamp and
     * data. A publisher that throws ends the call with that exception; the task is not affected.
     *
     * @param publisher receives each message, on the calling thread
     * @param options what to publish
     * @throws InterruptedException if interrupted, in particular to end a {@code follow}
     * @throws Exception if the logs cannot be read, or the publisher failed
     */
    void logs(LogPublisher publisher, LogSubscriptionOptions options) throws Exception;
}

package dev.taskexec.executor.docker;

import dev.taskexec.api.Controller;
import dev.taskexec.api.ControllerLogs;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A follower of a task's logs ({@code follow} set) on a virtual thread of its own, collecting each
 * message's data as a string, for the tests that cut or restart the engine under it.
 */
final class LineFollower {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Thread thread;

    private LineFollower(Controller controller) {
        thread =
                Thread.ofVirtual()
                        .start(
                                () -> {
                                    try {
                                        ((ControllerLogs) controller)
                                                .logs(
                                                        m -> lines.add(m.getData().toStringUtf8()),
                                                        LogSubscriptionOptions.newBuilder()
                                                                .setFollow(true)
                                                                .build());
                                    } catch (Exception e) {
                                        failure.set(e);
                                    }
                                });
    }

    /** Starts following {@code controller}'s logs; returns at once. */
    static LineFollower follow(Controller controller) {
        return new LineFollower(controller);
    }

    /** The messages received so far, in order; a live view. */
    List<String> lines() {
        return lines;
    }

    /** Waits up to {@code timeout} for the follow to end; whether it has. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        return thread.join(timeout);
    }

    /** What the follow threw, or null. */
    Exception failure() {
        return failure.get();
    }
}

package dev.taskexec.agent.swarm;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/** Waits on a condition of the real swarm, seen through the Docker CLI, with a deadline. */
final class Await {

    private Await() {}

    /** Polls {@code condition} every 250 ms until it holds; an {@link AssertionError} naming {@code what} after {@code limit}. */
    static void until(String what, Duration limit, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "timed out after " + limit.toSeconds() + " s waiting for " + what);
            }
            LockSupport.parkNanos(
                    Duration.ofMillis(250)
                            .toNanos()); // polling interval of a condition with a deadline
            if (Thread.currentThread().isInterrupted()) {
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}

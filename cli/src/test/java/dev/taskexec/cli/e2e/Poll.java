package dev.taskexec.cli.e2e;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition with a deadline, for the few things the tests cannot be told about (another
 * process's output, a process disappearing): checks every 20 ms and fails with {@code what} when
 * the deadline passes.
 */
final class Poll {

    private Poll() {}

    private static final long INTERVAL_MILLIS = 20;

    /**
     * @throws AssertionError if {@code condition} is still false after {@code timeout}
     * @throws InterruptedException if interrupted while waiting
     */
    static void until(String what, BooleanSupplier condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(INTERVAL_MILLIS);
        }
    }
}

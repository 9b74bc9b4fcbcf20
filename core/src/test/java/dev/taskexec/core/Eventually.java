package dev.taskexec.core;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, so a hang fails the test instead of the build. */
final class Eventually {

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private Eventually() {}

    static void until(BooleanSupplier condition, Supplier<String> what) {
        until(TIMEOUT, condition, what);
    }

    static void until(Duration timeout, BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + timeout + " waiting for: " + what.get());
            }
            // polls the condition; this is not synchronisation, the deadline above bounds it
            LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
        }
    }
}

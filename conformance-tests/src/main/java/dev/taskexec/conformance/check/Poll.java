package dev.taskexec.conformance.check;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.apiguardian.api.API;

/**
 * Waits for a condition with a deadline, checking it every few milliseconds. Used
 * where the kit observes something it cannot be notified of (a probe's view of
 * the machine, a log line arriving).
 */
@API(status = INTERNAL, since = "0.1")
public final class Poll {

    private Poll() {}

    /**
     * Evaluates {@code probe} until {@code done} accepts its value or {@code limit}
     * passes, and returns the last value seen (accepted or not).
     */
    public static <T> T until(Duration limit, Callable<T> probe, Predicate<? super T> done)
            throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        long pause = 5;
        while (true) {
            T value = probe.call();
            if (done.test(value) || System.nanoTime() >= deadline) {
                return value;
            }
            Thread.sleep(pause);
            pause = Math.min(100, pause * 2);
        }
    }
}

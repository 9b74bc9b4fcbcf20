package dev.taskexec.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.apiguardian.api.API;

/**
 * How long a {@link TaskRunner} waits before stepping a task again after a
 * {@link Step.Outcome#RETRY RETRY}: exponential backoff with full jitter.
 *
 * <p>The {@code n}-th consecutive retry (counting from 0) waits a uniformly random duration in
 * {@code [0, min(max, initial × multiplier^n))}. Full jitter spreads the retries of many tasks
 * that failed together (a daemon restart, say) instead of having them all hit the backend again in
 * the same instant; the exponential ceiling keeps a task that keeps failing from burning CPU. The
 * count restarts at 0 whenever the task progresses or receives an update.
 *
 * <p>swarmkit waited a flat second and left jitter as a to-do; {@link #defaults()} starts lower so
 * that a transient failure costs little, and caps at ten seconds so that a recovered backend is
 * noticed soon.
 *
 * @param initial the ceiling of the first wait; positive
 * @param max the largest ceiling; at least {@code initial}
 * @param multiplier how much the ceiling grows per consecutive retry; finite and at least 1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record BackoffPolicy(Duration initial, Duration max, double multiplier) {

    /**
     * @throws NullPointerException if {@code initial} or {@code max} is null
     * @throws IllegalArgumentException naming the parameter, if {@code initial} is not positive,
     *     {@code max} is less than {@code initial}, or {@code multiplier} is not a finite number
     *     of at least 1
     */
    public BackoffPolicy {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial must be positive, was " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException(
                    "max must be at least initial (" + initial + "), was " + max);
        }
        if (!Double.isFinite(multiplier) || multiplier < 1.0) {
            throw new IllegalArgumentException(
                    "multiplier must be a finite number of at least 1, was " + multiplier);
        }
    }

    /** 100 ms initial ceiling, doubling per retry, capped at 10 s. */
    public static BackoffPolicy defaults() {
        return new BackoffPolicy(Duration.ofMillis(100), Duration.ofSeconds(10), 2.0);
    }

    /**
     * The ceiling of the wait before retry number {@code attempt}: {@code min(max, initial ×
     * multiplier^attempt)}, without jitter.
     *
     * @param attempt the number of consecutive retries before this one; not negative
     * @throws IllegalArgumentException if {@code attempt} is negative
     */
    public Duration ceiling(int attempt) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must not be negative, was " + attempt);
        }
        double nanos = initial.toNanos() * Math.pow(multiplier, attempt);
        long maxNanos = max.toNanos();
        // Math.pow overflows to infinity long before a long would; compare as doubles first.
        return nanos >= maxNanos ? max : Duration.ofNanos((long) nanos);
    }

    /**
     * The wait before retry number {@code attempt}: a uniformly random fraction, drawn from
     * {@code random.nextDouble()}, of {@link #ceiling(int) ceiling(attempt)}.
     *
     * @param attempt the number of consecutive retries before this one; not negative
     * @param random the source of jitter; it is called from many threads when shared, so it must
     *     be thread-safe
     * @return a duration in {@code [0, ceiling(attempt))}
     * @throws IllegalArgumentException if {@code attempt} is negative
     */
    public Duration delay(int attempt, RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        long ceiling = ceiling(attempt).toNanos();
        double fraction = random.nextDouble();
        if (!(fraction >= 0.0 && fraction < 1.0)) {
            throw new IllegalStateException(
                    "random.nextDouble() must return a value in [0, 1), returned " + fraction);
        }
        return Duration.ofNanos((long) (ceiling * fraction));
    }
}

package dev.taskexec.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.taskexec.api.Controller;
import dev.taskexec.api.Errors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.apiguardian.api.API;

/**
 * Removes a task's resources with {@link Controller#remove()}, outlasting an outage of the runtime
 * behind the controller (a Docker Engine restarting, say) up to a deadline.
 *
 * <p>A {@linkplain Errors#isTemporary(Throwable) temporary} failure (the runtime cannot be reached)
 * is retried after a backoff delay ({@link BackoffPolicy}, full jitter) until {@code remove}
 * succeeds or the deadline passes; no attempt starts after the deadline, and the wait before the
 * last one is shortened to end at it. Any other failure is final at once: the runtime answered and
 * refused, and asking again would only delay the report. {@code remove} is idempotent by contract,
 * so repeating it after a failure that may have come half-way is safe.
 *
 * <p>The deadline bounds the retrying, not a single attempt: an attempt in progress at the deadline
 * ends when the controller's own call does. Stateless apart from its configuration; thread-safe.
 *
 * @param deadline how long to keep retrying, from the first attempt; not negative
 * @param backoff the delays between attempts
 * @param sleeper waits out the delays; interrupting it stops the removal
 * @param clock measures the deadline
 * @param random draws the jitter
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Removal(
        Duration deadline,
        BackoffPolicy backoff,
        Sleeper sleeper,
        Clock clock,
        RandomGenerator random) {

    /** Clean-up retries start at 100 ms and grow to 2 s, so a runtime that is back is used soon. */
    public static final BackoffPolicy BACKOFF =
            new BackoffPolicy(Duration.ofMillis(100), Duration.ofSeconds(2), 2.0);

    /**
     * How a removal ended.
     *
     * @param removed whether {@code remove} succeeded
     * @param attempts how many times {@code remove} was called
     * @param failure the last failure when not removed; empty when removed
     */
    public record Result(boolean removed, int attempts, Optional<Exception> failure) {

        /** @throws NullPointerException if {@code failure} is null */
        public Result {
            Objects.requireNonNull(failure, "failure");
        }
    }

    /**
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code deadline} is negative
     */
    public Removal {
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(sleeper, "sleeper");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        if (deadline.isNegative()) {
            throw new IllegalArgumentException("deadline must not be negative, was " + deadline);
        }
    }

    /** A removal that retries for up to {@code deadline} with {@link #BACKOFF}, in real time. */
    public static Removal within(Duration deadline) {
        return new Removal(
                deadline, BACKOFF, Sleeper.SYSTEM, Clock.systemUTC(), ThreadLocalRandom.current());
    }

    /**
     * Removes, retrying temporary failures as described on the class.
     *
     * @param controller the task's controller; not closed here
     * @param onRetry told of each temporary failure that will be retried, before the wait (on this
     *     thread), so the caller can say that the clean-up is waiting for the runtime
     * @return whether it was removed, after how many attempts, and the last failure if not
     * @throws InterruptedException if interrupted while removing or waiting; nothing more is tried
     */
    public Result remove(Controller controller, Consumer<Exception> onRetry)
            throws InterruptedException {
        Objects.requireNonNull(controller, "controller");
        Objects.requireNonNull(onRetry, "onRetry");
        Instant giveUp = clock.instant().plus(deadline);
        int attempts = 0;
        while (true) {
            attempts++;
            try {
                controller.remove();
                return new Result(true, attempts, Optional.empty());
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                if (Errors.find(e, InterruptedException.class).isPresent()) {
                    InterruptedException interrupted =
                            new InterruptedException("removal interrupted");
                    interrupted.initCause(e);
                    throw interrupted;
                }
                Duration left = Duration.between(clock.instant(), giveUp);
                if (!Errors.isTemporary(e) || left.isNegative() || left.isZero()) {
                    return new Result(false, attempts, Optional.of(e));
                }
                onRetry.accept(e);
                Duration delay = backoff.delay(attempts - 1, random);
                sleeper.sleep(delay.compareTo(left) < 0 ? delay : left);
            }
        }
    }
}

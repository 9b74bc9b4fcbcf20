package dev.taskexec.agent.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.random.RandomGenerator;

/**
 * When the next registration may be attempted: swarmkit's agent backoff (a random delay below a
 * bound that starts at {@value #INITIAL_MS} ms and grows as {@code 100 ms + 2 × bound} up to
 * {@value #MAX_MS} ms, reset by a successful registration), and never a fourth attempt within
 * {@link #WINDOW} of three earlier ones, since a manager refuses more than
 * {@value #MAX_IN_WINDOW} registrations of one node in 8 s with {@code UNAVAILABLE}, which would
 * only restart the backoff.
 *
 * <p>Not thread-safe: used by the session's own thread only.
 */
final class RegistrationPacer {

    static final long INITIAL_MS = 100;
    static final long MAX_MS = 8_000;
    static final int MAX_IN_WINDOW = 3;

    /** The manager's window, plus a margin for clock skew between the two processes. */
    static final Duration WINDOW = Duration.ofMillis(8_000 + 250);

    private final Clock clock;
    private final RandomGenerator random;
    private final Deque<Instant> attempts = new ArrayDeque<>();
    private long boundMs;

    RegistrationPacer(Clock clock, RandomGenerator random) {
        this.clock = clock;
        this.random = random;
    }

    /** How long to wait before the next attempt, from now. */
    Duration delay() {
        long backoff = boundMs == 0 ? 0 : random.nextLong(boundMs);
        long window = 0;
        if (attempts.size() >= MAX_IN_WINDOW) {
            Instant oldest = attempts.peekFirst();
            window = Math.max(0, Duration.between(clock.instant(), oldest.plus(WINDOW)).toMillis());
        }
        return Duration.ofMillis(Math.max(backoff, window));
    }

    /** Records an attempt made now. */
    void attempted() {
        attempts.addLast(clock.instant());
        while (attempts.size() > MAX_IN_WINDOW) {
            attempts.removeFirst();
        }
    }

    /** A registration succeeded: the backoff starts again from nothing. */
    void registered() {
        boundMs = 0;
    }

    /** A session or an attempt failed: the backoff grows. */
    void failed() {
        boundMs = Math.min(INITIAL_MS + 2 * boundMs, MAX_MS);
    }

    long boundMillis() {
        return boundMs;
    }
}

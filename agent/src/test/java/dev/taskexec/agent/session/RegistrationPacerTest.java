package dev.taskexec.agent.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RegistrationPacerTest {

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void backoffGrowsFromAHundredMillisecondsToEightSecondsAndResetsOnRegistration() {
        RegistrationPacer pacer =
                new RegistrationPacer(new MovableClock(), new SplittableRandom(1));
        assertEquals(Duration.ZERO, pacer.delay(), "the first attempt is immediate");
        long[] expected = {100, 300, 700, 1500, 3100, 6300, 8000, 8000};
        for (long bound : expected) {
            pacer.failed();
            assertEquals(bound, pacer.boundMillis());
            Duration d = pacer.delay();
            assertTrue(d.toMillis() >= 0 && d.toMillis() < bound, d + " not below " + bound);
        }
        pacer.registered();
        assertEquals(Duration.ZERO, pacer.delay());
    }

    @Test
    void neverAFourthAttemptWithinEightSecondsOfThreeOthers() {
        MovableClock clock = new MovableClock();
        RegistrationPacer pacer = new RegistrationPacer(clock, new SplittableRandom(1));
        for (int i = 0; i < 3; i++) {
            assertEquals(Duration.ZERO, pacer.delay());
            pacer.attempted();
            pacer.registered(); // sessions that registered and broke at once: no backoff
            clock.now = clock.now.plusMillis(100);
        }
        Duration wait = pacer.delay();
        // the first attempt was 300 ms ago: wait until 8 s after it, plus the margin
        assertEquals(RegistrationPacer.WINDOW.minusMillis(300), wait);
        clock.now = clock.now.plus(wait);
        assertEquals(Duration.ZERO, pacer.delay());
        pacer.attempted();
        // now the window holds attempts 2..4; the next must wait for attempt 2's window
        assertEquals(Duration.ofMillis(100), pacer.delay());
    }
}

package dev.taskexec.agent.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RenewalScheduleTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void renewsBetweenHalfAndEightyPercentOfTheLifetime() {
        qt().forAll(longs().between(2, 10_000_000), longs().all())
                .checkAssert(
                        (lifetimeSeconds, seed) -> {
                            Instant notAfter = START.plusSeconds(lifetimeSeconds);
                            Duration delay =
                                    RenewalSchedule.delay(START, notAfter, START, new Random(seed));
                            long millis = delay.toMillis();
                            long lifetime = lifetimeSeconds * 1000;
                            if (millis < lifetime / 2 || millis > lifetime * 8 / 10 + 1) {
                                throw new AssertionError(
                                        delay + " outside 50-80% of " + lifetimeSeconds + "s");
                            }
                        });
    }

    @Test
    void anOverdueOrExpiredCertificateIsRenewedAtOnce() {
        Instant notAfter = START.plus(Duration.ofDays(90));
        assertEquals(
                Duration.ZERO,
                RenewalSchedule.delay(
                        START, notAfter, START.plus(Duration.ofDays(80)), new Random(1)));
        assertEquals(
                Duration.ZERO,
                RenewalSchedule.delay(START, notAfter, notAfter.plusSeconds(1), new Random(1)));
        assertEquals(Duration.ZERO, RenewalSchedule.delay(notAfter, START, START, new Random(1)));
    }
}

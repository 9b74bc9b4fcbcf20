package dev.taskexec.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffPolicyTest {

    /** A jitter source that always draws {@code fraction}. */
    static RandomGenerator fixed(double fraction) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new AssertionError("only nextDouble is drawn");
            }

            @Override
            public double nextDouble() {
                return fraction;
            }
        };
    }

    @Test
    void ceilingGrowsGeometricallyUpToTheMaximum() {
        BackoffPolicy policy =
                new BackoffPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0);
        assertEquals(Duration.ofMillis(100), policy.ceiling(0));
        assertEquals(Duration.ofMillis(200), policy.ceiling(1));
        assertEquals(Duration.ofMillis(800), policy.ceiling(3));
        assertEquals(Duration.ofSeconds(1), policy.ceiling(4));
        assertEquals(Duration.ofSeconds(1), policy.ceiling(Integer.MAX_VALUE));
    }

    @Test
    void delayIsTheDrawnFractionOfTheCeiling() {
        BackoffPolicy policy =
                new BackoffPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 3.0);
        assertEquals(Duration.ofMillis(150), policy.delay(1, fixed(0.5)));
        assertEquals(Duration.ZERO, policy.delay(5, fixed(0.0)));
        assertThrows(IllegalStateException.class, () -> policy.delay(0, fixed(1.0)));
    }

    @Test
    void delayStaysBelowTheCeilingAndCeilingsNeverShrink() {
        qt().forAll(
                        longs().between(1, 10_000),
                        longs().between(0, 1_000_000),
                        doubles().between(1.0, 10.0),
                        integers().between(0, 200))
                .checkAssert(
                        (initialMs, extraMs, multiplier, attempt) -> {
                            BackoffPolicy policy =
                                    new BackoffPolicy(
                                            Duration.ofMillis(initialMs),
                                            Duration.ofMillis(initialMs + extraMs),
                                            multiplier);
                            Duration ceiling = policy.ceiling(attempt);
                            assertTrue(ceiling.compareTo(policy.max()) <= 0, "ceiling above max");
                            assertTrue(
                                    ceiling.compareTo(policy.ceiling(attempt + 1)) <= 0,
                                    "ceiling shrank");
                            Duration delay = policy.delay(attempt, fixed(Math.nextDown(1.0)));
                            assertTrue(
                                    !delay.isNegative() && delay.compareTo(ceiling) <= 0,
                                    "delay out of range");
                        });
    }

    @Test
    void badParametersAreNamed() {
        var zero =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new BackoffPolicy(Duration.ZERO, Duration.ofSeconds(1), 2));
        assertTrue(zero.getMessage().startsWith("initial"), zero.getMessage());
        var max =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new BackoffPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1), 2));
        assertTrue(max.getMessage().startsWith("max"), max.getMessage());
        var multiplier =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new BackoffPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 0.5));
        assertTrue(multiplier.getMessage().startsWith("multiplier"), multiplier.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new BackoffPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> BackoffPolicy.defaults().ceiling(-1));
    }
}

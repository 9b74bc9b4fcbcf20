package dev.taskexec.conformance.check;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.apiguardian.api.API;

/**
 * How hard and how long the kit tries. Read from system properties so a CI job can
 * raise the example counts without code changes:
 * {@code taskexec.conformance.examples} (property-test examples, default 10),
 * {@code taskexec.conformance.seed} (property-test seed, default random and printed on failure),
 * {@code taskexec.conformance.shrinkCycles} (default 20) and
 * {@code taskexec.conformance.callTimeoutSeconds} (deadline of every backend call, default 30).
 *
 * @param examples     examples per property test (RS-5 uses half as many, at least 2)
 * @param seed         the property tests' seed
 * @param shrinkCycles how many shrink attempts a failing property may make
 * @param callTimeout  the deadline of every call into the backend
 */
@API(status = INTERNAL, since = "0.1")
public record KitSettings(int examples, long seed, int shrinkCycles, Duration callTimeout) {

    /**
     * @throws IllegalArgumentException naming the system property, if {@code examples} is below 1,
     *                                  {@code shrinkCycles} is negative or {@code callTimeout} is not positive
     * @throws NullPointerException     if {@code callTimeout} is null
     */
    public KitSettings {
        if (examples < 1) {
            throw new IllegalArgumentException(
                    "taskexec.conformance.examples must be at least 1: " + examples);
        }
        if (shrinkCycles < 0) {
            throw new IllegalArgumentException(
                    "taskexec.conformance.shrinkCycles must not be negative: " + shrinkCycles);
        }
        if (callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "taskexec.conformance.callTimeoutSeconds must be positive: " + callTimeout);
        }
    }

    /**
     * Settings from the system properties, with defaults for those not set.
     *
     * @throws IllegalArgumentException naming the property if one is set to a bad value
     */
    public static KitSettings fromSystemProperties() {
        return new KitSettings(
                intProperty("taskexec.conformance.examples", 10),
                longProperty("taskexec.conformance.seed", ThreadLocalRandom.current().nextLong()),
                intProperty("taskexec.conformance.shrinkCycles", 20),
                Duration.ofSeconds(intProperty("taskexec.conformance.callTimeoutSeconds", 30)));
    }

    /** A copy with another example count. */
    public KitSettings withExamples(int examples) {
        return new KitSettings(examples, seed, shrinkCycles, callTimeout);
    }

    /** A copy with another seed. */
    public KitSettings withSeed(long seed) {
        return new KitSettings(examples, seed, shrinkCycles, callTimeout);
    }

    /** A copy with another call deadline. */
    public KitSettings withCallTimeout(Duration callTimeout) {
        return new KitSettings(examples, seed, shrinkCycles, callTimeout);
    }

    private static int intProperty(String name, int fallback) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer: '" + value + "'", e);
        }
    }

    private static long longProperty(String name, long fallback) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer: '" + value + "'", e);
        }
    }
}

package dev.taskexec.executor.fake;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration notation of scripts and provider options: a non-negative whole number and a unit,
 * {@code ns}, {@code us}, {@code ms}, {@code s}, {@code m} or {@code h} ({@code 250ms},
 * {@code 2s}); a bare {@code 0} is also accepted.
 */
final class DurationWord {

    private static final Pattern FORM = Pattern.compile("(\\d+)(ns|us|ms|s|m|h)");

    private DurationWord() {}

    /**
     * Reads a duration.
     *
     * @throws IllegalArgumentException if {@code text} is not in the notation
     */
    static Duration parse(String text) {
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "\""
                            + text
                            + "\" is not a duration (a whole number and ns, us, ms, s, m or h, like 250ms)");
        }
        try {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ns" -> Duration.ofNanos(n);
                case "us" -> Duration.ofNanos(Math.multiplyExact(n, 1_000L));
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("duration \"" + text + "\" is too long", e);
        }
    }

    /** Writes a duration in the largest unit that represents it exactly; {@link #parse} reads it back. */
    static String format(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("negative duration " + d);
        }
        long nanos;
        try {
            nanos = d.toNanos();
        } catch (ArithmeticException e) {
            return d.toSeconds() + "s";
        }
        if (nanos == 0) {
            return "0ms";
        }
        if (nanos % 3_600_000_000_000L == 0) {
            return nanos / 3_600_000_000_000L + "h";
        }
        if (nanos % 60_000_000_000L == 0) {
            return nanos / 60_000_000_000L + "m";
        }
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + "s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + "ms";
        }
        if (nanos % 1_000L == 0) {
            return nanos / 1_000L + "us";
        }
        return nanos + "ns";
    }
}

package dev.taskexec.api.support;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * The notation in which taskexec reads and writes durations wherever a person types one (command
 * options, executor options such as a default stop grace period): the way Docker and Go write
 * them, one or more numbers each with a unit, such as {@code 10s}, {@code 500ms}, {@code 1m},
 * {@code 1m30s} or {@code 1.5s}. Executor authors can use it for their own duration options, so
 * that every backend reads {@code -o KEY=1m30s} alike.
 *
 * <p>Units: {@code ns}, {@code us} (or {@code µs}), {@code ms}, {@code s}, {@code m}, {@code h}.
 * A bare {@code 0} is allowed; any other number needs a unit, because a bare {@code 10} is
 * ambiguous (seconds to a person, nanoseconds to Docker). Negative durations are refused: every
 * duration written this way is a period to wait. Precision is one nanosecond; finer fractions are
 * refused rather than rounded silently.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class DurationText {

    private DurationText() {}

    private static final Pattern PART =
            Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

    /**
     * Parses {@code text}.
     *
     * @param text the duration as written, surrounding blanks ignored
     * @return the duration, zero or positive
     * @throws IllegalArgumentException if it is not a duration; the message quotes it and shows
     *     the expected form
     */
    public static Duration parse(String text) {
        String s = text == null ? "" : text.strip();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.isEmpty()) {
            throw invalid(text, "it is empty");
        }
        if (s.startsWith("-")) {
            throw invalid(text, "it is negative");
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher m = PART.matcher(s);
        int at = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) {
                String rest = s.substring(at);
                throw invalid(
                        text,
                        rest.matches("\\d+(\\.\\d*)?")
                                ? "'" + rest + "' has no unit"
                                : "'" + rest + "' is not a number followed by a unit");
            }
            nanos =
                    nanos.add(
                            new BigDecimal(m.group(1))
                                    .multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
            at = m.end();
        }
        if (nanos.stripTrailingZeros().scale() > 0) {
            throw invalid(text, "it is finer than a nanosecond");
        }
        try {
            return Duration.ofNanos(nanos.longValueExact());
        } catch (ArithmeticException e) {
            throw invalid(text, "it is too long");
        }
    }

    /**
     * Writes a duration the way {@link #parse} reads it, compactly: {@code 10s}, {@code 1m30s},
     * {@code 500ms}, {@code 1.5s}.
     *
     * @param d a duration, zero or positive
     * @return its text
     */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        long hours = d.toHours();
        int minutes = d.toMinutesPart();
        if (hours > 0) {
            b.append(hours).append('h');
        }
        if (minutes > 0) {
            b.append(minutes).append('m');
        }
        Duration rest = d.minusHours(hours).minusMinutes(minutes);
        if (!rest.isZero()) {
            if (b.isEmpty() && rest.toSeconds() == 0) {
                BigDecimal ms =
                        BigDecimal.valueOf(rest.toNanos()).movePointLeft(6).stripTrailingZeros();
                b.append(ms.toPlainString()).append("ms");
            } else {
                BigDecimal s =
                        BigDecimal.valueOf(rest.toNanos()).movePointLeft(9).stripTrailingZeros();
                b.append(s.toPlainString()).append('s');
            }
        }
        return b.toString();
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> throw new IllegalStateException("unit " + unit);
        };
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException(
                "'"
                        + text
                        + "' is not a duration ("
                        + why
                        + "); write a number and a unit, such as 10s, 500ms, 1m or 1m30s (units: ns, us, ms, s, m, h)");
    }
}

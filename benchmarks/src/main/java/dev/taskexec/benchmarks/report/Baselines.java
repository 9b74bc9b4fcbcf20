package dev.taskexec.benchmarks.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The baseline convention of this module, as the report applies it (the prose version is in
 * {@code benchmarks/README.md} and the {@code dev.taskexec.benchmarks} package documentation).
 *
 * <ul>
 *   <li>A benchmark class measures one operation.</li>
 *   <li>Its {@code @Benchmark} methods named {@code baseline}, or {@code baseline} followed by
 *       an upper-case letter or {@code _} ({@code baselineProcessBuilder}, {@code baseline_cli}),
 *       are its <em>baselines</em>: the same operation done without taskexec.</li>
 *   <li>Every other {@code @Benchmark} method of the class is <em>measured</em> against every
 *       baseline of the same class from the same run that has the same mode and whose
 *       {@code @Param} values all equal the measured result's (a baseline may have fewer
 *       parameters, never different values).</li>
 *   <li>The ratio is a <em>cost</em> ratio: time per operation of the measured method divided
 *       by the baseline's, whatever the mode, so 1.00 is "as fast as the baseline" and 2.00 is
 *       "twice the time". Throughput scores are inverted before dividing.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class Baselines {

    private Baselines() {}

    /**
     * One measured result set against one of its baselines.
     *
     * @param baseline the baseline's result
     * @param costRatio the measured time per operation over the baseline's
     * @param allocDelta bytes per operation the measured method allocates beyond the baseline
     *     (negative when it allocates less); {@code NaN} when either ran without {@code -prof gc}
     */
    public record Comparison(JmhResult baseline, double costRatio, double allocDelta) {
        /** The baseline's short label: its method name without the {@code baseline} prefix. */
        public String label() {
            return Baselines.label(baseline.methodName());
        }
    }

    /** Whether a benchmark method with this simple name is a baseline under the convention. */
    public static boolean isBaseline(String methodName) {
        if (!methodName.startsWith("baseline")) {
            return false;
        }
        if (methodName.length() == "baseline".length()) {
            return true;
        }
        char next = methodName.charAt("baseline".length());
        return next == '_' || Character.isUpperCase(next);
    }

    /**
     * The label of a baseline method for the report: {@code baselineProcessBuilder} becomes
     * {@code processBuilder}, {@code baseline_cli} becomes {@code cli}, and a method named just
     * {@code baseline} keeps its name.
     *
     * @throws IllegalArgumentException if the method is not a baseline
     */
    public static String label(String methodName) {
        if (!isBaseline(methodName)) {
            throw new IllegalArgumentException("not a baseline method: " + methodName);
        }
        String rest = methodName.substring("baseline".length());
        if (rest.isEmpty()) {
            return methodName;
        }
        if (rest.charAt(0) == '_') {
            rest = rest.substring(1);
        }
        return rest.isEmpty()
                ? methodName
                : Character.toLowerCase(rest.charAt(0)) + rest.substring(1);
    }

    /**
     * The comparisons of {@code measured} with its baselines among {@code run}, in the order
     * the baselines appear in {@code run}. Empty when {@code measured} is itself a baseline,
     * when its class has none, or when no baseline's score could be compared (a zero score or
     * a unit the report does not know).
     */
    public static List<Comparison> compare(JmhResult measured, List<JmhResult> run) {
        if (isBaseline(measured.methodName())) {
            return List.of();
        }
        List<Comparison> comparisons = new ArrayList<>();
        for (JmhResult candidate : run) {
            if (candidate.className().equals(measured.className())
                    && isBaseline(candidate.methodName())
                    && candidate.mode().equals(measured.mode())
                    && paramsAgree(candidate.params(), measured.params())) {
                costRatio(measured, candidate)
                        .ifPresent(
                                ratio ->
                                        comparisons.add(
                                                new Comparison(
                                                        candidate,
                                                        ratio,
                                                        measured.allocBytesPerOp()
                                                                - candidate.allocBytesPerOp())));
            }
        }
        return List.copyOf(comparisons);
    }

    /**
     * Cost of {@code measured} relative to {@code baseline}, each converted to seconds per
     * operation first, so different {@code @OutputTimeUnit}s compare correctly.
     */
    static OptionalDouble costRatio(JmhResult measured, JmhResult baseline) {
        OptionalDouble m = secondsPerOp(measured.score(), measured.unit());
        OptionalDouble b = secondsPerOp(baseline.score(), baseline.unit());
        if (m.isEmpty()
                || b.isEmpty()
                || b.getAsDouble() == 0
                || !Double.isFinite(b.getAsDouble())) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(m.getAsDouble() / b.getAsDouble());
    }

    private static boolean paramsAgree(Map<String, String> baseline, Map<String, String> measured) {
        for (Map.Entry<String, String> p : baseline.entrySet()) {
            if (!p.getValue().equals(measured.get(p.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Converts a JMH score in {@code unit} ("ns/op", "ops/s", ...) into seconds per operation. */
    static OptionalDouble secondsPerOp(double score, String unit) {
        int slash = unit.indexOf('/');
        if (slash < 0) {
            return OptionalDouble.empty();
        }
        String left = unit.substring(0, slash);
        String right = unit.substring(slash + 1);
        if (right.equals("op")) {
            double per = seconds(left);
            return Double.isNaN(per) ? OptionalDouble.empty() : OptionalDouble.of(score * per);
        }
        if (left.equals("ops")) {
            double per = seconds(right);
            return Double.isNaN(per) || score == 0
                    ? OptionalDouble.empty()
                    : OptionalDouble.of(per / score);
        }
        return OptionalDouble.empty();
    }

    /** JMH's time unit abbreviations (TimeValue / ScoreFormatter), in seconds. */
    private static double seconds(String abbreviation) {
        return switch (abbreviation) {
            case "ns" -> 1e-9;
            case "us", "\u00b5s" -> 1e-6;
            case "ms" -> 1e-3;
            case "s" -> 1;
            case "min" -> 60;
            case "hr" -> 3600;
            case "day" -> 86400;
            default -> Double.NaN;
        };
    }
}

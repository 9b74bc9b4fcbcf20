package dev.taskexec.benchmarks.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of a JMH JSON result file: one benchmark method, in one mode, with one set of
 * {@code @Param} values.
 *
 * @param benchmark the fully qualified method, {@code package.Class.method}
 * @param mode JMH's short mode name: {@code avgt}, {@code thrpt}, {@code sample} or {@code ss}
 * @param params the {@code @Param} values, in JMH's order; empty when the benchmark has none
 * @param score the primary score
 * @param error the half-width of the 99.9% confidence interval; {@code NaN} when JMH could not
 *     compute one (a single measurement iteration, as in {@code quick} mode)
 * @param unit the primary score's unit, for example {@code ns/op} or {@code ops/s}
 * @param allocBytesPerOp bytes allocated per operation, from the GC profiler's
 *     {@code gc.alloc.rate.norm}; {@code NaN} when the run had no {@code -prof gc}
 */
public record JmhResult(
        String benchmark,
        String mode,
        Map<String, String> params,
        double score,
        double error,
        String unit,
        double allocBytesPerOp) {

    /** The GC profiler's secondary metric: bytes allocated per benchmark operation. */
    static final String ALLOC_NORM = "gc.alloc.rate.norm";

    /** Copies {@code params} so the record stays immutable. */
    public JmhResult {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** The benchmark class, fully qualified. */
    public String className() {
        return benchmark.substring(0, benchmark.lastIndexOf('.'));
    }

    /** The benchmark method's simple name. */
    public String methodName() {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    /**
     * Reads every result in a JMH JSON document (the top-level array that {@code -rf json}
     * writes).
     *
     * @throws IllegalArgumentException if the text is not JSON, or not shaped like JMH's
     *     output; the message names the first field that was missing or of the wrong type
     */
    public static List<JmhResult> parseAll(String json) {
        if (!(Json.parse(json) instanceof List<?> rows)) {
            throw new IllegalArgumentException(
                    "not a JMH result file: the top level is not a JSON array");
        }
        List<JmhResult> results = new ArrayList<>(rows.size());
        for (Object row : rows) {
            results.add(fromJson(row));
        }
        return List.copyOf(results);
    }

    private static JmhResult fromJson(Object row) {
        Map<?, ?> fields = asMap(row, "result");
        String benchmark = asString(fields.get("benchmark"), "benchmark");
        if (benchmark.indexOf('.') < 0) {
            throw new IllegalArgumentException(
                    "not a JMH result: benchmark '" + benchmark + "' has no class");
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (fields.get("params") != null) {
            asMap(fields.get("params"), benchmark + ".params")
                    .forEach((k, v) -> params.put(String.valueOf(k), String.valueOf(v)));
        }
        Map<?, ?> primary = asMap(fields.get("primaryMetric"), benchmark + ".primaryMetric");
        double alloc = Double.NaN;
        if (fields.get("secondaryMetrics") instanceof Map<?, ?> secondary) {
            for (Map.Entry<?, ?> metric : secondary.entrySet()) {
                // JMH before 1.36 prefixed secondary metric names with a middle dot.
                String name = String.valueOf(metric.getKey()).replace("\u00b7", "");
                if (name.equals(ALLOC_NORM)) {
                    alloc =
                            asDouble(
                                    asMap(metric.getValue(), benchmark + "." + ALLOC_NORM)
                                            .get("score"),
                                    benchmark + "." + ALLOC_NORM + ".score");
                }
            }
        }
        return new JmhResult(
                benchmark,
                asString(fields.get("mode"), benchmark + ".mode"),
                params,
                asDouble(primary.get("score"), benchmark + ".primaryMetric.score"),
                asDouble(primary.get("scoreError"), benchmark + ".primaryMetric.scoreError"),
                asString(primary.get("scoreUnit"), benchmark + ".primaryMetric.scoreUnit"),
                alloc);
    }

    private static Map<?, ?> asMap(Object value, String field) {
        if (value instanceof Map<?, ?> map) {
            return map;
        }
        throw new IllegalArgumentException("not a JMH result: " + field + " is not an object");
    }

    private static String asString(Object value, String field) {
        if (value instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("not a JMH result: " + field + " is not a string");
    }

    /** JMH writes NaN and infinities as strings, since JSON has no literal for them. */
    private static double asDouble(Object value, String field) {
        if (value instanceof Double d) {
            return d;
        }
        if (value instanceof String s) {
            switch (s) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
        }
        throw new IllegalArgumentException("not a JMH result: " + field + " is not a number");
    }
}

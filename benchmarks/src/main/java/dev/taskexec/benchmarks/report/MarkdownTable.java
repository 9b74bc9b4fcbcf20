package dev.taskexec.benchmarks.report;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Renders one run's results as a GitHub-flavoured Markdown table: benchmark, parameters, mode,
 * score, error, unit, bytes allocated per operation and, for each baseline (see
 * {@link Baselines}), the cost ratio and the difference in bytes allocated per operation.
 *
 * <p>Rows keep the order of the result file (JMH sorts by benchmark, then parameters), so a
 * class's baselines stand beside its measured methods. Stateless and thread-safe.
 */
public final class MarkdownTable {

    /** The package every benchmark of this module lives under; dropped from names to keep rows short. */
    static final String ROOT_PACKAGE = "dev.taskexec.benchmarks.";

    private MarkdownTable() {}

    /** The table, a header line and one line per result, each ending in a newline. */
    public static String render(List<JmhResult> run) {
        StringBuilder out = new StringBuilder();
        out.append(
                "| Benchmark | Params | Mode | Score | Error | Unit | Alloc B/op | vs baseline: cost ratio (alloc difference) |\n");
        out.append("|---|---|---|---:|---:|---|---:|---|\n");
        for (JmhResult r : run) {
            out.append("| ")
                    .append(cell(shortName(r.benchmark())))
                    .append(" | ")
                    .append(cell(params(r)))
                    .append(" | ")
                    .append(r.mode())
                    .append(" | ")
                    .append(number(r.score()))
                    .append(" | ")
                    .append(Double.isNaN(r.error()) ? "" : "± " + number(r.error()))
                    .append(" | ")
                    .append(cell(r.unit()))
                    .append(" | ")
                    .append(bytes(r.allocBytesPerOp()))
                    .append(" | ")
                    .append(cell(versus(r, run)))
                    .append(" |\n");
        }
        return out.toString();
    }

    /**
     * The classes of the run that have measured methods but no baseline, fully qualified, in
     * order of first appearance. The convention requires a baseline for every backend benchmark;
     * the report lists the exceptions rather than hiding them.
     */
    public static Set<String> classesWithoutBaseline(List<JmhResult> run) {
        Set<String> withBaseline =
                run.stream()
                        .filter(r -> Baselines.isBaseline(r.methodName()))
                        .map(JmhResult::className)
                        .collect(Collectors.toSet());
        Set<String> without = new LinkedHashSet<>();
        for (JmhResult r : run) {
            if (!withBaseline.contains(r.className())) {
                without.add(r.className());
            }
        }
        return without;
    }

    static String shortName(String benchmark) {
        return benchmark.startsWith(ROOT_PACKAGE)
                ? benchmark.substring(ROOT_PACKAGE.length())
                : benchmark;
    }

    private static String params(JmhResult r) {
        return r.params().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static String versus(JmhResult r, List<JmhResult> run) {
        if (Baselines.isBaseline(r.methodName())) {
            return "*baseline*";
        }
        return Baselines.compare(r, run).stream()
                .map(
                        c ->
                                String.format(
                                                Locale.ROOT,
                                                "%.2f\u00d7 %s",
                                                c.costRatio(),
                                                c.label())
                                        + allocDelta(c))
                .collect(Collectors.joining(", "));
    }

    /** The allocation beside the ratio: " (+24 B)", " (-1,024 B)", " (±0 B)", or nothing without -prof gc. */
    private static String allocDelta(Baselines.Comparison c) {
        double d = c.allocDelta();
        if (Double.isNaN(d)) {
            return "";
        }
        if (Math.abs(d) < 0.5) {
            return " (\u00b10 B)";
        }
        return String.format(Locale.ROOT, " (%+,.0f B)", d);
    }

    /** Three significant digits or more, never scientific notation: tables are read by people. */
    static String number(double x) {
        if (Double.isNaN(x)) {
            return "";
        }
        double abs = Math.abs(x);
        if (abs >= 100) {
            return String.format(Locale.ROOT, "%,.0f", x);
        }
        if (abs >= 10) {
            return String.format(Locale.ROOT, "%.1f", x);
        }
        if (abs >= 1) {
            return String.format(Locale.ROOT, "%.2f", x);
        }
        return String.format(Locale.ROOT, "%.3f", x);
    }

    /**
     * Bytes per operation. The GC profiler divides the thread's allocation over the iteration by
     * the operation count, so a path that allocates nothing still reads around 10<sup>-5</sup>
     * (JMH's own bookkeeping, spread thin): below 0.01 B/op we print "≈ 0".
     */
    static String bytes(double b) {
        if (Double.isNaN(b)) {
            return "";
        }
        if (b < 0.01) {
            return "\u2248 0";
        }
        if (b < 10) {
            return String.format(Locale.ROOT, "%.2f", b);
        }
        if (b < 1000) {
            return String.format(Locale.ROOT, "%.1f", b);
        }
        return String.format(Locale.ROOT, "%,.0f", b);
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}

package dev.taskexec.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.taskexec.benchmarks.report.Baselines;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Checks every benchmark compiled into this module against the convention written in the
 * {@code dev.taskexec.benchmarks} package documentation, from the list JMH's annotation
 * processor generates ({@code META-INF/BenchmarkList}).
 */
class BenchmarkConventionTest {

    /** Packages that measure taskexec's own code and need no baseline. */
    private static final Set<String> NO_BASELINE_NEEDED = Set.of("lifecycle", "worker");

    private static List<BenchmarkListEntry> benchmarks;

    @BeforeAll
    static void readBenchmarkList() {
        assertNotNull(
                BenchmarkConventionTest.class.getResource(BenchmarkList.BENCHMARK_LIST),
                "no META-INF/BenchmarkList: the JMH annotation processor did not run, or the module has no @Benchmark");
        benchmarks =
                List.copyOf(
                        BenchmarkList.defaultList()
                                .getAll(
                                        OutputFormatFactory.createFormatInstance(
                                                new PrintStream(PrintStream.nullOutputStream()),
                                                VerboseMode.SILENT),
                                        List.of()));
        assertFalse(benchmarks.isEmpty(), "the benchmark list is empty");
    }

    @Test
    void everyBenchmarkLivesInAnAreaPackage() {
        List<String> outside = new ArrayList<>();
        for (BenchmarkListEntry b : benchmarks) {
            if (area(b) == null) {
                outside.add(b.getUsername());
            }
        }
        assertEquals(List.of(), outside, "benchmarks must be in dev.taskexec.benchmarks.<area>");
    }

    @Test
    void everyBackendBenchmarkClassHasABaselineAndSomethingToCompareWithIt() {
        Map<String, int[]> perClass = new TreeMap<>(); // class -> {baselines, measured}
        for (BenchmarkListEntry b : benchmarks) {
            String area = area(b);
            if (area == null || NO_BASELINE_NEEDED.contains(area)) {
                continue;
            }
            int[] counts = perClass.computeIfAbsent(b.getUserClassQName(), k -> new int[2]);
            counts[Baselines.isBaseline(method(b)) ? 0 : 1]++;
        }
        List<String> broken = new ArrayList<>();
        perClass.forEach(
                (cls, counts) -> {
                    if (counts[0] == 0) {
                        broken.add(cls + " has no baseline* method");
                    }
                    if (counts[1] == 0) {
                        broken.add(cls + " has only baselines");
                    }
                });
        assertEquals(List.of(), broken);
    }

    @Test
    void everyBenchmarkDeclaresItsFullRunSettings() {
        List<String> missing = new ArrayList<>();
        for (BenchmarkListEntry b : benchmarks) {
            List<String> absent = new ArrayList<>();
            if (!b.getForks().hasValue()) {
                absent.add("@Fork");
            }
            if (!b.getWarmupIterations().hasValue()
                    || (b.getMode() != Mode.SingleShotTime && !b.getWarmupTime().hasValue())) {
                absent.add("@Warmup(iterations, time)");
            }
            if (!b.getMeasurementIterations().hasValue()
                    || (b.getMode() != Mode.SingleShotTime && !b.getMeasurementTime().hasValue())) {
                absent.add("@Measurement(iterations, time)");
            }
            if (!b.getTimeUnit().hasValue()) {
                absent.add("@OutputTimeUnit");
            }
            if (!absent.isEmpty()) {
                missing.add(b.getUsername() + " lacks " + String.join(", ", absent));
            }
        }
        assertEquals(List.of(), missing, "JMH's defaults would make `run.sh full` take hours");
    }

    /** The first package below dev.taskexec.benchmarks, or null when the class is not in one. */
    private static String area(BenchmarkListEntry b) {
        String cls = b.getUserClassQName();
        String root = "dev.taskexec.benchmarks.";
        if (!cls.startsWith(root)) {
            return null;
        }
        String rest = cls.substring(root.length());
        int dot = rest.indexOf('.');
        return dot < 0 ? null : rest.substring(0, dot);
    }

    private static String method(BenchmarkListEntry b) {
        return b.getUsername().substring(b.getUsername().lastIndexOf('.') + 1);
    }
}

package dev.taskexec.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BaselinesTest {

    @Test
    void namesABaselineByItsPrefixAtAWordBoundary() {
        assertTrue(Baselines.isBaseline("baseline"));
        assertTrue(Baselines.isBaseline("baselineProcessBuilder"));
        assertTrue(Baselines.isBaseline("baseline_cli"));
        assertFalse(Baselines.isBaseline("baselines"));
        assertFalse(Baselines.isBaseline("executor"));
        assertFalse(Baselines.isBaseline("noBaseline"));
    }

    @Test
    void labelsDropThePrefix() {
        assertEquals("processBuilder", Baselines.label("baselineProcessBuilder"));
        assertEquals("cli", Baselines.label("baseline_cli"));
        assertEquals("baseline", Baselines.label("baseline"));
        assertThrows(IllegalArgumentException.class, () -> Baselines.label("executor"));
    }

    @Test
    void comparesWithEveryBaselineOfTheClassInTheSameModeWithAgreeingParams() {
        JmhResult cli = result("d.C.baselineCli", "avgt", Map.of(), 800, "ms/op");
        JmhResult java = result("d.C.baselineDockerJava", "avgt", Map.of(), 400, "ms/op");
        JmhResult thrpt = result("d.C.baselineOther", "thrpt", Map.of(), 1, "ops/s");
        JmhResult elsewhere = result("d.Other.baseline", "avgt", Map.of(), 1, "ms/op");
        JmhResult executor = result("d.C.executor", "avgt", Map.of(), 500, "ms/op");
        List<Baselines.Comparison> got =
                Baselines.compare(executor, List.of(cli, java, thrpt, elsewhere, executor));
        assertEquals(2, got.size());
        assertEquals("cli", got.get(0).label());
        assertEquals(0.625, got.get(0).costRatio(), 1e-12);
        assertEquals("dockerJava", got.get(1).label());
        assertEquals(1.25, got.get(1).costRatio(), 1e-12);
        assertEquals(
                List.of(),
                Baselines.compare(cli, List.of(cli, java, executor)),
                "a baseline has no ratio");
    }

    @Test
    void aBaselineMayHaveFewerParamsButNeverOtherValues() {
        JmhResult base1 = result("p.S.baseline", "avgt", Map.of("lines", "1"), 2, "ns/op");
        JmhResult base9 = result("p.S.baseline", "avgt", Map.of("lines", "9"), 4, "ns/op");
        JmhResult measured =
                result("p.S.run", "avgt", Map.of("lines", "9", "tty", "true"), 8, "ns/op");
        List<Baselines.Comparison> got =
                Baselines.compare(measured, List.of(base1, base9, measured));
        assertEquals(1, got.size());
        assertEquals(2.0, got.get(0).costRatio(), 1e-12);
    }

    @Test
    void reportsTheAllocationBeyondTheBaseline() {
        JmhResult base =
                new JmhResult("l.P.baselineStatus", "avgt", Map.of(), 50, Double.NaN, "ns/op", 112);
        JmhResult step = new JmhResult("l.P.step", "avgt", Map.of(), 60, Double.NaN, "ns/op", 136);
        Baselines.Comparison c = Baselines.compare(step, List.of(base, step)).get(0);
        assertEquals(24.0, c.allocDelta(), 1e-12);
        assertEquals(1.2, c.costRatio(), 1e-12);
        assertTrue(
                Double.isNaN(
                        Baselines.compare(
                                        result("l.P.step", "avgt", Map.of(), 60, "ns/op"),
                                        List.of(base))
                                .get(0)
                                .allocDelta()),
                "no -prof gc on one side");
        assertEquals(
                "| l.P.step |  | avgt | 60.0 |  | ns/op | 136.0 | 1.20× status (+24 B) |",
                MarkdownTable.render(List.of(base, step)).lines().toList().get(3));
    }

    @Test
    void costRatioConvertsUnitsAndInvertsThroughput() {
        assertEquals(
                1.2,
                Baselines.costRatio(
                                result("a.B.m", "avgt", Map.of(), 1.8, "ms/op"),
                                result("a.B.baseline", "avgt", Map.of(), 1500, "us/op"))
                        .orElseThrow(),
                1e-12);
        assertEquals(
                4.0,
                Baselines.costRatio(
                                result("a.B.m", "thrpt", Map.of(), 250, "ops/s"),
                                result("a.B.baseline", "thrpt", Map.of(), 1000, "ops/s"))
                        .orElseThrow(),
                1e-12);
        assertEquals(
                2.0,
                Baselines.costRatio(
                                result("a.B.m", "thrpt", Map.of(), 500, "ops/ms"),
                                result("a.B.baseline", "thrpt", Map.of(), 1_000_000, "ops/s"))
                        .orElseThrow(),
                1e-12);
        assertTrue(
                Baselines.costRatio(
                                result("a.B.m", "avgt", Map.of(), 1, "B/op"),
                                result("a.B.baseline", "avgt", Map.of(), 1, "ns/op"))
                        .isEmpty(),
                "unknown unit");
        assertTrue(
                Baselines.costRatio(
                                result("a.B.m", "avgt", Map.of(), 1, "ns/op"),
                                result("a.B.baseline", "avgt", Map.of(), 0, "ns/op"))
                        .isEmpty(),
                "zero baseline");
    }

    private static JmhResult result(
            String name, String mode, Map<String, String> params, double score, String unit) {
        return new JmhResult(name, mode, params, score, Double.NaN, unit, Double.NaN);
    }
}

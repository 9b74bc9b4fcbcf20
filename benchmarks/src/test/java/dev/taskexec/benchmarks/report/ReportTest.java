package dev.taskexec.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    @TempDir Path dir;

    private static String sample() throws IOException {
        try (InputStream in = ReportTest.class.getResourceAsStream("sample-results.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsJmhJsonIncludingNaNErrorsAndTheAllocationMetric() throws IOException {
        List<JmhResult> run = JmhResult.parseAll(sample());
        assertEquals(11, run.size());
        JmhResult noop = run.get(3);
        assertEquals("dev.taskexec.benchmarks.lifecycle.Noop", noop.className());
        assertEquals("step", noop.methodName());
        assertEquals("READY", noop.params().get("state"));
        assertEquals(0.125, noop.error());
        assertEquals(1e-5, noop.allocBytesPerOp());
        assertTrue(Double.isNaN(run.get(1).error()));
        assertEquals(
                30000.0,
                run.get(1).allocBytesPerOp(),
                "the pre-1.36 metric name with a middle dot");
        assertTrue(Double.isNaN(run.get(8).allocBytesPerOp()), "no -prof gc");
    }

    @Test
    void rendersOneRowPerResultWithRatiosBesideTheirBaselines() throws IOException {
        String table = MarkdownTable.render(JmhResult.parseAll(sample()));
        List<String> lines = table.lines().toList();
        assertEquals(13, lines.size());
        assertEquals(
                "| docker.RunToExit.baselineCli |  | avgt | 800 | ± 20.0 | ms/op | 50,000 | *baseline* |",
                lines.get(2));
        assertEquals(
                "| docker.RunToExit.executor |  | avgt | 500 | ± 10.0 | ms/op | 40,000 | 0.63× cli (-10,000 B), 1.25× dockerJava (+10,000 B) |",
                lines.get(4));
        assertEquals(
                "| lifecycle.Noop.step | state=READY | avgt | 3.25 | ± 0.125 | ns/op | ≈ 0 |  |",
                lines.get(5));
        assertEquals(
                "| process.Spawn.executor | lines=1, tty=false | avgt | 1.80 |  | ms/op | 4,096 | 1.20× processBuilder (+2,048 B) |",
                lines.get(8));
        assertEquals(
                "| process.Spawn.executor | lines=1000, tty=false | avgt | 4.50 |  | ms/op | 8,192 | 1.50× processBuilder (+4,096 B) |",
                lines.get(9));
        assertEquals(
                "| worker.Throughput.assign |  | thrpt | 250 | ± 5.00 | ops/s |  | 4.00× baseline |",
                lines.get(11));
        assertEquals(
                "| other.pkg.Odd.run | cmd=a\\|b | avgt | 1,234,567 |  | ns/op | 12.5 |  |",
                lines.get(12));
    }

    @Test
    void listsClassesThatHaveNoBaseline() throws IOException {
        List<JmhResult> run = JmhResult.parseAll(sample());
        assertEquals(
                List.of("dev.taskexec.benchmarks.lifecycle.Noop", "other.pkg.Odd"),
                List.copyOf(MarkdownTable.classesWithoutBaseline(run)));
        String md = Report.render("quick.json", run, "benchmarks/run.sh quick", "a machine");
        assertTrue(
                md.startsWith(
                        "## Benchmark results (quick.json)\n\nCommand: `benchmarks/run.sh quick`  \nMachine: a machine\n\n| Benchmark |"),
                md);
        assertTrue(md.endsWith("Without a baseline: lifecycle.Noop, other.pkg.Odd.\n"), md);
    }

    @Test
    void mainWritesTheReportToStdoutAndToOut() throws IOException {
        Path json = dir.resolve("r.json");
        Files.writeString(json, sample());
        Path md = dir.resolve("r.md");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                Report.run(
                        new String[] {json.toString(), "--out", md.toString()},
                        print(out),
                        print(err));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("| process.Spawn.executor |"), printed);
        assertEquals(printed, Files.readString(md));
        assertTrue(
                printed.contains(
                        "Machine: " + Runtime.getRuntime().availableProcessors() + " CPUs"),
                printed);
    }

    @Test
    void badInputIsOneLineOnStderrAndAStatus() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(
                1,
                Report.run(
                        new String[] {dir.resolve("missing.json").toString()},
                        print(new ByteArrayOutputStream()),
                        print(err)));
        assertEquals(
                "report: no such file: " + dir.resolve("missing.json") + "\n",
                err.toString(StandardCharsets.UTF_8));

        Path notJmh = dir.resolve("x.json");
        Files.writeString(notJmh, "{\"benchmark\": 1}");
        err.reset();
        assertEquals(
                1,
                Report.run(
                        new String[] {notJmh.toString()},
                        print(new ByteArrayOutputStream()),
                        print(err)));
        assertEquals(
                "report: "
                        + notJmh
                        + ": not a JMH result file: the top level is not a JSON array\n",
                err.toString(StandardCharsets.UTF_8));

        Files.writeString(notJmh, "[{\"benchmark\": \"a.B.c\", \"mode\": \"avgt\"}]");
        err.reset();
        assertEquals(
                1,
                Report.run(
                        new String[] {notJmh.toString()},
                        print(new ByteArrayOutputStream()),
                        print(err)));
        assertEquals(
                "report: " + notJmh + ": not a JMH result: a.B.c.primaryMetric is not an object\n",
                err.toString(StandardCharsets.UTF_8));

        err.reset();
        assertEquals(
                2, Report.run(new String[] {}, print(new ByteArrayOutputStream()), print(err)));
        assertTrue(
                err.toString(StandardCharsets.UTF_8)
                        .startsWith("report: no result file given\nusage: "));
        err.reset();
        assertEquals(
                2,
                Report.run(
                        new String[] {"a.json", "--bogus"},
                        print(new ByteArrayOutputStream()),
                        print(err)));
        assertTrue(
                err.toString(StandardCharsets.UTF_8)
                        .startsWith("report: unexpected argument '--bogus'\n"));
    }

    private static PrintStream print(ByteArrayOutputStream to) {
        return new PrintStream(to, true, StandardCharsets.UTF_8);
    }
}

package dev.taskexec.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code taskexec executors}, and a plugin jar found, run and certified through the launcher. */
class ExecutorsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void listsTheBuiltInBackendsAndWhetherTheyRunHere() throws Exception {
        Cli.Result r = Cli.run(TIMEOUT, "executors");

        assertEquals(0, r.exitCode(), r.toString());
        List<String> lines = r.stdout().lines().toList();
        assertTrue(
                lines.get(0).matches("NAME\\s+DESCRIPTION\\s+SOURCE\\s+RUNS HERE"), r.toString());
        for (String name : List.of("docker", "fake", "process")) {
            String row =
                    lines.stream()
                            .filter(l -> l.startsWith(name + " "))
                            .findFirst()
                            .orElseThrow(() -> new AssertionError("no row for " + name + "\n" + r));
            assertTrue(row.contains("built in (taskexec.jar)"), row);
            assertTrue(row.matches(".*  (yes|no: ).*"), row);
        }
        assertTrue(
                lines.stream().anyMatch(l -> l.startsWith("process ") && l.contains("  yes")),
                "the process backend runs anywhere\n" + r);
        assertTrue(r.stdout().contains("Options (-o KEY=VALUE):"), r.toString());
    }

    @Test
    void aPluginInThePluginsFolderIsListedAndRuns(@TempDir Path dir) throws Exception {
        Path jar = PluginJar.build(dir);
        Map<String, String> env = Map.of("TASKEXEC_PLUGINS", jar.getParent().toString());

        Cli.Result listed;
        try (Cli cli = Cli.launcher(dir, env, "executors")) {
            listed = cli.await(Duration.ofMinutes(5)); // the launcher may have to build the jar
        }
        assertEquals(0, listed.exitCode(), listed.toString());
        String row =
                listed.stdout()
                        .lines()
                        .filter(l -> l.startsWith(PluginJar.NAME + " "))
                        .findFirst()
                        .orElseThrow(
                                () -> new AssertionError("the plugin is not listed\n" + listed));
        assertTrue(row.contains(jar.toString()), row);
        assertTrue(row.contains("  yes"), row);

        Cli.Result ran;
        try (Cli cli =
                Cli.launcher(
                        dir,
                        Map.of("TASKEXEC_CLASSPATH", jar.toString()),
                        "run",
                        "-e",
                        PluginJar.NAME,
                        "--",
                        "fake",
                        "exit=7")) {
            ran = cli.await(TIMEOUT);
        }
        assertEquals(7, ran.exitCode(), ran.toString());
        assertEquals("FAILED", ran.states().get(ran.states().size() - 1), ran.toString());

        Path report = dir.resolve("plugin-report.json");
        Cli.Result certified;
        try (Cli cli =
                Cli.launcher(
                        dir,
                        env,
                        "conformance",
                        "-e",
                        PluginJar.NAME,
                        "--workloads",
                        "fake",
                        "--rules",
                        "LC-1,LC-2,EX-2",
                        "--report",
                        report.toString())) {
            certified = cli.await(Duration.ofMinutes(2));
        }
        assertEquals(0, certified.exitCode(), certified.toString());
        assertTrue(
                certified.stdout().contains("Executor '" + PluginJar.NAME + "' CONFORMS"),
                certified.toString());
        assertTrue(
                java.nio.file.Files.readString(report)
                        .contains("\"provider\": \"" + PluginJar.NAME + "\""));
    }
}

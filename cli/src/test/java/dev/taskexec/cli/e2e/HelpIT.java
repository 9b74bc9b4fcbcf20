package dev.taskexec.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --help} on every command, {@code --version}, and the launcher from another directory. */
class HelpIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void everyCommandHasHelpWithExamples() throws Exception {
        for (String[] args :
                new String[][] {
                    {"--help"},
                    {"run", "--help"},
                    {"executors", "--help"},
                    {"conformance", "--help"}
                }) {
            Cli.Result r = Cli.run(TIMEOUT, args);
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(r.stdout().contains("Usage: taskexec"), r.toString());
            assertTrue(r.stdout().contains("Examples:"), r.toString());
        }
    }

    @Test
    void noCommandIsAUsageError() throws Exception {
        Cli.Result r = Cli.run(TIMEOUT);

        assertEquals(2, r.exitCode(), r.toString());
        assertEquals(1, r.stderr().lines().count(), r.toString());
    }

    @Test
    void theLauncherWorksFromAnyDirectory(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("task.json"), "{\"spec\": {\"container\": {\"command\": [\"pwd\"]}}}");
        try (Cli cli = Cli.launcher(dir, Map.of(), "--version")) {
            Cli.Result r =
                    cli.await(Duration.ofMinutes(5)); // the launcher may have to build the jar
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(r.stdout().startsWith("taskexec "), r.toString());
        }
        try (Cli cli = Cli.launcher(dir, Map.of(), "run", "--task", "task.json")) {
            Cli.Result r = cli.await(TIMEOUT);
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals(
                    dir.toRealPath() + "\n",
                    r.stdout(),
                    "relative paths and the task's directory are the caller's\n" + r);
        }
    }
}

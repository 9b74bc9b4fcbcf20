package dev.taskexec.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command facing hostile input and a hostile host environment, end to end: the reproductions
 * of issue 16.
 */
class HostileInputIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** A task file whose healthcheck nests 10,000 objects used to kill the command with a StackOverflowError. */
    @Test
    void deeplyNestedTaskFileIsOneLineNotAStackTrace(@TempDir Path dir) throws Exception {
        Path file =
                Cli.write(
                        dir,
                        "deep.json",
                        "{\"spec\":{\"container\":{\"command\":[\"true\"],\"healthcheck\":"
                                + "{\"a\":".repeat(10_000)
                                + "1"
                                + "}".repeat(10_000)
                                + "}}}");

        Cli.Result r = Cli.run(TIMEOUT, "run", "--task", file.toString());

        assertEquals(125, r.exitCode(), r.toString());
        assertEquals(1, r.stderr().strip().lines().count(), r.toString());
        assertTrue(r.stderr().contains("deeper than 64 levels (maxDepth)"), r.toString());
        assertFalse(r.stderr().contains("Error") || r.stderr().contains("\tat "), r.toString());
    }

    /** A 1 MB argv string used to be echoed whole (20 MB of stderr for a few such errors). */
    @Test
    void hugeValuesAreQuotedShort(@TempDir Path dir) throws Exception {
        Path file =
                Cli.write(
                        dir,
                        "big.json",
                        "{\"spec\":{\"container\":{\"command\":[\"true\"],\"stopSignal\":\""
                                + "S".repeat(1_000_000)
                                + "\"}}}");

        Cli.Result r = Cli.run(TIMEOUT, "run", "--task", file.toString());

        assertEquals(125, r.exitCode(), r.toString());
        assertTrue(r.stderr().length() < 2048, r.stderr().length() + " characters of stderr");
        assertTrue(r.stderr().contains("spec.container.stop_signal"), r.stderr());
    }

    /** A credential exported before running taskexec used to be visible to the task. */
    @Test
    void theCallersSecretsDoNotReachTheTask() throws Exception {
        Map<String, String> env = Map.of("SECRET_TOKEN", "hunter2-from-the-caller");
        try (Cli cli = Cli.start(Path.of("").toAbsolutePath(), env, "run", "--", "env")) {
            Cli.Result r = cli.await(TIMEOUT);
            assertEquals(0, r.exitCode(), r.toString());
            assertFalse(r.stdout().contains("hunter2"), r.stdout());
            assertTrue(r.stdout().contains("PATH="), r.stdout());
        }
        try (Cli cli =
                Cli.start(
                        Path.of("").toAbsolutePath(),
                        env,
                        "run",
                        "-o",
                        "pass-env=SECRET_TOKEN",
                        "--",
                        "env")) {
            Cli.Result r = cli.await(TIMEOUT);
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(r.stdout().contains("SECRET_TOKEN=hunter2-from-the-caller"), r.stdout());
        }
    }
}

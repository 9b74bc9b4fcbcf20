package dev.taskexec.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher bounds the JVM's heap, sized from the log limits (cli/README.md, "Memory"), and a
 * heap option in {@code JAVA_OPTS} or {@code TASKEXEC_JAVA_OPTS} replaces the bound. The heap the
 * JVM really got is read from its own flags ({@code -XX:+PrintFlagsFinal}, printed on stdout).
 */
class LauncherMemoryIT {

    private static final Pattern MAX_HEAP = Pattern.compile("size_t MaxHeapSize\\s+=\\s+(\\d+)");
    private static final String PRINT_FLAGS = "-XX:+PrintFlagsFinal";

    @Test
    void theDefaultHeapIsSizedFromTheDefaultLogLimits(@TempDir Path dir) throws Exception {
        assertEquals(
                2 * (1 + 64) + 96,
                maxHeapMb(dir, Map.of("TASKEXEC_JAVA_OPTS", PRINT_FLAGS), "run", "--", "true"));
    }

    @Test
    void raisingTheLogLimitRaisesTheHeap(@TempDir Path dir) throws Exception {
        assertEquals(
                2 * (1 + 512) + 96,
                maxHeapMb(
                        dir,
                        Map.of("TASKEXEC_JAVA_OPTS", PRINT_FLAGS),
                        "run",
                        "-o",
                        "log-follow-lag=512m",
                        "--",
                        "true"));
    }

    @Test
    void aHeapOptionReplacesTheDefault(@TempDir Path dir) throws Exception {
        assertEquals(
                300,
                maxHeapMb(
                        dir,
                        Map.of("JAVA_OPTS", "-Xmx300m", "TASKEXEC_JAVA_OPTS", PRINT_FLAGS),
                        "run",
                        "--",
                        "true"));
        assertEquals(
                200,
                maxHeapMb(
                        dir,
                        Map.of(
                                "JAVA_OPTS",
                                "-Xmx300m",
                                "TASKEXEC_JAVA_OPTS",
                                "-Xmx200m " + PRINT_FLAGS),
                        "run",
                        "--",
                        "true"),
                "TASKEXEC_JAVA_OPTS comes last and wins");
    }

    private static long maxHeapMb(Path dir, Map<String, String> env, String... args)
            throws Exception {
        try (Cli cli = Cli.launcher(dir, env, args)) {
            Cli.Result r =
                    cli.await(Duration.ofMinutes(5)); // the launcher may have to build the jar
            assertEquals(0, r.exitCode(), r.toString());
            Matcher m = MAX_HEAP.matcher(r.stdout());
            if (!m.find()) {
                throw new AssertionError("no MaxHeapSize in the JVM's flags\n" + r);
            }
            return Long.parseLong(m.group(1)) >> 20;
        }
    }
}

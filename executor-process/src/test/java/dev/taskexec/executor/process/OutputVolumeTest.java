package dev.taskexec.executor.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Memory stays within the configured bounds whatever the volume and the reader's speed: a child JVM
 * with a 256 MiB heap ({@link OutputVolumeProbe}) pushes {@code yes} (2-byte lines, the worst case
 * per byte) through a task to a fast follower and to one that stops until the task has exited. The
 * fast one gets every byte; the stalled one gets the rest after its pause, and what it lost is
 * counted to the line in the notice it receives; in both, the heap's peak stays under 256 MiB.
 *
 * <p>The default sizes keep the build short (512 MB fast, 200 MB stalled); the 2 GB runs with
 * {@code -Dtaskexec.test.volumeBytes=2147483648}:
 * {@code bin/with-jdk ./mvnw -B -pl executor-process -am test -Dtest=OutputVolumeTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dtaskexec.test.volumeBytes=2147483648}.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class OutputVolumeTest {

    private static final long HEAP = 256L << 20;
    private static final long FAST_BYTES = Long.getLong("taskexec.test.volumeBytes", 512_000_000L);
    private static final long STALLED_BYTES = 200_000_000L;

    @Test
    void aFastReaderGetsEveryByteInABoundedHeap() throws Exception {
        Map<String, Long> r = probe("fast", FAST_BYTES);
        assertEquals(FAST_BYTES, r.get("bytes"), "every byte delivered: " + r);
        assertEquals(FAST_BYTES / 2, r.get("lines"), "every line delivered: " + r);
        assertEquals(0, r.get("dropped"), "nothing dropped for a fast reader: " + r);
        assertTrue(r.get("peakHeap") < HEAP, "peak heap under 256 MiB: " + r);
    }

    @Test
    void aStalledReaderLosesOnlyWhatItIsToldOfAndTheHeapStaysBounded() throws Exception {
        Map<String, Long> r = probe("stalled", STALLED_BYTES);
        long total = STALLED_BYTES / 2;
        assertTrue(
                r.get("dropped") > 0,
                "a reader stalled over 200 MB falls past the 64 MiB lag: " + r);
        assertEquals(
                total,
                r.get("lines") + r.get("dropped"),
                "every line delivered or counted as dropped: " + r);
        // it holds the window (1 MiB) and the lag (64 MiB of data and per-chunk costs) at most
        assertTrue(r.get("bytes") >= 64L << 20, "what the lag bound kept was delivered: " + r);
        assertTrue(r.get("peakHeap") < HEAP, "peak heap under 256 MiB: " + r);
    }

    private static Map<String, Long> probe(String mode, long bytes)
            throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p =
                new ProcessBuilder(
                                List.of(
                                        java.toString(),
                                        "-Xmx" + (HEAP >> 20) + "m",
                                        "-XX:+UseSerialGC",
                                        "--enable-native-access=ALL-UNNAMED",
                                        "-cp",
                                        System.getProperty("java.class.path"),
                                        OutputVolumeProbe.class.getName(),
                                        mode,
                                        Long.toString(bytes)))
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
        String out;
        try (var in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(200, TimeUnit.SECONDS), "the probe ends");
        assertEquals(0, p.exitValue(), "the probe JVM (-Xmx256m) succeeds; its output: " + out);
        Map<String, Long> values = new HashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(eq + 1).matches("\\d+")) {
                values.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1)));
            }
        }
        assertTrue(
                values.keySet().containsAll(List.of("bytes", "lines", "dropped", "peakHeap")), out);
        System.out.println("OutputVolumeTest " + mode + " " + bytes + " bytes: " + values);
        return values;
    }
}

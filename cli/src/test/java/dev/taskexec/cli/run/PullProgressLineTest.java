package dev.taskexec.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.executor.docker.PullProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pull progress line's text, from recorded engine messages. */
class PullProgressLineTest {

    private static final String IMAGE = "python:3.12-slim";
    private static final long MS = 1_000_000L;

    private static PullProgress p(String layer, String status, long current, long total) {
        return new PullProgress("t1", IMAGE, layer, status, current, total);
    }

    private static PullProgress p(String layer, String status) {
        return p(layer, status, 0, 0);
    }

    /** A pull of three layers, one already present, as an engine streams it (abridged). */
    static final List<PullProgress> RECORDED =
            List.of(
                    p("", "Pulling from library/python"),
                    p("2d429b9e73a6", "Already exists"),
                    p("5c8e1d4a9b21", "Pulling fs layer"),
                    p("8f3b7a1c0d55", "Pulling fs layer"),
                    p("5c8e1d4a9b21", "Waiting"),
                    p("8f3b7a1c0d55", "Downloading", 32_768, 3_511_245),
                    p("5c8e1d4a9b21", "Downloading", 120_000, 12_034_117),
                    p("8f3b7a1c0d55", "Downloading", 3_511_245, 3_511_245),
                    p("8f3b7a1c0d55", "Verifying Checksum"),
                    p("8f3b7a1c0d55", "Download complete"),
                    p("5c8e1d4a9b21", "Downloading", 6_000_000, 12_034_117),
                    p("5c8e1d4a9b21", "Download complete"),
                    p("8f3b7a1c0d55", "Extracting", 1_000_000, 3_511_245),
                    p("8f3b7a1c0d55", "Pull complete"),
                    p("5c8e1d4a9b21", "Extracting", 12_034_117, 12_034_117),
                    p("5c8e1d4a9b21", "Pull complete"),
                    p("", "Digest: sha256:0d4a8a3e0b1f5c"),
                    p("", "Status: Downloaded newer image for python:3.12-slim"));

    /** Every line drawn when each message comes {@code gapMs} after the one before. */
    private static List<String> drawn(List<PullProgress> messages, long gapMs, int width) {
        PullProgressLine line = new PullProgressLine(IMAGE, width, 0);
        List<String> lines = new ArrayList<>();
        long now = 0;
        for (PullProgress m : messages) {
            line.update(m, now).ifPresent(lines::add);
            now += gapMs * MS;
        }
        return lines;
    }

    @Test
    void aSlowPullShowsEveryChange() {
        assertEquals(
                List.of(
                        "taskexec: pulling python:3.12-slim: Pulling from library/python",
                        "taskexec: pulling python:3.12-slim: 1/1 layer",
                        "taskexec: pulling python:3.12-slim: 1/2 layers",
                        "taskexec: pulling python:3.12-slim: 1/3 layers",
                        "taskexec: pulling python:3.12-slim: 1/3 layers, 32.8 kB of 3.5 MB",
                        "taskexec: pulling python:3.12-slim: 1/3 layers, 152.8 kB of 15.5 MB",
                        "taskexec: pulling python:3.12-slim: 1/3 layers, 3.6 MB of 15.5 MB",
                        "taskexec: pulling python:3.12-slim: 1/3 layers, 9.5 MB of 15.5 MB",
                        "taskexec: pulling python:3.12-slim: 1/3 layers, 15.5 MB of 15.5 MB",
                        "taskexec: pulling python:3.12-slim: 1/3 layers, 15.5 MB of 15.5 MB, extracting",
                        "taskexec: pulling python:3.12-slim: 2/3 layers, 15.5 MB of 15.5 MB",
                        "taskexec: pulling python:3.12-slim: 2/3 layers, 15.5 MB of 15.5 MB, extracting",
                        "taskexec: pulling python:3.12-slim: 3/3 layers, 15.5 MB of 15.5 MB"),
                drawn(RECORDED, 200, 200));
    }

    @Test
    void aFastPullIsRedrawnAtMostEveryTenthOfASecond() {
        List<String> lines = drawn(RECORDED, 30, 200); // 18 messages over 0.51 s
        assertEquals(5, lines.size(), lines.toString()); // at 0, 120, 240, 360, 480 ms
        assertEquals(
                "taskexec: pulling python:3.12-slim: Pulling from library/python", lines.get(0));
    }

    @Test
    void anUnchangedLineIsNotRedrawn() {
        PullProgressLine line = new PullProgressLine(IMAGE, 100, 0);
        assertTrue(line.update(p("a", "Pulling fs layer"), 0).isPresent());
        assertEquals(Optional.empty(), line.update(p("a", "Waiting"), 500 * MS), "the same text");
    }

    @Test
    void theSummarySaysWhatWasPulledAndHowLongItTook() {
        PullProgressLine line = new PullProgressLine(IMAGE, 200, 0);
        RECORDED.forEach(m -> line.update(m, 0));
        assertEquals(
                "taskexec: pulled python:3.12-slim: 3 layers (1 already present), 15.5 MB in 3.4s",
                line.summary(Optional.empty(), 3_456 * MS));
        assertEquals(
                "taskexec: pulled python:3.12-slim in 100ms",
                new PullProgressLine(IMAGE, 200, 0).summary(Optional.empty(), 20 * MS),
                "nothing told but the end");
    }

    @Test
    void aFailedPullSaysTheEnginesErrorOnOneLine() {
        PullProgressLine line = new PullProgressLine(IMAGE, 200, 0);
        assertEquals(
                "taskexec: pulling python:3.12-slim failed: pull access denied, repository does not exist",
                line.summary(Optional.of("pull access denied,\n  repository does not exist\n"), 0));
    }

    @Test
    void linesAreCutToTheTerminalsWidth() {
        List<String> lines = drawn(RECORDED, 200, 40);
        assertTrue(lines.stream().allMatch(l -> l.length() <= 39), lines.toString());
        assertEquals("taskexec: pulling python:3.12-slim: ...", lines.get(0));
        PullProgressLine line = new PullProgressLine(IMAGE, 40, 0);
        assertEquals(39, line.summary(Optional.of("x".repeat(100)), 0).length());
    }

    @Test
    void bytesAreInTheEnginesDecimalUnits() {
        assertEquals("0 B", PullProgressLine.bytes(0));
        assertEquals("999 B", PullProgressLine.bytes(999));
        assertEquals("1.0 kB", PullProgressLine.bytes(1000));
        assertEquals("999.9 kB", PullProgressLine.bytes(999_949));
        assertEquals("1.0 MB", PullProgressLine.bytes(999_950));
        assertEquals("2.2 MB", PullProgressLine.bytes(2_152_262));
        assertEquals("1.5 GB", PullProgressLine.bytes(1_500_000_000L));
        assertEquals("9.2 EB", PullProgressLine.bytes(Long.MAX_VALUE));
    }
}

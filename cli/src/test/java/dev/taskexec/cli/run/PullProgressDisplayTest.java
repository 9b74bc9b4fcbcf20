package dev.taskexec.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import dev.taskexec.executor.docker.PullProgress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What the terminal receives: a line redrawn with carriage returns, then a summary that stays. */
class PullProgressDisplayTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong clock = new AtomicLong();
    private final PullProgressDisplay display = new PullProgressDisplay(err, 200, clock::get);

    private String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private void at(long ms, PullProgress p) {
        clock.set(ms * 1_000_000L);
        display.progress(p);
    }

    private static PullProgress p(String layer, String status, long current, long total) {
        return new PullProgress("t1", "busybox:1.36", layer, status, current, total);
    }

    @Test
    void theLineIsRedrawnInPlaceAndTheSummaryEndsIt() {
        at(0, p("", "Pulling from library/busybox", 0, 0));
        at(200, p("9ad63333ebc9", "Downloading", 22_357, 2_152_262));
        clock.set(1_000_000_000L);
        display.ended("t1", "busybox:1.36", Optional.empty());
        String n = System.lineSeparator();
        String progress = "taskexec: pulling busybox:1.36: 0/1 layer, 22.4 kB of 2.2 MB";
        String summary = "taskexec: pulled busybox:1.36: 1 layer, 2.2 MB in 1s";
        assertEquals(
                "\rtaskexec: pulling busybox:1.36: Pulling from library/busybox"
                        + "\r"
                        + progress
                        + "\r"
                        + summary
                        + " ".repeat(progress.length() - summary.length())
                        + n,
                written(),
                "the summary is padded over the longer line before it, then ended");
    }

    @Test
    void aStatusLinePrintedDuringThePullStartsALineOfItsOwn() {
        StatusOutput out = new StatusOutput.Text(err, ZoneOffset.UTC, display::endLine);
        at(0, p("", "Pulling from library/busybox", 0, 0));
        out.note("interrupted: shutting the task down gracefully");
        out.status(
                "t1",
                TaskStatus.newBuilder()
                        .setState(TaskState.PREPARING)
                        .setMessage("preparing")
                        .setTimestamp(com.google.protobuf.Timestamp.newBuilder().setSeconds(1))
                        .build());
        String n = System.lineSeparator();
        assertEquals(
                "\rtaskexec: pulling busybox:1.36: Pulling from library/busybox"
                        + n
                        + "taskexec: interrupted: shutting the task down gracefully"
                        + n
                        + "taskexec: 00:00:01.000 PREPARING preparing  (task t1)"
                        + n,
                written());
    }

    @Test
    void withoutALineBeingDrawnNothingIsEnded() {
        display.endLine();
        assertEquals("", written());
    }

    @Test
    void aPullThatFailsBeforeAnyProgressSaysSo() {
        display.ended("t1", "nothing:1", Optional.of("connection refused"));
        assertEquals(
                "\rtaskexec: pulling nothing:1 failed: connection refused" + System.lineSeparator(),
                written());
    }
}

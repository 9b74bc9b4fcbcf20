package dev.taskexec.executor.fake;

import static dev.taskexec.executor.fake.Fixtures.task;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Timestamp;
import dev.taskexec.api.proto.LogMessage;
import dev.taskexec.api.proto.LogStream;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import dev.taskexec.api.support.LogSelection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fake selects log messages with the shared {@link LogSelection}: for the output every
 * backend's test of this name produces (o1 e1 … o6 e6, stdout and stderr interleaved), the same
 * options give the same messages on every backend.
 */
class SharedLogSelectionTest {

    private final ManualClock clock = new ManualClock();
    private final FakeExecutor executor = FakeExecutor.builder().clock(clock).build();

    @Test
    void streamsThenSinceThenTailAsOnEveryBackend() throws Exception {
        FakeController c = (FakeController) executor.controller(task("t", "after=never"));
        c.prepare();
        c.start();
        for (int i = 1; i <= 6; i++) {
            clock.advance(Duration.ofMillis(10));
            executor.emit("t", LogLine.stdout("o" + i));
            clock.advance(Duration.ofMillis(10));
            executor.emit("t", LogLine.stderr("e" + i));
        }
        List<LogMessage> all = read(c, LogSubscriptionOptions.getDefaultInstance());
        Timestamp since =
                all.stream()
                        .filter(m -> m.getData().toStringUtf8().strip().equals("o2"))
                        .findFirst()
                        .orElseThrow()
                        .getTimestamp();
        LogSubscriptionOptions options =
                LogSubscriptionOptions.newBuilder()
                        .addStreams(LogStream.LOG_STREAM_STDOUT)
                        .setSince(since)
                        .setTail(-3)
                        .build();

        List<LogMessage> got = read(c, options);

        assertEquals(
                List.of("o5", "o6"),
                got.stream().map(m -> m.getData().toStringUtf8().strip()).toList(),
                "stdout after o2, then its last 2");
        assertEquals(
                LogSelection.of(options).apply(all),
                got,
                "what the shared selection makes of the whole log");
        c.terminate();
        c.remove();
        c.close();
    }

    private static List<LogMessage> read(FakeController c, LogSubscriptionOptions options)
            throws Exception {
        List<LogMessage> out = new ArrayList<>();
        c.logs(out::add, options);
        return out;
    }
}

package dev.taskexec.executor.process;

import static dev.taskexec.executor.process.Conditions.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.google.protobuf.Timestamp;
import dev.taskexec.api.Controller;
import dev.taskexec.api.ControllerStdin;
import dev.taskexec.api.proto.LogMessage;
import dev.taskexec.api.proto.LogStream;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import dev.taskexec.api.support.LogSelection;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The process backend selects log messages with the shared {@link LogSelection}: for the output
 * every backend's test of this name produces (o1 e1 … o6 e6, stdout and stderr interleaved), the
 * same options give the same messages on every backend.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedLogSelectionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ProcessExecutor executor =
            new ProcessExecutor(ProcessExecutorOptions.parse(Map.of()));

    @AfterEach
    void tearDown() {
        executor.close();
    }

    @Test
    void streamsThenSinceThenTailAsOnEveryBackend() throws Exception {
        Controller c =
                executor.controller(
                        Tasks.sh(
                                s -> s.setOpenStdin(true),
                                "while read i; do echo o$i; echo e$i >&2; done"));
        c.start();
        try (OutputStream in = ((ControllerStdin) c).stdin()) {
            for (int i = 1; i <= 6; i++) {
                in.write((i + "\n").getBytes(StandardCharsets.UTF_8));
                in.flush();
                // each pair is read before the next is written, so every line of a stream has its
                // own time
                String o = "o" + i + "\n";
                String e = "e" + i + "\n";
                awaitTrue(
                        "o" + i + " and e" + i + " in the log",
                        WAIT,
                        () -> {
                            try {
                                List<String> data = data(Logs.all(c));
                                return data.contains(o) && data.contains(e);
                            } catch (Exception ex) {
                                throw new IllegalStateException(ex);
                            }
                        });
            }
        }
        assertTimeoutPreemptively(WAIT, c::await);
        List<LogMessage> all = Logs.all(c);
        Timestamp since =
                all.stream()
                        .filter(m -> m.getData().toStringUtf8().equals("o2\n"))
                        .findFirst()
                        .orElseThrow()
                        .getTimestamp();
        LogSubscriptionOptions options =
                LogSubscriptionOptions.newBuilder()
                        .addStreams(LogStream.LOG_STREAM_STDOUT)
                        .setSince(since)
                        .setTail(-3)
                        .build();

        List<LogMessage> got = Logs.read(c, options);

        assertEquals(List.of("o5\n", "o6\n"), data(got), "stdout after o2, then its last 2");
        assertEquals(
                LogSelection.of(options).apply(all),
                got,
                "what the shared selection makes of the whole log");
        c.remove();
        c.close();
    }

    private static List<String> data(List<LogMessage> messages) {
        return messages.stream().map(m -> m.getData().toStringUtf8()).toList();
    }
}

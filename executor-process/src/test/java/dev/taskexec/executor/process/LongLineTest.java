package dev.taskexec.executor.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.LogPublisher;
import dev.taskexec.api.proto.LogMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lines of any length arrive whole, cut into messages of at most {@link LineMessages#MAX_MESSAGE}
 * bytes, and a last line without a terminator is delivered too.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LongLineTest {

    @Test
    void aHundredMegabyteLineWithoutANewlineArrivesWholeInBoundedMessages() throws Exception {
        long size = 100_000_000L;
        long[] bytes = {0};
        long[] messages = {0};
        int[] largest = {0};
        boolean[] newline = {false};
        ByteSink last = new ByteSink();
        follow(
                Tasks.sh("head -c " + size + " /dev/zero | tr '\\0' a"),
                message -> {
                    int n = message.getData().size();
                    bytes[0] += n;
                    messages[0]++;
                    largest[0] = Math.max(largest[0], n);
                    newline[0] |= message.getData().toStringUtf8().indexOf('\n') >= 0;
                    last.message = message;
                });
        assertEquals(size, bytes[0], "every byte of the line arrived");
        assertTrue(largest[0] <= LineMessages.MAX_MESSAGE, "no message over 16 KiB: " + largest[0]);
        assertTrue(
                messages[0] >= size / LineMessages.MAX_MESSAGE,
                "cut into " + messages[0] + " messages");
        assertTrue(!newline[0], "no terminator was invented");
        assertTrue(
                last.message.getData().byteAt(last.message.getData().size() - 1) == 'a',
                "ends as the output ends");
    }

    @Test
    void aLastLineWithoutATerminatorIsDelivered() throws Exception {
        List<String> got = new ArrayList<>();
        follow(Tasks.sh("printf 'one\\ntwo\\nthree'"), m -> got.add(m.getData().toStringUtf8()));
        assertEquals(List.of("one\n", "two\n", "three"), got);
    }

    private static final class ByteSink {
        LogMessage message;
    }

    private static void follow(dev.taskexec.api.proto.Task task, LogPublisher publisher)
            throws Exception {
        try (ProcessExecutor executor = new ProcessExecutor(ProcessExecutorOptions.defaults())) {
            Following.run(executor, task, publisher, () -> {});
        }
    }
}

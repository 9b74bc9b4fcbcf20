package dev.taskexec.api.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.taskexec.api.proto.LogMessage;
import dev.taskexec.api.proto.LogStream;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogSelectionTest {

    /** o1 e1 o2 e2 … o6 e6: stdout line i at second 10i, its stderr line at 10i + 5. */
    private static final List<LogMessage> INTERLEAVED = interleaved();

    private static List<LogMessage> interleaved() {
        List<LogMessage> log = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            log.add(message(LogStream.LOG_STREAM_STDOUT, 10L * i, 0, "o" + i));
            log.add(message(LogStream.LOG_STREAM_STDERR, 10L * i + 5, 0, "e" + i));
        }
        return log;
    }

    private static LogMessage message(LogStream stream, long seconds, int nanos, String text) {
        return LogMessage.newBuilder()
                .setStream(stream)
                .setTimestamp(Timestamp.newBuilder().setSeconds(seconds).setNanos(nanos))
                .setData(ByteString.copyFromUtf8(text))
                .build();
    }

    private static List<String> texts(List<LogMessage> messages) {
        return messages.stream().map(m -> m.getData().toStringUtf8()).toList();
    }

    private static List<String> select(LogSubscriptionOptions.Builder options) {
        return texts(LogSelection.of(options.build()).apply(INTERLEAVED));
    }

    @Test
    void tailCountsWhatStreamsAndSinceLeft() {
        // Docker's own tail would take the last two lines of both streams (o6, e6) and then drop e6
        assertEquals(
                List.of("o5", "o6"),
                select(
                        LogSubscriptionOptions.newBuilder()
                                .addStreams(LogStream.LOG_STREAM_STDOUT)
                                .setSince(Timestamp.newBuilder().setSeconds(20))
                                .setTail(-3)));
        assertEquals(
                List.of("o4", "o5", "o6"),
                select(
                        LogSubscriptionOptions.newBuilder()
                                .addStreams(LogStream.LOG_STREAM_STDOUT)
                                .setSince(Timestamp.newBuilder().setSeconds(20))
                                .setTail(1)));
    }

    @Test
    void sinceIsStrictlyAfterToTheNanosecond() {
        assertEquals(
                List.of("e1", "o2"),
                select(
                                LogSubscriptionOptions.newBuilder()
                                        .setSince(Timestamp.newBuilder().setSeconds(10)))
                        .subList(0, 2));
        assertEquals(
                "o2",
                select(
                                LogSubscriptionOptions.newBuilder()
                                        .setSince(
                                                Timestamp.newBuilder()
                                                        .setSeconds(15)
                                                        .setNanos(999_999_999)))
                        .get(0));
        LogSelection at =
                LogSelection.of(
                        LogSubscriptionOptions.newBuilder()
                                .setSince(Timestamp.newBuilder().setSeconds(15).setNanos(7))
                                .build());
        assertFalse(at.isAfterSince(15, 7));
        assertTrue(at.isAfterSince(15, 8));
        assertFalse(at.isAfterSince(14, 999_999_999));
        assertTrue(LogSelection.all().isAfterSince(Long.MIN_VALUE, 0));
    }

    @Test
    void swarmkitsSignedTail() {
        assertEquals(12, select(LogSubscriptionOptions.newBuilder().setTail(0)).size());
        assertEquals(List.of(), select(LogSubscriptionOptions.newBuilder().setTail(-1)));
        assertEquals(List.of("e6"), select(LogSubscriptionOptions.newBuilder().setTail(-2)));
        assertEquals(
                12, select(LogSubscriptionOptions.newBuilder().setTail(Long.MIN_VALUE)).size());
        assertEquals(List.of("o6", "e6"), select(LogSubscriptionOptions.newBuilder().setTail(10)));
        assertEquals(List.of(), select(LogSubscriptionOptions.newBuilder().setTail(12)));
        assertEquals(
                List.of(), select(LogSubscriptionOptions.newBuilder().setTail(Long.MAX_VALUE)));
    }

    @Test
    void streamsListedSelectOnlyThemAndAnEmptyListSelectsAll() {
        assertEquals(
                List.of("e1", "e2", "e3", "e4", "e5", "e6"),
                select(
                        LogSubscriptionOptions.newBuilder()
                                .addStreams(LogStream.LOG_STREAM_STDERR)));
        LogSelection unknownOnly =
                LogSelection.of(
                        LogSubscriptionOptions.newBuilder()
                                .addStreams(LogStream.LOG_STREAM_UNKNOWN)
                                .build());
        assertFalse(unknownOnly.selects(LogStream.LOG_STREAM_STDOUT));
        assertEquals(List.of(), unknownOnly.apply(INTERLEAVED));
        LogSelection odd =
                LogSelection.of(LogSubscriptionOptions.newBuilder().addStreamsValue(99).build());
        assertFalse(odd.selects(LogStream.LOG_STREAM_STDERR));
        assertTrue(odd.accepts(LogMessage.newBuilder().setStreamValue(99).build()));
        assertTrue(LogSelection.all().selects(LogStream.LOG_STREAM_STDERR));
    }

    @Test
    void aPositiveTailGoesOnSkippingLiveMessages() throws Exception {
        LogSelection.Pass pass =
                LogSelection.of(LogSubscriptionOptions.newBuilder().setTail(3).build()).newPass();
        List<LogMessage> out = new ArrayList<>();
        pass.past(INTERLEAVED.get(0), out::add);
        pass.past(INTERLEAVED.get(1), out::add);
        pass.endOfPast(out::add);
        for (LogMessage m : INTERLEAVED.subList(2, 5)) {
            pass.live(m, out::add);
        }
        assertEquals(List.of("e2", "o3"), texts(out));
    }

    @Test
    void aNegativeTailKeepsThePastsLastThenFollowsEverything() throws Exception {
        LogSelection.Pass pass =
                LogSelection.of(LogSubscriptionOptions.newBuilder().setTail(-2).build()).newPass();
        List<LogMessage> out = new ArrayList<>();
        for (LogMessage m : INTERLEAVED.subList(0, 4)) {
            pass.past(m, out::add);
        }
        assertEquals(List.of(), out, "held until the end of the past");
        assertThrows(IllegalStateException.class, () -> pass.live(INTERLEAVED.get(4), out::add));
        pass.endOfPast(out::add);
        pass.endOfPast(out::add);
        assertThrows(IllegalStateException.class, () -> pass.past(INTERLEAVED.get(4), out::add));
        pass.live(INTERLEAVED.get(4), out::add);
        pass.live(INTERLEAVED.get(5), out::add);
        assertEquals(List.of("e2", "o3", "e3"), texts(out));
    }

    @Test
    void aPublisherThatFailsLeavesTheKeptMessagesForARetry() throws Exception {
        LogSelection.Pass pass =
                LogSelection.of(LogSubscriptionOptions.newBuilder().setTail(-3).build()).newPass();
        for (LogMessage m : INTERLEAVED) {
            pass.past(
                    m,
                    m2 -> {
                        throw new AssertionError("nothing is published before the end of the past");
                    });
        }
        List<LogMessage> out = new ArrayList<>();
        int[] calls = {0};
        assertThrows(
                IllegalStateException.class,
                () ->
                        pass.endOfPast(
                                m -> {
                                    if (calls[0]++ == 1) {
                                        throw new IllegalStateException("publisher failed");
                                    }
                                    out.add(m);
                                }));
        pass.endOfPast(out::add);
        assertEquals(List.of("o6", "e6"), texts(out));
    }

    /** The selection equals the plain reading of swarmkit's options: filter, filter, then cut. */
    @Test
    void equalsTheLiteralReadingOfTheOptions() {
        qt().forAll(
                        lists().of(integers().between(0, 40)).ofSizeBetween(0, 30),
                        integers().between(-1, 2),
                        integers().between(-1, 45),
                        integers().between(-12, 12))
                .checkAssert(
                        (times, streamChoice, sinceAt, tail) -> {
                            List<LogMessage> log = new ArrayList<>();
                            for (int i = 0; i < times.size(); i++) {
                                log.add(
                                        message(
                                                i % 3 == 0
                                                        ? LogStream.LOG_STREAM_STDERR
                                                        : LogStream.LOG_STREAM_STDOUT,
                                                times.get(i) / 4,
                                                times.get(i) % 4,
                                                "m" + i));
                            }
                            LogSubscriptionOptions.Builder options =
                                    LogSubscriptionOptions.newBuilder().setTail(tail);
                            if (streamChoice > 0) {
                                options.addStreams(LogStream.forNumber(streamChoice));
                            }
                            if (sinceAt >= 0) {
                                options.setSince(
                                        Timestamp.newBuilder()
                                                .setSeconds(sinceAt / 4)
                                                .setNanos(sinceAt % 4));
                            }
                            List<LogMessage> expected = new ArrayList<>();
                            for (LogMessage m : log) {
                                boolean stream =
                                        streamChoice <= 0 || m.getStreamValue() == streamChoice;
                                long at =
                                        m.getTimestamp().getSeconds() * 4
                                                + m.getTimestamp().getNanos();
                                if (stream && (sinceAt < 0 || at > sinceAt)) {
                                    expected.add(m);
                                }
                            }
                            int n = expected.size();
                            List<LogMessage> cut =
                                    tail == 0
                                            ? expected
                                            : tail > 0
                                                    ? expected.subList(Math.min(tail, n), n)
                                                    : expected.subList(
                                                            Math.max(0, n - (-tail - 1)), n);
                            assertEquals(
                                    texts(cut), texts(LogSelection.of(options.build()).apply(log)));
                        });
    }
}

package dev.taskexec.executor.fake;

import static dev.taskexec.executor.fake.Fixtures.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import dev.taskexec.api.ControllerClosedException;
import dev.taskexec.api.proto.LogContext;
import dev.taskexec.api.proto.LogMessage;
import dev.taskexec.api.proto.LogStream;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import dev.taskexec.api.proto.Node;
import dev.taskexec.api.proto.Task;
import dev.taskexec.executor.fake.Fixtures.Background;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogsTest {

    /** A clock that moves one second each time it is read, so every message has its own second. */
    private static final class SteppingClock extends Clock {
        private final AtomicLong seconds = new AtomicLong(1_000);

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException("fixed zone");
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(seconds.getAndIncrement());
        }
    }

    private final FakeExecutor executor = FakeExecutor.builder().clock(new SteppingClock()).build();

    private FakeController started(String id, String... words) throws Exception {
        FakeController c = (FakeController) executor.controller(task(id, words));
        c.prepare();
        c.start();
        return c;
    }

    private static List<String> texts(FakeController c, LogSubscriptionOptions options)
            throws Exception {
        List<String> out = new ArrayList<>();
        c.logs(m -> out.add(m.getData().toStringUtf8()), options);
        return out;
    }

    private static LogSubscriptionOptions tail(long n) {
        return LogSubscriptionOptions.newBuilder().setTail(n).build();
    }

    @Test
    void scriptedLinesArePublishedWithTheirContext() throws Exception {
        executor.configure(Node.newBuilder().setId("configured-node").build());
        FakeController c = started("t", "stdout=one", "stderr=two");
        List<LogMessage> got = new ArrayList<>();
        c.logs(got::add, LogSubscriptionOptions.getDefaultInstance());
        assertEquals(2, got.size());
        assertEquals(
                LogContext.newBuilder()
                        .setServiceId("svc")
                        .setNodeId("node-1")
                        .setTaskId("t")
                        .build(),
                got.get(0).getContext());
        assertEquals(LogStream.LOG_STREAM_STDOUT, got.get(0).getStream());
        assertEquals("one", got.get(0).getData().toStringUtf8());
        assertEquals(LogStream.LOG_STREAM_STDERR, got.get(1).getStream());
        assertEquals("two", got.get(1).getData().toStringUtf8());
        assertEquals(
                got.get(0).getTimestamp().getSeconds() + 1, got.get(1).getTimestamp().getSeconds());

        Task noNode = task("n", "stdout=x").toBuilder().clearNodeId().build();
        FakeController n = (FakeController) executor.controller(noNode);
        n.prepare();
        n.start();
        List<LogMessage> fromN = new ArrayList<>();
        n.logs(fromN::add, LogSubscriptionOptions.getDefaultInstance());
        assertEquals("configured-node", fromN.get(0).getContext().getNodeId());
    }

    @Test
    void nothingBeforeStart() throws Exception {
        FakeController c = (FakeController) executor.controller(task("t", "stdout=x"));
        assertEquals(List.of(), texts(c, LogSubscriptionOptions.getDefaultInstance()));
    }

    @Test
    void streamsSelect() throws Exception {
        FakeController c = started("t", "stdout=o1", "stderr=e1", "stdout=o2");
        assertEquals(
                List.of("e1"),
                texts(
                        c,
                        LogSubscriptionOptions.newBuilder()
                                .addStreams(LogStream.LOG_STREAM_STDERR)
                                .build()));
        assertEquals(
                List.of("o1", "o2"),
                texts(
                        c,
                        LogSubscriptionOptions.newBuilder()
                                .addStreams(LogStream.LOG_STREAM_STDOUT)
                                .build()));
        assertEquals(
                List.of("o1", "e1", "o2"),
                texts(
                        c,
                        LogSubscriptionOptions.newBuilder()
                                .addStreams(LogStream.LOG_STREAM_STDOUT)
                                .addStreams(LogStream.LOG_STREAM_STDERR)
                                .build()));
    }

    @Test
    void tailHasSwarmkitsMeaning() throws Exception {
        FakeController c = started("t", "stdout=1", "stdout=2", "stdout=3", "stdout=4");
        assertEquals(List.of("1", "2", "3", "4"), texts(c, tail(0)));
        assertEquals(List.of("3", "4"), texts(c, tail(2)), "positive: skip that many");
        assertEquals(List.of(), texts(c, tail(9)));
        assertEquals(List.of(), texts(c, tail(-1)), "-1: none");
        assertEquals(List.of("4"), texts(c, tail(-2)), "-2: the last one");
        assertEquals(List.of("2", "3", "4"), texts(c, tail(-4)));
        assertEquals(List.of("1", "2", "3", "4"), texts(c, tail(-100)));
    }

    @Test
    void sinceKeepsMessagesStrictlyAfter() throws Exception {
        FakeController c = started("t", "stdout=1", "stdout=2", "stdout=3");
        List<LogMessage> all = new ArrayList<>();
        c.logs(all::add, LogSubscriptionOptions.getDefaultInstance());
        Timestamp first = all.get(0).getTimestamp();
        assertEquals(
                List.of("2", "3"),
                texts(c, LogSubscriptionOptions.newBuilder().setSince(first).build()));
        assertEquals(
                List.of("3"),
                texts(c, LogSubscriptionOptions.newBuilder().setSince(first).setTail(-2).build()),
                "tail applies to what since selected");
        assertEquals(
                List.of(),
                texts(
                        c,
                        LogSubscriptionOptions.newBuilder()
                                .setSince(all.get(2).getTimestamp())
                                .build()));
    }

    @Test
    void followReturnsOnceTheWorkloadExitedAndAllWasPublished() throws Exception {
        FakeController c = started("t", "after=never", "stdout=old");
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        Background follower =
                Background.run(
                        "follower",
                        () ->
                                c.logs(
                                        m -> got.add(m.getData().toStringUtf8()),
                                        LogSubscriptionOptions.newBuilder()
                                                .setFollow(true)
                                                .build()));
        Fixtures.waitUntil("the old line arrived", () -> got.contains("old"));
        executor.emit("t", LogLine.stdout("last"));
        c.shutdown();
        assertEquals(null, follower.outcome());
        assertEquals(List.of("old", "last"), got);
    }

    @Test
    void followOfAWorkloadThatEndsByItselfReturns() throws Exception {
        FakeController c = started("t", "after=30ms", "stdout=x");
        assertEquals(
                List.of("x"),
                texts(c, LogSubscriptionOptions.newBuilder().setFollow(true).build()));
    }

    @Test
    void followBeforeStartWaitsForTheWorkload() throws Exception {
        FakeController c = (FakeController) executor.controller(task("t", "stdout=hi"));
        c.prepare();
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        Background follower =
                Background.run(
                        "follower",
                        () ->
                                c.logs(
                                        m -> got.add(m.getData().toStringUtf8()),
                                        LogSubscriptionOptions.newBuilder()
                                                .setFollow(true)
                                                .build()));
        Fixtures.waitUntilInProgress(c, Call.LOGS);
        c.start();
        assertEquals(null, follower.outcome());
        assertEquals(List.of("hi"), got);
    }

    @Test
    void followPublishesNewLinesUntilInterrupted() throws Exception {
        FakeController c = started("t", "after=never", "stdout=old");
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        Background follower =
                Background.run(
                        "follower",
                        () ->
                                c.logs(
                                        m -> got.add(m.getData().toStringUtf8()),
                                        LogSubscriptionOptions.newBuilder()
                                                .setFollow(true)
                                                .addStreams(LogStream.LOG_STREAM_STDOUT)
                                                .build()));
        Fixtures.waitUntil("the old line arrived", () -> got.contains("old"));
        executor.emit("t", LogLine.stderr("filtered out"));
        executor.emit("t", LogLine.stdout("new"));
        Fixtures.waitUntil("the new line arrived", () -> got.contains("new"));
        follower.interrupt();
        assertInstanceOf(InterruptedException.class, follower.outcome());
        assertEquals(List.of("old", "new"), got);
    }

    @Test
    void followWithTailMinusOneSendsOnlyNewLines() throws Exception {
        FakeController c = started("t", "after=never", "stdout=old");
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        Background follower =
                Background.run(
                        "follower",
                        () ->
                                c.logs(
                                        m -> got.add(m.getData().toStringUtf8()),
                                        LogSubscriptionOptions.newBuilder()
                                                .setFollow(true)
                                                .setTail(-1)
                                                .build()));
        Fixtures.waitUntilInProgress(c, Call.LOGS);
        // The LOGS call is recorded before the follower has read what already exists, so a line
        // emitted in between is (rightly) one of the existing ones and skipped. Emit until one
        // arrives, so the outcome does not depend on which thread wins that race.
        Fixtures.waitUntil(
                "a new line arrived",
                () -> {
                    if (got.isEmpty()) {
                        executor.emit("t", LogLine.stdout("new"));
                    }
                    return !got.isEmpty();
                });
        c.close();
        assertInstanceOf(ControllerClosedException.class, follower.outcome());
        assertFalse(got.contains("old"), "tail -1 must skip the existing line: " + got);
        assertTrue(got.stream().allMatch("new"::equals), "only new lines: " + got);
    }

    @Test
    void aFailingPublisherEndsTheCall() throws Exception {
        FakeController c = started("t", "stdout=x");
        IllegalStateException boom = new IllegalStateException("publisher broke");
        assertSame(
                boom,
                assertThrows(
                        IllegalStateException.class,
                        () ->
                                c.logs(
                                        m -> {
                                            throw boom;
                                        },
                                        LogSubscriptionOptions.getDefaultInstance())));
    }

    @Test
    void logsCanBeScripted() throws Exception {
        FakeController c = started("t", "logs=fail:no logs");
        assertEquals(
                "no logs",
                assertThrows(
                                ScriptedFailureException.class,
                                () -> c.logs(m -> {}, LogSubscriptionOptions.getDefaultInstance()))
                        .getMessage());
    }

    @Test
    void emitNeedsARunningWorkload() throws Exception {
        assertThrows(
                IllegalStateException.class, () -> executor.emit("nobody", LogLine.stdout("x")));
        FakeController c = (FakeController) executor.controller(task("t"));
        assertThrows(IllegalStateException.class, () -> executor.emit("t", LogLine.stdout("x")));
        c.prepare();
        c.start();
        c.await();
        assertThrows(IllegalStateException.class, () -> executor.emit("t", LogLine.stdout("x")));
        assertThrows(
                IllegalArgumentException.class,
                () -> new LogLine(LogStream.LOG_STREAM_UNKNOWN, "x"));
    }

    @Test
    void outputIsKeptAfterExit() throws Exception {
        FakeController c = started("t", "stdout=last words", "exit=1", "after=10ms");
        assertThrows(Exception.class, c::await);
        assertEquals(List.of("last words"), texts(c, LogSubscriptionOptions.getDefaultInstance()));
    }
}

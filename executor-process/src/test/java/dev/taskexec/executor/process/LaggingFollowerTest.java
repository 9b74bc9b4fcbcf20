package dev.taskexec.executor.process;

import static dev.taskexec.executor.process.Conditions.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.ControllerLogs;
import dev.taskexec.api.LogPublisher;
import dev.taskexec.api.proto.LogMessage;
import dev.taskexec.api.proto.LogStream;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower held still by its publisher while a real task writes more than the log buffer: it
 * misses nothing within {@code log-follow-lag}, is told what it missed beyond, never holds the task
 * up, and lets go of what it kept when it goes away.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LaggingFollowerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern NOTICE =
            Pattern.compile(
                    "taskexec: (\\d+) log messages? (?:was|were) dropped because this reader fell behind;"
                            + " raise -o log-follow-lag .*\n");

    /** A publisher that stops at its first message until released, then records everything. */
    private static final class HeldPublisher implements LogPublisher {
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<LogMessage> received = new ArrayList<>();

        @Override
        public void publish(LogMessage message) throws Exception {
            received.add(message);
            if (holding.getCount() > 0) {
                holding.countDown();
                if (!release.await(30, TimeUnit.SECONDS)) {
                    throw new AssertionError("never released");
                }
            }
        }
    }

    private static ProcessExecutor executor(String bufferSize, String followLag) {
        return new ProcessExecutor(
                ProcessExecutorOptions.parse(
                        Map.of(
                                ProcessExecutorOptions.LOG_BUFFER_SIZE,
                                bufferSize,
                                ProcessExecutorOptions.LOG_FOLLOW_LAG,
                                followLag)));
    }

    /** Follows {@code c} on a thread of its own; the future holds what the call threw, or null. */
    private static CompletableFuture<Throwable> follow(
            ProcessController c, LogPublisher publisher, Thread[] thread) {
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        thread[0] =
                Thread.ofPlatform()
                        .daemon()
                        .start(
                                () -> {
                                    try {
                                        ((ControllerLogs) c)
                                                .logs(
                                                        publisher,
                                                        LogSubscriptionOptions.newBuilder()
                                                                .setFollow(true)
                                                                .build());
                                        done.complete(null);
                                    } catch (Throwable t) {
                                        done.complete(t);
                                    }
                                });
        // attached before the task writes, so that the whole output is the follower's to read
        awaitTrue("the follower to attach", WAIT, () -> c.logBuffer().followerCount() == 1);
        return done;
    }

    /**
     * A task that prints 0, waits for {@code gate} to exist, then prints 1 to {@code n}: the test
     * lets it go on only once the follower holds the 0, whatever the scheduling.
     */
    private static dev.taskexec.api.proto.Task gated(Path gate, int n) {
        return Tasks.sh(
                "echo 0; while [ ! -e '" + gate + "' ]; do sleep 0.01; done; exec seq 1 " + n);
    }

    /** Starts a {@link #gated} task with a held follower, and waits until it ended while the follower is held. */
    private static CompletableFuture<Throwable> runHeld(
            ProcessController c, Path gate, HeldPublisher publisher, Thread[] thread)
            throws Exception {
        CompletableFuture<Throwable> follower = follow(c, publisher, thread);
        c.start();
        assertTrue(
                publisher.holding.await(20, TimeUnit.SECONDS),
                "the publisher got its first message");
        assertEquals("0\n", publisher.received.get(0).getData().toStringUtf8());
        Files.createFile(gate);
        c.await(); // the task is never held up by its follower
        assertFalse(follower.isDone(), "the follower is still held");
        assertEquals(1, publisher.release.getCount(), "not released yet");
        return follower;
    }

    private static List<Integer> numbers(List<LogMessage> messages) {
        return messages.stream()
                .filter(m -> m.getStream() == LogStream.LOG_STREAM_STDOUT)
                .map(m -> Integer.parseInt(m.getData().toStringUtf8().strip()))
                .toList();
    }

    @TempDir Path dir;

    @Test
    void aHeldFollowerGetsEveryMessageWithinTheLagBoundWhileTheTaskRunsFree() throws Exception {
        // 20000 lines: about 110 KB of data, far beyond the 16 KB buffer; about 2.7 MB counted
        // against the lag
        try (ProcessExecutor executor = executor("16k", "4m")) {
            ProcessController c =
                    (ProcessController) executor.controller(gated(dir.resolve("gate"), 20000));
            HeldPublisher publisher = new HeldPublisher();
            Thread[] thread = new Thread[1];
            CompletableFuture<Throwable> follower =
                    runHeld(c, dir.resolve("gate"), publisher, thread);
            assertTrue(c.logBuffer().keptCount() > 0, "messages are kept for the held follower");
            assertTrue(Logs.all(c).size() < 20000, "a new reader sees only the buffer's window");

            publisher.release.countDown();
            assertNull(follower.get(30, TimeUnit.SECONDS));
            List<Integer> expected =
                    java.util.stream.IntStream.rangeClosed(0, 20000).boxed().toList();
            assertEquals(expected, numbers(publisher.received));
            assertEquals(20001, publisher.received.size(), "no drop notice");
            assertEquals(0, c.logBuffer().followerCount());
            assertEquals(0, c.logBuffer().keptCount(), "back to the window once read");
        }
    }

    /**
     * The CI failure of 2026-12-01 (a "fast" reader on a loaded machine missed messages): a follower
     * that stops for a moment, well within {@link LogBuffer#PATIENCE_NANOS}, while the task writes
     * five times the lag bound, loses nothing; the task's output waits in its file meanwhile.
     */
    @Test
    void aFollowerSlowedForAMomentMissesNothing() throws Exception {
        try (ProcessExecutor executor = executor("16k", "256k")) {
            Path gate = dir.resolve("gate");
            ProcessController c = (ProcessController) executor.controller(gated(gate, 200000));
            List<LogMessage> received = new ArrayList<>();
            LogPublisher slowed =
                    message -> {
                        received.add(message);
                        if (received.size() == 2) {
                            // a moment's stall, as a GC pause or a busy CPU gives; the task runs on
                            // meanwhile
                            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
                            while (System.nanoTime() < until) {
                                java.util.concurrent.locks.LockSupport.parkNanos(
                                        until - System.nanoTime());
                            }
                        }
                    };
            Thread[] thread = new Thread[1];
            CompletableFuture<Throwable> follower = follow(c, slowed, thread);
            c.start();
            Files.createFile(gate);
            c.await();
            assertNull(follower.get(30, TimeUnit.SECONDS));
            List<Integer> numbers = numbers(received);
            assertEquals(200001, received.size(), "every line, and no drop notice");
            assertEquals(200001, numbers.size(), "every line on stdout");
            assertEquals(0, numbers.get(0));
            assertContiguous(numbers);
        }
    }

    @Test
    void beyondTheLagBoundTheFollowerIsToldHowManyItMissedThenGetsTheNewest() throws Exception {
        // 200000 lines: 1.3 MB of data, far beyond the 256 KB lag bound plus the 16 KB window,
        // however
        // the lines are read together into chunks (up to 64 KiB each, the newest always in the
        // window)
        try (ProcessExecutor executor = executor("16k", "256k")) {
            ProcessController c =
                    (ProcessController) executor.controller(gated(dir.resolve("gate"), 200000));
            HeldPublisher publisher = new HeldPublisher();
            Thread[] thread = new Thread[1];
            CompletableFuture<Throwable> follower =
                    runHeld(c, dir.resolve("gate"), publisher, thread);
            publisher.release.countDown();
            assertNull(follower.get(30, TimeUnit.SECONDS));

            List<LogMessage> received = publisher.received;
            List<Integer> notices = new ArrayList<>();
            for (int i = 0; i < received.size(); i++) {
                if (received.get(i).getStream() == LogStream.LOG_STREAM_STDERR) {
                    notices.add(i);
                }
            }
            assertEquals(1, notices.size(), "one notice for the one gap");
            LogMessage notice = received.get(notices.get(0));
            Matcher m = NOTICE.matcher(notice.getData().toStringUtf8());
            assertTrue(m.matches(), notice.getData().toStringUtf8());
            long dropped = Long.parseLong(m.group(1));
            assertEquals(c.taskId(), notice.getContext().getTaskId());
            assertEquals("svc-1", notice.getContext().getServiceId());

            List<Integer> before = numbers(received.subList(0, notices.get(0)));
            List<Integer> after = numbers(received.subList(notices.get(0) + 1, received.size()));
            assertFalse(before.isEmpty());
            assertFalse(after.isEmpty());
            assertEquals(0, before.get(0));
            assertContiguous(before);
            assertContiguous(after);
            assertEquals(
                    before.get(before.size() - 1) + dropped + 1,
                    (long) after.get(0),
                    "the gap is what was counted");
            assertEquals(200000, after.get(after.size() - 1), "the newest messages arrive");
            assertEquals(0, c.logBuffer().keptCount());
        }
    }

    @Test
    void anInterruptedFollowerLetsGoOfWhatWasKeptForIt() throws Exception {
        try (ProcessExecutor executor = executor("16k", "4m")) {
            ProcessController c =
                    (ProcessController) executor.controller(gated(dir.resolve("gate"), 20000));
            HeldPublisher publisher = new HeldPublisher();
            Thread[] thread = new Thread[1];
            CompletableFuture<Throwable> follower =
                    runHeld(c, dir.resolve("gate"), publisher, thread);
            assertTrue(c.logBuffer().keptCount() > 0, "messages are kept for the held follower");
            assertTrue(c.logBuffer().heldCount() > c.logBuffer().snapshot().size());

            thread[0].interrupt();
            assertInstanceOf(InterruptedException.class, follower.get(30, TimeUnit.SECONDS));
            assertEquals(0, c.logBuffer().followerCount(), "cursor released");
            assertEquals(0, c.logBuffer().keptCount(), "trimmed back to the window");
            assertEquals(c.logBuffer().snapshot().size(), c.logBuffer().heldCount());
        }
    }

    private static void assertContiguous(List<Integer> numbers) {
        for (int i = 1; i < numbers.size(); i++) {
            assertEquals(numbers.get(i - 1) + 1, numbers.get(i), "contiguous at " + i);
        }
    }
}

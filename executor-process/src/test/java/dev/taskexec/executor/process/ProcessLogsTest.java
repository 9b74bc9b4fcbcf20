package dev.taskexec.executor.process;

import static dev.taskexec.executor.process.Conditions.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import dev.taskexec.api.Controller;
import dev.taskexec.api.ControllerLogs;
import dev.taskexec.api.proto.LogMessage;
import dev.taskexec.api.proto.LogStream;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The log options, following, and publishers that are slow or fail. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessLogsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ProcessExecutor executor =
            new ProcessExecutor(ProcessExecutorOptions.parse(Map.of()));

    @AfterEach
    void tearDown() {
        executor.close();
    }

    private Controller finished(String script) throws Exception {
        Controller c = executor.controller(Tasks.sh(script));
        c.start();
        c.await();
        return c;
    }

    private static List<String> lines(List<LogMessage> messages) {
        return messages.stream()
                .map(m -> m.getData().toString(StandardCharsets.UTF_8).strip())
                .toList();
    }

    @Test
    void tailFollowsSwarmkit() throws Exception {
        Controller c = finished("for i in 1 2 3 4 5; do echo $i; done");
        assertEquals(List.of("1", "2", "3", "4", "5"), lines(Logs.all(c)));
        assertEquals(
                List.of(),
                lines(Logs.read(c, LogSubscriptionOptions.newBuilder().setTail(-1).build())));
        assertEquals(
                List.of("5"),
                lines(Logs.read(c, LogSubscriptionOptions.newBuilder().setTail(-2).build())));
        assertEquals(
                List.of("3", "4", "5"),
                lines(Logs.read(c, LogSubscriptionOptions.newBuilder().setTail(-4).build())));
        assertEquals(
                List.of("1", "2", "3", "4", "5"),
                lines(Logs.read(c, LogSubscriptionOptions.newBuilder().setTail(-100).build())));
        assertEquals(
                List.of("4", "5"),
                lines(Logs.read(c, LogSubscriptionOptions.newBuilder().setTail(3).build())));
        assertEquals(
                List.of(),
                lines(Logs.read(c, LogSubscriptionOptions.newBuilder().setTail(9).build())));
    }

    @Test
    void streamsSelectsStdoutOrStderr() throws Exception {
        Controller c = finished("echo o; echo e >&2");
        assertEquals(
                List.of("e"),
                lines(
                        Logs.read(
                                c,
                                LogSubscriptionOptions.newBuilder()
                                        .addStreams(LogStream.LOG_STREAM_STDERR)
                                        .build())));
        assertEquals(
                List.of("o"),
                lines(
                        Logs.read(
                                c,
                                LogSubscriptionOptions.newBuilder()
                                        .addStreams(LogStream.LOG_STREAM_STDOUT)
                                        .build())));
    }

    @Test
    void sinceKeepsMessagesStrictlyAfter() throws Exception {
        Controller c = finished("echo a; echo b; echo c");
        List<LogMessage> all = Logs.all(c);
        Timestamp second = all.get(1).getTimestamp();
        List<LogMessage> after =
                Logs.read(c, LogSubscriptionOptions.newBuilder().setSince(second).build());
        assertTrue(after.stream().allMatch(m -> compare(m.getTimestamp(), second) > 0));
        assertTrue(lines(after).contains("c") || compare(all.get(2).getTimestamp(), second) == 0);
        assertTrue(!lines(after).contains("a"));
    }

    private static int compare(Timestamp a, Timestamp b) {
        return a.getSeconds() != b.getSeconds()
                ? Long.compare(a.getSeconds(), b.getSeconds())
                : Integer.compare(a.getNanos(), b.getNanos());
    }

    @Test
    void followPublishesLiveLinesThenReturnsAtExit() throws Exception {
        Controller c =
                executor.controller(
                        Tasks.task(
                                s -> s.setOpenStdin(true),
                                "sh",
                                "-c",
                                "echo first; read x; echo second; exit 0"));
        c.start();
        List<String> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<Throwable> follower =
                follow(c, m -> seen.add(m.getData().toStringUtf8().strip()));
        awaitTrue("the first line", WAIT, () -> seen.contains("first"));
        // the task waits for input: the follower must still be following
        assertTrue(!follower.isDone());
        c.shutdown();
        assertSame(null, follower.get(10, TimeUnit.SECONDS));
    }

    @Test
    void followWithTailMinusOneSeesOnlyNewLinesAndHonoursInterruption() throws Exception {
        Controller c =
                executor.controller(
                        Tasks.sh("echo old; while true; do echo tick; sleep 0.05; done"));
        c.start();
        awaitTrue("old output", WAIT, () -> !lines(logsOf(c)).isEmpty());
        List<String> seen = new CopyOnWriteArrayList<>();
        Thread[] thread = new Thread[1];
        CompletableFuture<Throwable> follower = new CompletableFuture<>();
        thread[0] =
                Thread.ofPlatform()
                        .start(
                                () -> {
                                    try {
                                        ((ControllerLogs) c)
                                                .logs(
                                                        m ->
                                                                seen.add(
                                                                        m.getData()
                                                                                .toStringUtf8()
                                                                                .strip()),
                                                        LogSubscriptionOptions.newBuilder()
                                                                .setFollow(true)
                                                                .setTail(-1)
                                                                .build());
                                        follower.complete(null);
                                    } catch (Throwable t) {
                                        follower.complete(t);
                                    }
                                });
        awaitTrue("live ticks", WAIT, () -> seen.size() >= 2);
        assertTrue(!seen.contains("old"), seen.toString());
        thread[0].interrupt();
        assertInstanceOf(InterruptedException.class, follower.get(10, TimeUnit.SECONDS));
        assertEquals(
                0,
                ((ProcessController) c).logBuffer().followerCount(),
                "an interrupted follower detaches");
        c.terminate();
    }

    @Test
    void aSlowPublisherNeverBlocksTheTask() throws Exception {
        Controller c =
                executor.controller(
                        Tasks.sh("i=0; while [ $i -lt 3000 ]; do echo line $i; i=$((i+1)); done"));
        c.start();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Throwable> follower = follow(c, m -> release.await(30, TimeUnit.SECONDS));
        c.await(); // returns although the publisher is stuck on the first message
        assertEquals(3000, Logs.all(c).size());
        release.countDown();
        assertSame(null, follower.get(30, TimeUnit.SECONDS));
    }

    @Test
    void aFailingPublisherEndsItsSubscriptionOnly() throws Exception {
        Controller c = executor.controller(Tasks.sh("echo a; echo b"));
        c.start();
        IllegalStateException boom = new IllegalStateException("publisher broke");
        CompletableFuture<Throwable> follower =
                follow(
                        c,
                        m -> {
                            throw boom;
                        });
        assertSame(boom, follower.get(10, TimeUnit.SECONDS));
        c.await();
        assertEquals(List.of("a", "b"), lines(Logs.all(c)));
    }

    @Test
    void removeEndsFollowersAndDropsTheLogs() throws Exception {
        Controller c = executor.controller(Tasks.task("sleep", "1000"));
        c.start();
        CompletableFuture<Throwable> follower = follow(c, m -> {});
        c.remove();
        assertSame(null, follower.get(10, TimeUnit.SECONDS));
        assertEquals(List.of(), Logs.all(c));
    }

    private static List<LogMessage> logsOf(Controller c) {
        try {
            return Logs.all(c);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static CompletableFuture<Throwable> follow(
            Controller c, dev.taskexec.api.LogPublisher publisher) {
        CompletableFuture<Throwable> done = new CompletableFuture<>();
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
        return done;
    }
}

package dev.taskexec.agent.session;

import static dev.taskexec.agent.session.FakeManager.await;
import static dev.taskexec.agent.session.SessionFixture.state;
import static dev.taskexec.agent.session.SessionFixture.task;
import static dev.taskexec.agent.session.SessionFixture.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.agent.proto.AssignmentsMessage;
import dev.taskexec.api.proto.LogMessage;
import dev.taskexec.api.proto.LogSelector;
import dev.taskexec.api.proto.LogStream;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import dev.taskexec.api.proto.PublishLogsMessage;
import dev.taskexec.api.proto.SubscriptionMessage;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.executor.fake.LogLine;
import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class LogBrokerTest extends SessionFixture {

    static SubscriptionMessage subscription(
            String id, LogSelector selector, LogSubscriptionOptions options) {
        return SubscriptionMessage.newBuilder()
                .setId(id)
                .setSelector(selector)
                .setOptions(options)
                .build();
    }

    static LogSelector tasks(String... ids) {
        return LogSelector.newBuilder().addAllTaskIds(List.of(ids)).build();
    }

    List<PublishLogsMessage> of(FakeManager m, String subscription) {
        return m.published.stream()
                .filter(p -> p.getSubscriptionId().equals(subscription))
                .toList();
    }

    List<String> lines(FakeManager m, String subscription) {
        return of(m, subscription).stream()
                .flatMap(p -> p.getMessagesList().stream())
                .map(l -> l.getData().toStringUtf8())
                .toList();
    }

    boolean closed(FakeManager m, String subscription) {
        List<PublishLogsMessage> all = of(m, subscription);
        return !all.isEmpty() && all.get(all.size() - 1).getClose();
    }

    FakeManager runningManagerWith(String... scriptOfT) throws Exception {
        FakeManager m = manager();
        m.setComplete(List.of(update(task("t", TaskState.RUNNING, scriptOfT))));
        start(builder(m.address));
        await("listening for subscriptions", WAIT, m::listening);
        return m;
    }

    @Test
    void aFinishedTasksLogsArePublishedWithTheNodesIdAndThenClosed() throws Exception {
        FakeManager m = runningManagerWith("stdout=hello", "stderr=oops", "exit=3");
        await("t FAILED", WAIT, () -> state(m, "t") == TaskState.FAILED);
        assertTrue(
                m.subscribe(
                        subscription(
                                "s1", tasks("t"), LogSubscriptionOptions.getDefaultInstance())));
        await("s1 closed", WAIT, () -> closed(m, "s1"));
        List<LogMessage> messages =
                of(m, "s1").stream().flatMap(p -> p.getMessagesList().stream()).toList();
        assertEquals(2, messages.size(), messages.toString());
        for (LogMessage message : messages) {
            assertEquals("node-1", message.getContext().getNodeId());
            assertEquals("t", message.getContext().getTaskId());
            assertTrue(message.hasTimestamp());
        }
        assertEquals(
                List.of(LogStream.LOG_STREAM_STDOUT, LogStream.LOG_STREAM_STDERR),
                messages.stream().map(LogMessage::getStream).toList());
        assertTrue(lines(m, "s1").get(0).startsWith("hello"));
        assertEquals(1, m.publishStreams.get(), "one PublishLogs stream per subscription");
    }

    @Test
    void aSubscriptionMatchingNothingIsStillClosed() throws Exception {
        FakeManager m = runningManagerWith("after=never");
        m.subscribe(
                subscription(
                        "nothing",
                        tasks("no-such-task"),
                        LogSubscriptionOptions.getDefaultInstance()));
        await("closed", WAIT, () -> closed(m, "nothing"));
        assertEquals(1, of(m, "nothing").size());
    }

    @Test
    void streamsAndSwarmkitsTailEncodingAreHonoured() throws Exception {
        FakeManager m = runningManagerWith("stdout=a", "stdout=b", "stdout=c", "stderr=x");
        await("t COMPLETE", WAIT, () -> state(m, "t") == TaskState.COMPLETE);
        m.subscribe(
                subscription(
                        "stdout-only",
                        tasks("t"),
                        LogSubscriptionOptions.newBuilder()
                                .addStreams(LogStream.LOG_STREAM_STDOUT)
                                .build()));
        // --tail 2 arrives as tail = -3
        m.subscribe(
                subscription(
                        "tail2",
                        tasks("t"),
                        LogSubscriptionOptions.newBuilder()
                                .addStreams(LogStream.LOG_STREAM_STDOUT)
                                .setTail(-3)
                                .build()));
        await("both closed", WAIT, () -> closed(m, "stdout-only") && closed(m, "tail2"));
        assertEquals(
                List.of("a", "b", "c"),
                lines(m, "stdout-only").stream().map(String::strip).toList());
        assertEquals(List.of("b", "c"), lines(m, "tail2").stream().map(String::strip).toList());
    }

    @Test
    void followPicksUpNewLinesAndNewTasksUntilTheManagerClosesIt() throws Exception {
        FakeManager m = runningManagerWith("after=never", "stdout=first");
        await("t RUNNING", WAIT, () -> state(m, "t") == TaskState.RUNNING);
        m.subscribe(
                subscription(
                        "f",
                        LogSelector.newBuilder().addServiceIds("svc").build(),
                        LogSubscriptionOptions.newBuilder().setFollow(true).build()));
        await("the first line", WAIT, () -> lines(m, "f").size() == 1);
        fake.emit("t", LogLine.stdout("second"));
        await("a followed line", WAIT, () -> lines(m, "f").size() == 2);
        m.send(
                AssignmentsMessage.Type.INCREMENTAL,
                List.of(update(task("u", TaskState.RUNNING, "after=never", "stdout=from-u"))));
        await(
                "the new task's line",
                WAIT,
                () -> lines(m, "f").stream().anyMatch(l -> l.startsWith("from-u")));
        assertTrue(!closed(m, "f"), "a follow stays open");
        m.subscribe(SubscriptionMessage.newBuilder().setId("f").setClose(true).build());
        await("closed after the manager's close", WAIT, () -> closed(m, "f"));
    }

    @Test
    void aBrokenSubscriptionStreamEndsTheSessionAndTheNodeListensAgain() throws Exception {
        FakeManager m = runningManagerWith("after=never");
        m.expireSession(Status.UNAVAILABLE.withDescription("transport closed"));
        await("a second session", WAIT, () -> m.sessionCount() == 2);
        await("listening again", WAIT, () -> m.listens.get() >= 2 && m.listening());
        m.subscribe(subscription("again", tasks("t"), LogSubscriptionOptions.getDefaultInstance()));
        await("served on the new session", WAIT, () -> closed(m, "again"));
    }

    @Test
    void theSessionEndingClosesAFollowingPublication() throws Exception {
        FakeManager m = runningManagerWith("after=never", "stdout=x");
        m.subscribe(
                subscription(
                        "f",
                        tasks("t"),
                        LogSubscriptionOptions.newBuilder().setFollow(true).build()));
        await("the line", WAIT, () -> lines(m, "f").size() == 1);
        int before = m.sessionCount();
        m.breakAssignments(Status.UNAVAILABLE);
        await("a new session", WAIT, () -> m.sessionCount() == before + 1);
        await(
                "no thread of that publication left",
                WAIT,
                () ->
                        Thread.getAllStackTraces().keySet().stream()
                                .noneMatch(t -> t.getName().equals("taskexec-swarm-logs-f")));
    }
}

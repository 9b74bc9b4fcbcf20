package dev.taskexec.agent.session;

import static dev.taskexec.agent.session.FakeManager.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.taskexec.agent.proto.AssignmentsMessage;
import dev.taskexec.api.proto.NodeDescription;
import dev.taskexec.api.proto.NodeTLSInfo;
import dev.taskexec.api.proto.PluginDescription;
import dev.taskexec.api.proto.TaskState;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SwarmSessionTest extends SessionFixture {

    @Test
    void registersBeatsAndRunsAnAssignedTaskToComplete() throws Exception {
        FakeManager m = manager();
        m.setComplete(List.of(update(task("t1", TaskState.RUNNING, "exit=0", "stdout=hi"))));
        start(
                builder(m.address)
                        .hostname("java-node")
                        .tlsInfo(
                                () ->
                                        NodeTLSInfo.newBuilder()
                                                .setTrustRoot(ByteString.copyFromUtf8("root"))
                                                .build()));

        await("t1 COMPLETE at the manager", WAIT, () -> state(m, "t1") == TaskState.COMPLETE);
        await("three heartbeats", WAIT, () -> m.heartbeats.get() >= 3);

        NodeDescription sent = m.sessionRequests.get(0).getDescription();
        assertEquals("java-node", sent.getHostname());
        assertEquals("root", sent.getTlsInfo().getTrustRoot().toStringUtf8());
        assertEquals(
                List.of("json-file"),
                sent.getEngine().getPluginsList().stream().map(PluginDescription::getName).toList(),
                "network plugins are never advertised");
        assertEquals("", m.sessionRequests.get(0).getSessionId());
        assertEquals(
                List.of("started session-1 " + m.address, "node node-1", "root ROOT"),
                events.subList(0, 3));
        List<String> states = m.statesOf("t1");
        assertEquals("COMPLETE", states.get(states.size() - 1));
        for (int i = 1; i < states.size(); i++) {
            assertTrue(
                    TaskState.valueOf(states.get(i - 1)).getNumber()
                            < TaskState.valueOf(states.get(i)).getNumber(),
                    "reported states only move forward: " + states);
        }
        assertEquals(1, m.sessionCount());
    }

    @Test
    void heartbeatsFollowThePeriodTheManagerReturns() throws Exception {
        FakeManager m = manager();
        m.period = Duration.ofSeconds(30);
        start(builder(m.address));
        await("first heartbeat", WAIT, () -> m.heartbeats.get() == 1);
        m.period = Duration.ofMillis(50);
        // The next beat is due in 30 s: none comes meanwhile (checked over a few RPC round trips).
        long before = System.nanoTime();
        while (System.nanoTime() - before < Duration.ofMillis(300).toNanos()) {
            assertEquals(1, m.heartbeats.get(), "a beat before the period passed");
            LockSupport.parkNanos(
                    Duration.ofMillis(10).toNanos()); // a negative check: nothing to wait for
        }
    }

    @Test
    void aChangedDescriptionReRegistersWithIt() throws Exception {
        FakeManager m = manager();
        java.util.concurrent.atomic.AtomicReference<String> hostname =
                new java.util.concurrent.atomic.AtomicReference<>("before");
        start(
                builder(m.address)
                        .description(
                                () ->
                                        NodeDescription.newBuilder()
                                                .setHostname(hostname.get())
                                                .build())
                        .descriptionCheckPeriod(Duration.ofMillis(50)));
        await("registered", WAIT, () -> m.sessionCount() == 1);
        hostname.set("after");
        await("registered again", WAIT, () -> m.sessionCount() == 2);
        assertEquals("after", m.sessionRequests.get(1).getDescription().getHostname());
        assertTrue(
                events.stream().anyMatch(e -> e.contains("the node description changed")),
                events.toString());
    }

    @Test
    void incrementalChangesUpdateAndRemoveTasksAndUnknownRemovesAreIgnored() throws Exception {
        FakeManager m = manager();
        start(builder(m.address));
        await("assignments stream", WAIT, () -> m.assignmentCalls.get() == 1);
        m.send(
                AssignmentsMessage.Type.INCREMENTAL,
                List.of(
                        update(task("long", TaskState.RUNNING, "after=never")),
                        removeTask("never-seen")));
        await("long RUNNING", WAIT, () -> state(m, "long") == TaskState.RUNNING);
        m.send(
                AssignmentsMessage.Type.INCREMENTAL,
                List.of(update(task("long", TaskState.SHUTDOWN, "after=never"))));
        await("long SHUTDOWN", WAIT, () -> state(m, "long") == TaskState.SHUTDOWN);
        m.send(AssignmentsMessage.Type.INCREMENTAL, List.of(removeTask("long")));
        await("long removed from the worker", WAIT, () -> worker.status("long").isEmpty());
        assertTrue(worker.awaitCleanup(WAIT));
        assertEquals(1, m.sessionCount(), "an unknown REMOVE does not disturb the session");
    }

    @Test
    void desiredReadyPreparesWithoutStartingThenRunningStarts() throws Exception {
        FakeManager m = manager();
        start(builder(m.address));
        await("assignments stream", WAIT, () -> m.assignmentCalls.get() == 1);
        m.send(
                AssignmentsMessage.Type.INCREMENTAL,
                List.of(update(task("r", TaskState.READY, "after=never"))));
        await("r READY", WAIT, () -> state(m, "r") == TaskState.READY);
        assertFalse(m.statesOf("r").contains("STARTING"));
        m.send(
                AssignmentsMessage.Type.INCREMENTAL,
                List.of(update(task("r", TaskState.RUNNING, "after=never"))));
        await("r RUNNING", WAIT, () -> state(m, "r") == TaskState.RUNNING);
        m.send(
                AssignmentsMessage.Type.INCREMENTAL,
                List.of(update(task("r", TaskState.REMOVE, "after=never"))));
        await("desired REMOVE shuts it down", WAIT, () -> state(m, "r") == TaskState.SHUTDOWN);
    }

    @Test
    void aCompleteAssignmentRemovesEverythingNotListed() throws Exception {
        FakeManager m = manager();
        m.setComplete(
                List.of(
                        update(task("a", TaskState.RUNNING, "after=never")),
                        update(task("b", TaskState.RUNNING, "after=never"))));
        start(builder(m.address));
        await(
                "a and b RUNNING",
                WAIT,
                () -> state(m, "a") == TaskState.RUNNING && state(m, "b") == TaskState.RUNNING);
        m.send(
                AssignmentsMessage.Type.COMPLETE,
                List.of(update(task("b", TaskState.RUNNING, "after=never"))));
        await("a removed", WAIT, () -> worker.status("a").isEmpty());
        assertTrue(worker.status("b").isPresent());
    }

    @Test
    void aGapInTheAssignmentStreamReopensItAndTheCompleteMessageResyncs() throws Exception {
        FakeManager m = manager();
        start(builder(m.address));
        await("assignments stream", WAIT, () -> m.assignmentCalls.get() == 1);
        // A message that applies to a result the node never saw: one was lost.
        m.setComplete(List.of(update(task("after-gap", TaskState.RUNNING, "after=never"))));
        m.sendRaw(
                AssignmentsMessage.newBuilder()
                        .setType(AssignmentsMessage.Type.INCREMENTAL)
                        .setAppliesTo("41")
                        .setResultsIn("42")
                        .addChanges(update(task("gapped", TaskState.RUNNING, "after=never")))
                        .build());
        await("the stream re-opened", WAIT, () -> m.assignmentCalls.get() == 2);
        await(
                "the COMPLETE after the gap applied",
                WAIT,
                () -> state(m, "after-gap") == TaskState.RUNNING);
        assertTrue(worker.status("gapped").isEmpty(), "the message after the gap is not applied");
        assertEquals(1, m.sessionCount(), "a gap re-syncs the stream, not the session");
    }

    @Test
    void aBrokenAssignmentStreamEndsTheSessionAndTheNodeRegistersAgainResendingStatuses()
            throws Exception {
        FakeManager m = manager();
        m.setComplete(List.of(update(task("t", TaskState.RUNNING, "after=never"))));
        start(builder(m.address));
        await("t RUNNING", WAIT, () -> state(m, "t") == TaskState.RUNNING);
        int before = m.updates.size();
        m.breakAssignments(Status.UNAVAILABLE.withDescription("connection reset mid-message"));
        await("a second session", WAIT, () -> m.sessionCount() == 2);
        assertEquals(
                "session-1",
                m.sessionRequests.get(1).getSessionId(),
                "re-registers naming the previous session");
        await(
                "t's status re-sent on the new session",
                WAIT,
                () ->
                        m.updates.stream()
                                .skip(before)
                                .anyMatch(
                                        r ->
                                                r.getSessionId().equals("session-2")
                                                        && r.getUpdatesList().stream()
                                                                .anyMatch(
                                                                        u ->
                                                                                u.getTaskId()
                                                                                        .equals(
                                                                                                "t"))));
        assertTrue(
                events.stream().anyMatch(e -> e.startsWith("ended") && e.contains("UNAVAILABLE")),
                events.toString());
    }

    @Test
    void anInvalidSessionOnHeartbeatMakesTheNodeRegisterAgain() throws Exception {
        FakeManager m = manager();
        start(builder(m.address));
        await("first heartbeat", WAIT, () -> m.heartbeats.get() >= 1);
        m.expireSession(Status.NOT_FOUND.withDescription("node not registered"));
        await("a second session", WAIT, () -> m.sessionCount() == 2);
        await("heartbeats on it", WAIT, () -> m.heartbeats.get() >= 3);
    }

    @Test
    void aHeartbeatFailureEndsTheSession() throws Exception {
        FakeManager m = manager();
        m.period = Duration.ofMillis(50);
        start(builder(m.address));
        await("first heartbeat", WAIT, () -> m.heartbeats.get() >= 1);
        m.failNextHeartbeat = Status.INVALID_ARGUMENT.withDescription("session invalid");
        await("a second session", WAIT, () -> m.sessionCount() == 2);
        assertTrue(events.stream().anyMatch(e -> e.contains("session invalid")), events.toString());
    }

    @Test
    void aSilentManagerIsLeftForTheNextOneAfterTheFirstMessageTimeout() throws Exception {
        FakeManager silent = manager();
        silent.silent = true;
        FakeManager good = manager();
        SwarmSession s = start(builder(silent.address, good.address));
        await("registered with the second manager", WAIT, () -> good.sessionCount() == 1);
        assertEquals(1, silent.sessionRequests.size());
        assertTrue(
                events.stream().anyMatch(e -> e.contains("no session message")), events.toString());
        assertEquals(good.address, s.managers().get(0));
    }

    @Test
    void theNodeFailsOverToTheManagersTheSessionNamed() throws Exception {
        FakeManager first = manager();
        FakeManager second = manager();
        first.managers =
                List.of(FakeManager.peer(first.address, 1), FakeManager.peer(second.address, 5));
        SwarmSession s = start(builder(first.address));
        await("registered with the first", WAIT, () -> first.sessionCount() == 1);
        await(
                "the list is the session's",
                WAIT,
                () -> s.managers().equals(List.of(first.address, second.address)));
        first.close();
        await("registered with the second", WAIT, () -> second.sessionCount() == 1);
    }

    @Test
    void aRateLimitedRegistrationIsRetriedWithoutHittingTheLimitAgain() throws Exception {
        FakeManager m = manager();
        // Two registrations the node did not make itself count towards the limit.
        m.registrations.add(java.time.Instant.now());
        m.registrations.add(java.time.Instant.now());
        m.registrations.add(java.time.Instant.now());
        start(builder(m.address));
        await("registered", Duration.ofSeconds(30), () -> m.sessionCount() == 1);
        long refused = m.sessionRequests.size() - 1;
        assertTrue(refused <= 3, "refused attempts: " + refused);
    }

    @Test
    void statusUpdatesAreCoalescedAndRefusedTasksDropped() throws Exception {
        FakeManager m = manager();
        m.rejected.add("stranger");
        start(builder(m.address));
        await("assignments stream", WAIT, () -> m.assignmentCalls.get() == 1);
        m.send(
                AssignmentsMessage.Type.INCREMENTAL,
                List.of(
                        update(task("stranger", TaskState.RUNNING, "after=never")),
                        update(task("mine", TaskState.RUNNING, "after=never"))));
        await("mine RUNNING", WAIT, () -> state(m, "mine") == TaskState.RUNNING);
        assertEquals(null, state(m, "stranger"));
        assertEquals(1, m.sessionCount(), "a refused status does not end the session");
    }

    @Test
    void closeStopsHeartbeatsAndLeavesTasksRunning() throws Exception {
        FakeManager m = manager();
        m.period = Duration.ofMillis(20);
        m.setComplete(List.of(update(task("t", TaskState.RUNNING, "after=never"))));
        SwarmSession s = start(builder(m.address));
        await("t RUNNING", WAIT, () -> state(m, "t") == TaskState.RUNNING);
        s.close();
        AtomicReference<String> last = new AtomicReference<>(events.get(events.size() - 1));
        assertTrue(last.get().startsWith("ended"), events.toString());
        assertEquals(TaskState.RUNNING, worker.status("t").orElseThrow().getState());
        // Five periods without a beat; compared window to window, so a beat answered while close()
        // ran is not mistaken for one after it.
        AtomicLong seen = new AtomicLong(-1);
        await(
                "no further beats for a few periods",
                WAIT,
                () -> {
                    LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
                    long now = m.heartbeats.get();
                    return seen.getAndSet(now) == now;
                });
    }
}

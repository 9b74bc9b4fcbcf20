package dev.taskexec.agent.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.taskexec.agent.proto.DispatcherGrpc;
import dev.taskexec.agent.proto.SessionRequest;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusSenderTest {

    static TaskStatus status(TaskState state, String message) {
        return TaskStatus.newBuilder().setState(state).setMessage(message).build();
    }

    @Test
    void keepsTheNewestStatusAndNeverRegresses() {
        try (StatusSender sender = new StatusSender(Duration.ofSeconds(1))) {
            sender.report("t", status(TaskState.RUNNING, "started"));
            sender.report("t", status(TaskState.PREPARING, "preparing"));
            assertEquals(
                    TaskState.RUNNING, sender.kept("t").getState(), "a lower state is dropped");
            sender.report("t", status(TaskState.RUNNING, "started again"));
            assertEquals(
                    "started again",
                    sender.kept("t").getMessage(),
                    "the same state with news replaces");
            sender.report("t", status(TaskState.FAILED, "boom"));
            assertEquals(TaskState.FAILED, sender.kept("t").getState());
        }
    }

    @Test
    void statusesWaitingForASessionGoOutInOneBatchAndAgainOnTheNextSession() throws Exception {
        try (FakeManager m = new FakeManager("status-" + java.util.UUID.randomUUID() + ":2377");
                InProcessChannels channels = new InProcessChannels();
                StatusSender sender = new StatusSender(Duration.ofSeconds(5))) {
            for (int i = 0; i < 50; i++) {
                sender.report("t" + i, status(TaskState.RUNNING, ""));
            }
            sender.start();
            var channel = channels.channel(m.address);
            DispatcherGrpc.newBlockingStub(channel)
                    .session(SessionRequest.getDefaultInstance())
                    .next();
            List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            sender.attach(new StatusSender.Target(m.sessionId(), channel, failures::add));
            FakeManager.await("50 statuses", Duration.ofSeconds(20), () -> m.statuses.size() == 50);
            assertEquals(1, m.updates.size(), "one call for all 50");
            assertEquals(50, m.updates.get(0).getUpdatesCount());

            DispatcherGrpc.newBlockingStub(channel)
                    .session(SessionRequest.getDefaultInstance())
                    .next();
            sender.attach(new StatusSender.Target(m.sessionId(), channel, failures::add));
            FakeManager.await(
                    "re-sent on the new session",
                    Duration.ofSeconds(20),
                    () -> m.updates.size() == 2);
            assertEquals(50, m.updates.get(1).getUpdatesCount());
            assertEquals(List.of(), failures);
        }
    }

    @Test
    void aFailedCallEndsTheSessionAndTheStatusesWaitForTheNext() throws Exception {
        try (FakeManager m = new FakeManager("status-" + java.util.UUID.randomUUID() + ":2377");
                InProcessChannels channels = new InProcessChannels();
                StatusSender sender = new StatusSender(Duration.ofSeconds(5))) {
            sender.start();
            var channel = channels.channel(m.address);
            DispatcherGrpc.newBlockingStub(channel)
                    .session(SessionRequest.getDefaultInstance())
                    .next();
            List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            m.failNextUpdate = io.grpc.Status.INVALID_ARGUMENT.withDescription("session invalid");
            sender.attach(new StatusSender.Target(m.sessionId(), channel, failures::add));
            sender.report("t", status(TaskState.RUNNING, ""));
            FakeManager.await(
                    "the failure reported", Duration.ofSeconds(20), () -> failures.size() == 1);
            assertNull(m.statuses.get("t"));
            DispatcherGrpc.newBlockingStub(channel)
                    .session(SessionRequest.getDefaultInstance())
                    .next();
            sender.attach(new StatusSender.Target(m.sessionId(), channel, failures::add));
            FakeManager.await(
                    "sent on the next session",
                    Duration.ofSeconds(20),
                    () -> m.statuses.containsKey("t"));
        }
    }

    @Test
    void forgetAndRetainDropStatusesOfUnassignedTasks() {
        try (StatusSender sender = new StatusSender(Duration.ofSeconds(1))) {
            sender.report("a", status(TaskState.RUNNING, ""));
            sender.report("b", status(TaskState.RUNNING, ""));
            sender.report("c", status(TaskState.RUNNING, ""));
            sender.forget(List.of("a"));
            sender.retain(List.of("b"));
            assertNull(sender.kept("a"));
            assertNull(sender.kept("c"));
            assertEquals(TaskState.RUNNING, sender.kept("b").getState());
        }
    }
}

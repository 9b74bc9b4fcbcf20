package dev.taskexec.agent.session;

import com.google.protobuf.ByteString;
import dev.taskexec.agent.proto.Assignment;
import dev.taskexec.agent.proto.AssignmentChange;
import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.EngineDescription;
import dev.taskexec.api.proto.Node;
import dev.taskexec.api.proto.NodeDescription;
import dev.taskexec.api.proto.PluginDescription;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskSpec;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import dev.taskexec.core.Worker;
import dev.taskexec.executor.fake.FakeExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;

/** The fixture of the session's tests: a fake executor, a worker, in-process channels, helpers. */
@Timeout(60)
abstract class SessionFixture {

    static final Duration WAIT = Duration.ofSeconds(20);

    final List<AutoCloseable> closing = new ArrayList<>();
    final FakeExecutor fake = FakeExecutor.create();
    final Worker worker = Worker.create(fake);
    final InProcessChannels channels = new InProcessChannels();
    final List<String> events = new CopyOnWriteArrayList<>();
    final SessionObserver observer =
            new SessionObserver() {
                @Override
                public void sessionStarted(String sessionId, String managerAddress) {
                    events.add("started " + sessionId + " " + managerAddress);
                }

                @Override
                public void nodeUpdated(Node node) {
                    events.add("node " + node.getId());
                }

                @Override
                public void rootCaOffered(ByteString rootCaPem) {
                    events.add("root " + rootCaPem.toStringUtf8());
                }

                @Override
                public void sessionEnded(Throwable cause) {
                    events.add("ended " + cause);
                }
            };

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        worker.close();
        channels.close();
        fake.close();
    }

    FakeManager manager() throws Exception {
        FakeManager m = new FakeManager("manager-" + UUID.randomUUID() + ":2377");
        closing.add(m);
        return m;
    }

    SwarmSession.Builder builder(String... managers) {
        return SwarmSession.builder()
                .channels(channels)
                .nodeId("node-1")
                .managers(List.of(managers))
                .worker(worker)
                .description(
                        () ->
                                NodeDescription.newBuilder()
                                        .setHostname("fake")
                                        .setEngine(
                                                EngineDescription.newBuilder()
                                                        .addPlugins(
                                                                PluginDescription.newBuilder()
                                                                        .setType("Network")
                                                                        .setName("bridge"))
                                                        .addPlugins(
                                                                PluginDescription.newBuilder()
                                                                        .setType("Log")
                                                                        .setName("json-file")))
                                        .build())
                .observer(observer)
                .firstMessageTimeout(Duration.ofMillis(500));
    }

    SwarmSession start(SwarmSession.Builder b) {
        SwarmSession s = b.build();
        closing.add(s);
        s.start();
        return s;
    }

    static Task task(String id, TaskState desired, String... script) {
        return Task.newBuilder()
                .setId(id)
                .setServiceId("svc")
                .setNodeId("node-1")
                .setDesiredState(desired)
                .setStatus(TaskStatus.newBuilder().setState(TaskState.ASSIGNED))
                .setSpec(
                        TaskSpec.newBuilder()
                                .setContainer(
                                        ContainerSpec.newBuilder()
                                                .setImage("busybox")
                                                .addCommand("fake")
                                                .addAllArgs(List.of(script))))
                .build();
    }

    static AssignmentChange update(Task t) {
        return AssignmentChange.newBuilder()
                .setAssignment(Assignment.newBuilder().setTask(t))
                .build();
    }

    static AssignmentChange removeTask(String id) {
        return AssignmentChange.newBuilder()
                .setAction(AssignmentChange.AssignmentAction.REMOVE)
                .setAssignment(Assignment.newBuilder().setTask(Task.newBuilder().setId(id)))
                .build();
    }

    static TaskState state(FakeManager m, String id) {
        TaskStatus s = m.statuses.get(id);
        return s == null ? null : s.getState();
    }
}

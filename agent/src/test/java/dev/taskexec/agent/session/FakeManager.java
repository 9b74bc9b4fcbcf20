package dev.taskexec.agent.session;

import com.google.protobuf.ByteString;
import dev.taskexec.agent.proto.AssignmentChange;
import dev.taskexec.agent.proto.AssignmentsMessage;
import dev.taskexec.agent.proto.AssignmentsRequest;
import dev.taskexec.agent.proto.DispatcherGrpc;
import dev.taskexec.agent.proto.HeartbeatRequest;
import dev.taskexec.agent.proto.HeartbeatResponse;
import dev.taskexec.agent.proto.ListenSubscriptionsRequest;
import dev.taskexec.agent.proto.LogBrokerGrpc;
import dev.taskexec.agent.proto.Peer;
import dev.taskexec.agent.proto.PublishLogsResponse;
import dev.taskexec.agent.proto.SessionMessage;
import dev.taskexec.agent.proto.SessionRequest;
import dev.taskexec.agent.proto.UpdateTaskStatusRequest;
import dev.taskexec.agent.proto.UpdateTaskStatusResponse;
import dev.taskexec.agent.proto.WeightedPeer;
import dev.taskexec.api.proto.Node;
import dev.taskexec.api.proto.PublishLogsMessage;
import dev.taskexec.api.proto.SubscriptionMessage;
import dev.taskexec.api.proto.TaskStatus;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * An in-process swarm manager for the session's tests: a Dispatcher and a LogBroker that follow
 * the rules of swarmkit's manager which the node depends on (session ids checked on every call,
 * at most three registrations in 8 s, sequence numbers on assignments, statuses only moving
 * forward), recording what the node sent, with knobs to misbehave.
 */
final class FakeManager implements AutoCloseable {

    final String address;
    private final Server server;

    // knobs
    volatile boolean silent; // never answer a Session call
    volatile Duration period = Duration.ofMillis(100);
    volatile List<WeightedPeer> managers = List.of();
    volatile ByteString rootCa = ByteString.copyFromUtf8("ROOT");
    volatile Status failNextHeartbeat;
    volatile Status failNextUpdate;

    // records
    final List<SessionRequest> sessionRequests = new CopyOnWriteArrayList<>();
    final List<Instant> registrations = new CopyOnWriteArrayList<>();
    final AtomicInteger heartbeats = new AtomicInteger();
    final List<Long> heartbeatNanos = new CopyOnWriteArrayList<>();
    final AtomicInteger assignmentCalls = new AtomicInteger();
    final List<UpdateTaskStatusRequest> updates = new CopyOnWriteArrayList<>();
    final Map<String, TaskStatus> statuses = new ConcurrentHashMap<>();
    final List<String> rejected = new CopyOnWriteArrayList<>();
    final List<PublishLogsMessage> published = new CopyOnWriteArrayList<>();
    final AtomicInteger publishStreams = new AtomicInteger();
    final AtomicInteger listens = new AtomicInteger();

    private final AtomicInteger sessions = new AtomicInteger();
    private volatile String sessionId = "";
    private volatile StreamObserver<SessionMessage> sessionStream;
    private volatile StreamObserver<AssignmentsMessage> assignmentStream;
    private volatile StreamObserver<SubscriptionMessage> subscriptionStream;
    private volatile long sequence;

    /** What a fresh Assignments stream starts with. */
    private volatile List<AssignmentChange> complete = List.of();

    FakeManager(String address) throws IOException {
        this.address = address;
        this.server =
                InProcessServerBuilder.forName(address)
                        .addService(new Dispatcher())
                        .addService(new Broker())
                        .build()
                        .start();
    }

    String sessionId() {
        return sessionId;
    }

    int sessionCount() {
        return sessions.get();
    }

    private boolean valid(String id, StreamObserver<?> responses) {
        if (id.isEmpty() || !id.equals(sessionId)) {
            responses.onError(
                    Status.INVALID_ARGUMENT
                            .withDescription("session invalid")
                            .asRuntimeException());
            return false;
        }
        return true;
    }

    final class Dispatcher extends DispatcherGrpc.DispatcherImplBase {
        @Override
        public synchronized void session(
                SessionRequest request, StreamObserver<SessionMessage> responses) {
            sessionRequests.add(request);
            if (silent) {
                return;
            }
            Instant now = Instant.now();
            long recent =
                    registrations.stream().filter(t -> t.isAfter(now.minusSeconds(8))).count();
            registrations.add(now);
            if (recent >= 3) {
                responses.onError(
                        Status.UNAVAILABLE
                                .withDescription("node is registering too often")
                                .asRuntimeException());
                return;
            }
            String id = "session-" + sessions.incrementAndGet();
            sessionId = id;
            sessionStream = responses;
            responses.onNext(message(id));
        }

        @Override
        public void heartbeat(
                HeartbeatRequest request, StreamObserver<HeartbeatResponse> responses) {
            Status fail = failNextHeartbeat;
            if (fail != null) {
                failNextHeartbeat = null;
                responses.onError(fail.asRuntimeException());
                return;
            }
            if (!valid(request.getSessionId(), responses)) {
                return;
            }
            heartbeats.incrementAndGet();
            heartbeatNanos.add(System.nanoTime());
            responses.onNext(
                    HeartbeatResponse.newBuilder()
                            .setPeriod(
                                    com.google.protobuf.Duration.newBuilder()
                                            .setSeconds(period.getSeconds())
                                            .setNanos(period.getNano()))
                            .build());
            responses.onCompleted();
        }

        @Override
        public void updateTaskStatus(
                UpdateTaskStatusRequest request,
                StreamObserver<UpdateTaskStatusResponse> responses) {
            Status fail = failNextUpdate;
            if (fail != null) {
                failNextUpdate = null;
                responses.onError(fail.asRuntimeException());
                return;
            }
            if (!valid(request.getSessionId(), responses)) {
                return;
            }
            for (var u : request.getUpdatesList()) {
                if (rejected.contains(u.getTaskId())) {
                    responses.onError(
                            Status.PERMISSION_DENIED
                                    .withDescription("cannot update a task not assigned this node")
                                    .asRuntimeException());
                    return;
                }
            }
            updates.add(request);
            for (var u : request.getUpdatesList()) {
                statuses.merge(
                        u.getTaskId(),
                        u.getStatus(),
                        (old, next) -> next.getStateValue() < old.getStateValue() ? old : next);
            }
            responses.onNext(UpdateTaskStatusResponse.getDefaultInstance());
            responses.onCompleted();
        }

        @Override
        public synchronized void assignments(
                AssignmentsRequest request, StreamObserver<AssignmentsMessage> responses) {
            if (!valid(request.getSessionId(), responses)) {
                return;
            }
            assignmentCalls.incrementAndGet();
            assignmentStream = responses;
            sequence = 0;
            send(AssignmentsMessage.Type.COMPLETE, complete);
        }
    }

    final class Broker extends LogBrokerGrpc.LogBrokerImplBase {
        @Override
        public void listenSubscriptions(
                ListenSubscriptionsRequest request, StreamObserver<SubscriptionMessage> responses) {
            listens.incrementAndGet();
            subscriptionStream = responses;
        }

        @Override
        public StreamObserver<PublishLogsMessage> publishLogs(
                StreamObserver<PublishLogsResponse> responses) {
            publishStreams.incrementAndGet();
            return new StreamObserver<>() {
                @Override
                public void onNext(PublishLogsMessage m) {
                    published.add(m);
                }

                @Override
                public void onError(Throwable t) {}

                @Override
                public void onCompleted() {
                    responses.onNext(PublishLogsResponse.getDefaultInstance());
                    responses.onCompleted();
                }
            };
        }
    }

    private SessionMessage message(String id) {
        return SessionMessage.newBuilder()
                .setSessionId(id)
                .setNode(Node.newBuilder().setId("node-1"))
                .addAllManagers(managers)
                .setRootCA(rootCa)
                .build();
    }

    static WeightedPeer peer(String address, long weight) {
        return WeightedPeer.newBuilder()
                .setPeer(Peer.newBuilder().setAddr(address))
                .setWeight(weight)
                .build();
    }

    /** Sets what new Assignments streams start with, without sending anything. */
    void setComplete(List<AssignmentChange> changes) {
        complete = List.copyOf(changes);
    }

    /** Sends a message on the current Assignments stream, chained to the previous one. */
    synchronized void send(AssignmentsMessage.Type type, List<AssignmentChange> changes) {
        long appliesTo = sequence;
        sequence++;
        sendRaw(
                AssignmentsMessage.newBuilder()
                        .setType(type)
                        .setAppliesTo(
                                type == AssignmentsMessage.Type.COMPLETE
                                        ? ""
                                        : Long.toString(appliesTo))
                        .setResultsIn(Long.toString(sequence))
                        .addAllChanges(changes)
                        .build());
    }

    synchronized void sendRaw(AssignmentsMessage message) {
        StreamObserver<AssignmentsMessage> s = assignmentStream;
        if (s != null) {
            s.onNext(message);
        }
    }

    /** Breaks the Assignments stream with {@code status}. */
    synchronized void breakAssignments(Status status) {
        StreamObserver<AssignmentsMessage> s = assignmentStream;
        assignmentStream = null;
        if (s != null) {
            s.onError(status.asRuntimeException());
        }
    }

    /** Sends another session message (e.g. a new manager list). */
    synchronized void pushSessionMessage() {
        StreamObserver<SessionMessage> s = sessionStream;
        if (s != null) {
            s.onNext(message(sessionId));
        }
    }

    /** Forgets the session, as a manager does after a heartbeat failure. */
    synchronized void expireSession(Status status) {
        sessionId = "expired";
        StreamObserver<SessionMessage> s = sessionStream;
        sessionStream = null;
        if (s != null) {
            s.onError(status.asRuntimeException());
        }
    }

    /** Sends a subscription to the node; false if it has no ListenSubscriptions stream. */
    boolean subscribe(SubscriptionMessage message) {
        StreamObserver<SubscriptionMessage> s = subscriptionStream;
        if (s == null) {
            return false;
        }
        synchronized (s) {
            s.onNext(message);
        }
        return true;
    }

    boolean listening() {
        StreamObserver<SubscriptionMessage> s = subscriptionStream;
        return s != null && !((ServerCallStreamObserver<SubscriptionMessage>) s).isCancelled();
    }

    List<String> statesOf(String taskId) {
        List<String> states = new ArrayList<>();
        for (UpdateTaskStatusRequest r : updates) {
            for (var u : r.getUpdatesList()) {
                if (u.getTaskId().equals(taskId)) {
                    states.add(u.getStatus().getState().name());
                }
            }
        }
        return states;
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread()
                    .interrupt(); // shut down already; the waiting is what was cut short
        }
    }

    /** Waits for a condition, failing the test after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}

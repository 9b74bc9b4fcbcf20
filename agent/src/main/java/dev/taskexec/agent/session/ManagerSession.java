package dev.taskexec.agent.session;

import dev.taskexec.agent.proto.AssignmentsMessage;
import dev.taskexec.agent.proto.AssignmentsRequest;
import dev.taskexec.agent.proto.DispatcherGrpc;
import dev.taskexec.agent.proto.SessionMessage;
import dev.taskexec.agent.proto.SessionRequest;
import dev.taskexec.api.proto.NodeDescription;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.Iterator;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One registration with one manager, from the Session call to its end. {@link #run} is called on
 * the session's own thread and returns why the session ended; everything that can end it
 * (the Session stream, heartbeats, the assignment stream, the log broker, status reports, a
 * changed description, {@link #end}) posts an event that thread takes, so the observer is called
 * on that thread only, in order.
 *
 * <p>Every call of the session is made in one cancellable gRPC {@link Context}; cancelling it at
 * the end stops every stream at once.
 */
final class ManagerSession {

    private static final Logger log = LoggerFactory.getLogger(ManagerSession.class);

    /** Something that ended the session. */
    private record Ended(Throwable cause) {}

    private final SessionSettings settings;
    private final String address;
    private final Channel channel;
    private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final Context.CancellableContext context = Context.ROOT.withCancellation();
    private volatile String sessionId = "";

    ManagerSession(SessionSettings settings, String address) {
        this.settings = settings;
        this.address = address;
        this.channel = settings.channels().channel(address);
    }

    String address() {
        return address;
    }

    /** The id the manager gave, once registered; empty before. */
    String sessionId() {
        return sessionId;
    }

    boolean registered() {
        return !sessionId.isEmpty();
    }

    /** Ends the session (from any thread); the first cause wins. */
    void end(Throwable cause) {
        events.add(new Ended(cause));
    }

    /**
     * Registers with {@code description} and serves the session until it ends.
     *
     * @param previousSessionId the id of the node's previous session, or empty
     * @return why it ended
     */
    Throwable run(String previousSessionId, NodeDescription description)
            throws InterruptedException {
        SessionRequest request =
                SessionRequest.newBuilder()
                        .setDescription(description)
                        .setSessionId(previousSessionId)
                        .build();
        context.run(
                () ->
                        DispatcherGrpc.newStub(channel)
                                .session(
                                        request,
                                        new StreamObserver<>() {
                                            @Override
                                            public void onNext(SessionMessage message) {
                                                events.add(message);
                                            }

                                            @Override
                                            public void onError(Throwable t) {
                                                end(t);
                                            }

                                            @Override
                                            public void onCompleted() {
                                                end(
                                                        new SessionEndedException(
                                                                "the manager closed the session stream"));
                                            }
                                        }));
        Heartbeater heartbeater = null;
        Thread assignments = null;
        StatusSender.Target target = null;
        AutoCloseable logs = null;
        try {
            Object first =
                    events.poll(settings.firstMessageTimeout().toNanos(), TimeUnit.NANOSECONDS);
            if (first == null) {
                return new SessionEndedException(
                        "no session message from "
                                + address
                                + " within "
                                + settings.firstMessageTimeout().toMillis()
                                + " ms");
            }
            if (first instanceof Ended ended) {
                return ended.cause();
            }
            SessionMessage message = (SessionMessage) first;
            if (message.getSessionId().isEmpty()) {
                return new SessionEndedException(
                        "the manager's first session message has no session id");
            }
            sessionId = message.getSessionId();
            log.info("registered with manager {} (session {})", address, sessionId);
            settings.notify(o -> o.sessionStarted(sessionId, address));
            handle(message);

            heartbeater = new Heartbeater(channel, sessionId, settings.rpcTimeout(), this::end);
            heartbeater.start();
            target = new StatusSender.Target(sessionId, channel, this::end);
            settings.statuses().attach(target);
            assignments =
                    Thread.ofPlatform()
                            .daemon()
                            .name("taskexec-swarm-assignments")
                            .start(this::watchAssignments);
            logs = settings.logs().open(channel, context, this::end);

            NodeDescription registeredWith = description;
            long nextCheck = System.nanoTime() + settings.descriptionCheckPeriod().toNanos();
            while (true) {
                Object event =
                        events.poll(
                                Math.max(0, nextCheck - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (event == null) {
                    nextCheck = System.nanoTime() + settings.descriptionCheckPeriod().toNanos();
                    if (!settings.describer().describe().equals(registeredWith)) {
                        return new SessionEndedException("the node description changed");
                    }
                } else if (event instanceof Ended ended) {
                    return ended.cause();
                } else {
                    handle((SessionMessage) event);
                }
            }
        } finally {
            context.cancel(null);
            if (heartbeater != null) {
                heartbeater.close();
            }
            if (target != null) {
                settings.statuses().detach(target);
            }
            if (assignments != null) {
                assignments.interrupt();
            }
            if (logs != null) {
                try {
                    logs.close();
                } catch (Exception e) {
                    log.warn("closing the log broker session failed", e);
                }
            }
        }
    }

    private void handle(SessionMessage message) {
        if (message.hasNode()) {
            settings.notify(o -> o.nodeUpdated(message.getNode()));
        }
        if (!message.getRootCA().isEmpty()) {
            settings.notify(o -> o.rootCaOffered(message.getRootCA()));
        }
        if (message.getManagersCount() > 0) {
            settings.managers().replace(message.getManagersList(), address);
        }
    }

    /**
     * Reads the Assignments stream. A COMPLETE message is always applied; an INCREMENTAL one only
     * if it applies to the last result seen on this stream. Otherwise a message was lost: the
     * stream is re-opened, and the manager starts the new one with a COMPLETE message, which
     * re-synchronises (swarmkit's agent also applies the message after the gap; taskexec does
     * not, as the COMPLETE message that follows supersedes it).
     */
    private void watchAssignments() {
        AssignmentsRequest request =
                AssignmentsRequest.newBuilder().setSessionId(sessionId).build();
        try {
            while (!context.isCancelled()) {
                Context.CancellableContext stream = context.withCancellation();
                try {
                    boolean gap =
                            stream.call(
                                    () -> {
                                        Iterator<AssignmentsMessage> it =
                                                DispatcherGrpc.newBlockingStub(channel)
                                                        .assignments(request);
                                        String resultsIn = null;
                                        while (it.hasNext()) {
                                            AssignmentsMessage m = it.next();
                                            if (m.getType() == AssignmentsMessage.Type.INCREMENTAL
                                                    && (resultsIn == null
                                                            || !resultsIn.equals(
                                                                    m.getAppliesTo()))) {
                                                log.info(
                                                        "assignment stream gap: expected a change to {}, got one to {}; re-syncing",
                                                        resultsIn,
                                                        m.getAppliesTo());
                                                return true;
                                            }
                                            resultsIn = m.getResultsIn();
                                            settings.assignments().apply(m);
                                        }
                                        return false;
                                    });
                    if (!gap) {
                        end(new SessionEndedException("the manager closed the assignment stream"));
                        return;
                    }
                } finally {
                    stream.cancel(null);
                }
            }
        } catch (StatusRuntimeException e) {
            end(e);
        } catch (Exception e) {
            log.error("applying an assignment failed", e);
            end(e);
        }
    }
}

package dev.taskexec.agent.session;

import dev.taskexec.agent.proto.DispatcherGrpc;
import dev.taskexec.agent.proto.HeartbeatRequest;
import dev.taskexec.agent.proto.HeartbeatResponse;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one session alive: the first heartbeat at once, then one each period the manager returned,
 * as swarmkit's agent does. It runs on a platform thread of its own, at the highest priority,
 * that does nothing else and calls the blocking stub (whose callbacks run on that same thread),
 * so no task, log stream or assignment can delay a beat. A manager expects the next beat within
 * three periods; a failed beat (any error, or no answer within the RPC timeout) ends the session,
 * which then re-registers.
 */
final class Heartbeater implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Heartbeater.class);

    /** Used when the manager returns no period: swarmkit's default. */
    static final Duration DEFAULT_PERIOD = Duration.ofSeconds(5);

    private final Thread thread;
    private final AtomicLong beats = new AtomicLong();
    private volatile boolean closed;

    Heartbeater(
            Channel channel, String sessionId, Duration rpcTimeout, Consumer<Throwable> onFailure) {
        DispatcherGrpc.DispatcherBlockingStub stub = DispatcherGrpc.newBlockingStub(channel);
        HeartbeatRequest request = HeartbeatRequest.newBuilder().setSessionId(sessionId).build();
        this.thread =
                Thread.ofPlatform()
                        .daemon()
                        .priority(Thread.MAX_PRIORITY)
                        .name("taskexec-swarm-heartbeat")
                        .unstarted(
                                () -> {
                                    try {
                                        while (!closed) {
                                            HeartbeatResponse response =
                                                    stub.withDeadlineAfter(
                                                                    rpcTimeout.toNanos(),
                                                                    TimeUnit.NANOSECONDS)
                                                            .heartbeat(request);
                                            beats.incrementAndGet();
                                            Duration period =
                                                    response.hasPeriod()
                                                            ? Duration.ofSeconds(
                                                                    response.getPeriod()
                                                                            .getSeconds(),
                                                                    response.getPeriod().getNanos())
                                                            : DEFAULT_PERIOD;
                                            if (period.isNegative() || period.isZero()) {
                                                period = DEFAULT_PERIOD;
                                            }
                                            Thread.sleep(period);
                                        }
                                    } catch (InterruptedException e) {
                                        // closed
                                    } catch (StatusRuntimeException e) {
                                        if (!closed) {
                                            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                                                log.warn(
                                                        "heartbeat: the manager no longer knows this node ({})",
                                                        e.getStatus().getDescription());
                                            }
                                            onFailure.accept(e);
                                        }
                                    } catch (RuntimeException e) {
                                        if (!closed) {
                                            onFailure.accept(e);
                                        }
                                    }
                                });
    }

    void start() {
        thread.start();
    }

    /** How many heartbeats the manager has answered. */
    long beats() {
        return beats.get();
    }

    /**
     * Stops the heartbeats: interrupts the thread (which cancels a call in flight) and waits up to a
     * second for it to end, so that no heartbeat is sent once this returns, unless the thread was
     * stuck beyond that.
     */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(Duration.ofSeconds(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

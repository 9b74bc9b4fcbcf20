package dev.taskexec.agent.session;

import dev.taskexec.agent.proto.LogBrokerGrpc;
import dev.taskexec.agent.proto.PublishLogsResponse;
import dev.taskexec.api.proto.LogMessage;
import dev.taskexec.api.proto.PublishLogsMessage;
import dev.taskexec.api.proto.SubscriptionMessage;
import dev.taskexec.core.LogSubscription;
import dev.taskexec.core.Worker;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log subscription from the manager, served on one {@code PublishLogs} stream by a thread of
 * its own:
 * <ol>
 *   <li>the worker's {@linkplain Worker#subscribeLogs log subscription} with the manager's
 *       selector and options: {@code streams}, {@code since}, swarmkit's {@code tail} encoding
 *       ({@code 0} all, {@code -(n+1)} the last n) and {@code follow} are applied by the
 *       controllers, and with follow, matching tasks that start later are picked up;</li>
 *   <li>every message goes out as {@code PublishLogsMessage{subscription_id, [message]}} with
 *       {@code context.node_id} set to this node's id (the certificate's common name: a manager
 *       refuses any other), waiting while the stream is not ready (flow control);</li>
 *   <li>when the subscription is done (without follow: every matching task has published what it
 *       has; with follow: the manager closed the subscription or the session ended), a last
 *       {@code PublishLogsMessage{subscription_id, close=true}} and the half-close. The close is
 *       sent in every case where the stream still works, even when no task matched: a manager
 *       waits for it from every node before the client's {@code docker service logs} ends.</li>
 * </ol>
 */
final class LogPublication {

    private static final Logger log = LoggerFactory.getLogger(LogPublication.class);

    private final SubscriptionMessage subscription;
    private final Worker worker;
    private final String nodeId;
    private final Channel channel;
    private final Context context;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private volatile ClientCallStreamObserver<PublishLogsMessage> stream;
    private volatile boolean broken;
    private volatile boolean ended;
    private volatile LogSubscription logs;

    LogPublication(
            SubscriptionMessage subscription,
            Worker worker,
            String nodeId,
            Channel channel,
            Context context) {
        this.subscription = subscription;
        this.worker = worker;
        this.nodeId = nodeId;
        this.channel = channel;
        this.context = context;
        this.thread =
                Thread.ofPlatform()
                        .daemon()
                        .name("taskexec-swarm-logs-" + subscription.getId())
                        .unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    boolean isFinished() {
        return !thread.isAlive() && thread.getState() != Thread.State.NEW;
    }

    /** The manager closed the subscription, or the session ended: stop following. */
    void end() {
        ended = true;
        thread.interrupt(); // the thread closes the worker's subscription: this must not block
    }

    private void run() {
        String id = subscription.getId();
        context.run(
                () ->
                        LogBrokerGrpc.newStub(channel)
                                .publishLogs(
                                        new ClientResponseObserver<
                                                PublishLogsMessage, PublishLogsResponse>() {
                                            @Override
                                            public void beforeStart(
                                                    ClientCallStreamObserver<PublishLogsMessage>
                                                            requests) {
                                                stream = requests;
                                                requests.setOnReadyHandler(() -> signal());
                                            }

                                            @Override
                                            public void onNext(PublishLogsResponse value) {}

                                            @Override
                                            public void onError(Throwable t) {
                                                broken = true;
                                                log.debug(
                                                        "log subscription {}: PublishLogs failed: {}",
                                                        id,
                                                        t.toString());
                                                end();
                                                signal();
                                            }

                                            @Override
                                            public void onCompleted() {}
                                        }));
        try {
            if (!ended) {
                logs =
                        worker.subscribeLogs(
                                subscription.getSelector(),
                                subscription.getOptions(),
                                this::publish);
                if (ended) {
                    logs.close();
                }
                while (!logs.await(Duration.ofMinutes(1))) {
                    // following: until the manager closes the subscription or the session ends
                }
            }
        } catch (InterruptedException e) {
            LogSubscription l = logs;
            if (l != null) {
                l.close();
            }
        } catch (RuntimeException e) {
            log.warn("log subscription {}: {}", id, e.toString());
        } finally {
            finish();
        }
    }

    private void publish(LogMessage message) throws InterruptedException {
        LogMessage ours =
                message.toBuilder()
                        .setContext(message.getContext().toBuilder().setNodeId(nodeId))
                        .build();
        send(
                PublishLogsMessage.newBuilder()
                        .setSubscriptionId(subscription.getId())
                        .addMessages(ours)
                        .build());
    }

    private void send(PublishLogsMessage message) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!broken && !stream.isReady()) {
                ready.await();
            }
            if (broken) {
                throw new IllegalStateException("the PublishLogs stream is broken");
            }
            stream.onNext(message);
        } finally {
            lock.unlock();
        }
    }

    private void signal() {
        lock.lock();
        try {
            ready.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Sends the close and half-closes, unless the stream broke. */
    private void finish() {
        if (broken) {
            return;
        }
        try {
            // the close goes out even when this thread was interrupted to end a follow
            stream.onNext(
                    PublishLogsMessage.newBuilder()
                            .setSubscriptionId(subscription.getId())
                            .setClose(true)
                            .build());
            stream.onCompleted();
        } catch (RuntimeException e) {
            log.debug(
                    "log subscription {}: sending the close failed: {}",
                    subscription.getId(),
                    e.toString());
        }
    }
}

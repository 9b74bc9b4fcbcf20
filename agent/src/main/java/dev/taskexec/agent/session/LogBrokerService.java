package dev.taskexec.agent.session;

import dev.taskexec.agent.proto.ListenSubscriptionsRequest;
import dev.taskexec.agent.proto.LogBrokerGrpc;
import dev.taskexec.api.proto.SubscriptionMessage;
import dev.taskexec.core.Worker;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code docker service logs} for the node's tasks: swarmkit's agent side of the log
 * broker. Per session it keeps one {@code ListenSubscriptions} stream open (a manager counts only
 * nodes with that stream as connected, and marks their part of a subscription "not available"
 * otherwise); each subscription it receives gets one {@link LogPublication}, and a subscription
 * message with {@code close} ends that publication. A subscription id seen before on this stream
 * is ignored, as is a close for an unknown one. The stream breaking, or the manager ending it,
 * ends the session (swarmkit's agent does the same).
 */
final class LogBrokerService implements LogService {

    private static final Logger log = LoggerFactory.getLogger(LogBrokerService.class);

    private final Worker worker;
    private final String nodeId;

    LogBrokerService(Worker worker, String nodeId) {
        this.worker = worker;
        this.nodeId = nodeId;
    }

    @Override
    public AutoCloseable open(Channel channel, Context context, Consumer<Throwable> onFailure) {
        Listener listener = new Listener(channel, context, onFailure);
        context.run(
                () ->
                        LogBrokerGrpc.newStub(channel)
                                .listenSubscriptions(
                                        ListenSubscriptionsRequest.getDefaultInstance(), listener));
        return listener;
    }

    private final class Listener implements StreamObserver<SubscriptionMessage>, AutoCloseable {
        private final Channel channel;
        private final Context context;
        private final Consumer<Throwable> onFailure;
        private final Map<String, LogPublication> publications = new HashMap<>();
        private boolean closed;

        Listener(Channel channel, Context context, Consumer<Throwable> onFailure) {
            this.channel = channel;
            this.context = context;
            this.onFailure = onFailure;
        }

        @Override
        public void onNext(SubscriptionMessage message) {
            LogPublication ending = null;
            synchronized (this) {
                if (closed) {
                    return;
                }
                publications.values().removeIf(LogPublication::isFinished);
                if (message.getClose()) {
                    ending = publications.remove(message.getId());
                } else if (!publications.containsKey(message.getId())) {
                    LogPublication p =
                            new LogPublication(message, worker, nodeId, channel, context);
                    publications.put(message.getId(), p);
                    p.start();
                    log.debug(
                            "log subscription {} started (follow={})",
                            message.getId(),
                            message.getOptions().getFollow());
                }
            }
            if (ending != null) {
                ending.end();
            }
        }

        @Override
        public void onError(Throwable t) {
            onFailure.accept(t);
        }

        @Override
        public void onCompleted() {
            onFailure.accept(
                    new SessionEndedException("the manager closed the log subscription stream"));
        }

        @Override
        public void close() {
            List<LogPublication> all;
            synchronized (this) {
                closed = true;
                all = new ArrayList<>(publications.values());
                publications.clear();
            }
            all.forEach(LogPublication::end);
        }
    }
}

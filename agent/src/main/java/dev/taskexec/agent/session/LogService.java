package dev.taskexec.agent.session;

import io.grpc.Channel;
import io.grpc.Context;
import java.util.function.Consumer;

/** The log side of a session: opened when a session is registered, closed when it ends. */
interface LogService {

    /**
     * Starts serving log subscriptions on {@code channel}, with every call made in
     * {@code context}; a failure that should end the session goes to {@code onFailure}.
     */
    AutoCloseable open(Channel channel, Context context, Consumer<Throwable> onFailure);
}

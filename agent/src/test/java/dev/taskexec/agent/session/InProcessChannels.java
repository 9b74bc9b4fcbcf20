package dev.taskexec.agent.session;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@link ManagerChannels} to in-process servers named by their address. */
final class InProcessChannels implements ManagerChannels {

    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private volatile boolean closed;

    @Override
    public Channel channel(String managerAddress) {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        return channels.computeIfAbsent(
                managerAddress, a -> InProcessChannelBuilder.forName(a).build());
    }

    @Override
    public void close() {
        closed = true;
        channels.values().forEach(ManagedChannel::shutdownNow);
    }
}

package dev.taskexec.agent.tls;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.taskexec.agent.identity.NodeIdentity;
import dev.taskexec.agent.session.ManagerChannels;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * {@link ManagerChannels} over mutual TLS with the node's current identity ({@link NodeTls#mutual}).
 *
 * <p>{@link #update} installs a renewed certificate or a new root: later {@link #channel} calls get
 * new channels, and the channels handed out before are shut down gracefully, so calls in flight on
 * them finish while new calls fail with {@code UNAVAILABLE} (which makes the session re-register
 * over a new channel, re-sending its description with the new TLS information).
 */
@API(status = INTERNAL, since = "0.1")
public final class TlsManagerChannels implements ManagerChannels {

    private final Map<String, ManagedChannel> channels = new HashMap<>();
    private NodeIdentity identity;
    private boolean closed;

    public TlsManagerChannels(NodeIdentity identity) {
        this.identity = Objects.requireNonNull(identity, "identity");
    }

    @Override
    public synchronized Channel channel(String managerAddress) {
        if (closed) {
            throw new IllegalStateException("manager channels are closed");
        }
        ManagerAddress address = ManagerAddress.parse(managerAddress);
        return channels.computeIfAbsent(
                address.toString(), key -> NodeTls.mutual(address, identity));
    }

    /**
     * Uses {@code newIdentity} for every channel from now on and retires the current ones. Ignored
     * after {@link #close()}.
     */
    public void update(NodeIdentity newIdentity) {
        Objects.requireNonNull(newIdentity, "newIdentity");
        List<ManagedChannel> retired;
        synchronized (this) {
            if (closed) {
                return;
            }
            identity = newIdentity;
            retired = new ArrayList<>(channels.values());
            channels.clear();
        }
        retired.forEach(ManagedChannel::shutdown);
    }

    /** The identity new channels authenticate as. */
    public synchronized NodeIdentity identity() {
        return identity;
    }

    @Override
    public void close() {
        List<ManagedChannel> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(channels.values());
            channels.clear();
        }
        all.forEach(ManagedChannel::shutdownNow);
    }
}

package dev.taskexec.agent.session;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.grpc.Channel;
import org.apiguardian.api.API;

/**
 * Where the dispatcher session gets its connections to swarm managers: the seam between the
 * node's identity (certificates, TLS) and its session with the swarm.
 *
 * <p>An implementation authenticates every call as this node (mutual TLS with the node's current
 * certificate, the swarm's current root CA as trust anchor). When the certificate is renewed or the
 * root rotates, later calls to {@link #channel} return channels that use the new material; channels
 * handed out earlier keep working until {@link #close()} or until the implementation retires them
 * (calls on a retired channel fail with {@code UNAVAILABLE}, which the session treats as a reason to
 * re-session).
 *
 * <p>Thread-safe. {@link #channel} never blocks on the network: connecting happens on first use of
 * the channel.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface ManagerChannels extends AutoCloseable {

    /**
     * The channel to use now for the manager at {@code managerAddress}.
     *
     * @param managerAddress {@code host:port} of a manager's swarm port, as the join command or a
     *     session's manager list names it
     * @return a channel; the same instance for the same address until the credentials change
     * @throws IllegalArgumentException if the address is not {@code host:port}
     * @throws IllegalStateException after {@link #close()}
     */
    Channel channel(String managerAddress);

    /** Shuts down every channel handed out. Idempotent; does not block on the network. */
    @Override
    void close();
}

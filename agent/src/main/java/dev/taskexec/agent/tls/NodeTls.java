package dev.taskexec.agent.tls;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.taskexec.agent.identity.NodeIdentity;
import dev.taskexec.agent.identity.TrustRoots;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.grpc.netty.shaded.io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLException;
import org.apiguardian.api.API;

/**
 * The three kinds of TLS channel a swarm node opens to a manager's swarm port:
 *
 * <table>
 *   <caption>channels</caption>
 *   <tr><th>kind</th><th>server verified against</th><th>client certificate</th><th>server name</th></tr>
 *   <tr><td>{@link #bootstrap}: fetch the root CA</td><td>nothing (the join token's digest is the trust)</td><td>none</td><td>{@code swarm-ca}</td></tr>
 *   <tr><td>{@link #joining}: request the first certificate</td><td>the swarm's roots</td><td>none</td><td>{@code swarm-ca}</td></tr>
 *   <tr><td>{@link #mutual}: everything else, renewal included</td><td>the swarm's roots</td><td>the node's</td><td>{@code swarm-manager}</td></tr>
 * </table>
 *
 * <p>The server name is what swarmkit's managers have in their certificates (they have no IP
 * names), sent as SNI and checked as the host name. Every channel is built with the JDK's TLS
 * provider, accepts a manager that offers no ALPN ({@link AlpnOptional}), and takes messages of any
 * size (a busy node's full assignment set can exceed grpc's 4 MiB default, as swarmkit allows).
 */
@API(status = INTERNAL, since = "0.1")
public final class NodeTls {

    /** The server name managers answer the CA on. */
    public static final String CA_SERVER_NAME = "swarm-ca";

    /** The server name managers answer everything else on. */
    public static final String MANAGER_SERVER_NAME = "swarm-manager";

    private NodeTls() {}

    /** A channel that trusts any server certificate; only for {@code GetRootCACertificate}. */
    public static ManagedChannel bootstrap(ManagerAddress address) {
        try {
            SslContext context =
                    GrpcSslContexts.configure(
                                    io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder
                                            .forClient(),
                                    SslProvider.JDK)
                            .trustManager(InsecureTrustManagerFactory.INSTANCE)
                            .build();
            return channel(address, context, CA_SERVER_NAME);
        } catch (SSLException e) {
            throw new IllegalStateException(
                    "cannot set up TLS with this JDK: " + e.getMessage(), e);
        }
    }

    /** A channel that verifies the manager against {@code roots} and presents no certificate. */
    public static ManagedChannel joining(ManagerAddress address, TrustRoots roots) {
        try {
            SslContext context =
                    GrpcSslContexts.configure(
                                    io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder
                                            .forClient(),
                                    SslProvider.JDK)
                            .trustManager(roots.certificates().toArray(new X509Certificate[0]))
                            .build();
            return channel(address, context, CA_SERVER_NAME);
        } catch (SSLException e) {
            throw new IllegalStateException(
                    "cannot set up TLS with the swarm's root CA: " + e.getMessage(), e);
        }
    }

    /** A mutual-TLS channel authenticated as {@code identity}. */
    public static ManagedChannel mutual(ManagerAddress address, NodeIdentity identity) {
        return channel(address, mutualContext(identity), MANAGER_SERVER_NAME);
    }

    /** The client TLS context of {@code identity}: its key and chain, its roots as trust anchors. */
    public static SslContext mutualContext(NodeIdentity identity) {
        try {
            return GrpcSslContexts.configure(
                            io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder.forClient(),
                            SslProvider.JDK)
                    .keyManager(identity.key(), identity.chain().toArray(new X509Certificate[0]))
                    .trustManager(identity.roots().certificates().toArray(new X509Certificate[0]))
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException(
                    "cannot set up mutual TLS with the node's certificate: " + e.getMessage(), e);
        }
    }

    static ManagedChannel channel(ManagerAddress address, SslContext context, String serverName) {
        return NettyChannelBuilder.forAddress(address.host(), address.port())
                .sslContext(AlpnOptional.wrap(context))
                .overrideAuthority(serverName)
                .maxInboundMessageSize(Integer.MAX_VALUE)
                .build();
    }
}

package dev.taskexec.agent.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.agent.identity.FakeCa;
import dev.taskexec.agent.identity.NodeIdentity;
import dev.taskexec.agent.identity.TestCa;
import dev.taskexec.agent.proto.CAGrpc;
import dev.taskexec.agent.proto.GetRootCACertificateRequest;
import io.grpc.Channel;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Risk R1: a manager that offers no ALPN (a Docker 20.10 manager after renewing its own
 * certificate). The server here is a real TLS server on loopback that negotiates no ALPN protocol.
 */
class TlsManagerChannelsTest {

    private final TestCa ca = new TestCa("cluster-1");
    private final AtomicReference<String> peer = new AtomicReference<>();
    private Server server;
    private String address;

    @BeforeEach
    void startManagerWithoutAlpn() throws Exception {
        KeyPair managerKey = TestCa.newKey();
        X509Certificate managerCert =
                ca.node(managerKey.getPublic(), "manager1", "swarm-manager", Duration.ofDays(1));
        // No applicationProtocolConfig: the server selects no ALPN protocol, like the rotated
        // manager.
        SslContext noAlpn =
                SslContextBuilder.forServer(managerKey.getPrivate(), managerCert)
                        .sslProvider(SslProvider.JDK)
                        .trustManager(ca.root())
                        .clientAuth(ClientAuth.OPTIONAL)
                        .build();
        ServerInterceptor recordPeer =
                new ServerInterceptor() {
                    @Override
                    public <Q, A> ServerCall.Listener<Q> interceptCall(
                            ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
                        SSLSession session =
                                call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
                        try {
                            peer.set(
                                    ((X509Certificate) session.getPeerCertificates()[0])
                                            .getSubjectX500Principal()
                                            .getName());
                        } catch (Exception e) {
                            peer.set("none");
                        }
                        return Contexts.interceptCall(
                                io.grpc.Context.current(), call, headers, next);
                    }
                };
        FakeCa fake = new FakeCa(ca, "unused");
        server =
                NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                        .sslContext(AlpnOptional.wrap(noAlpn))
                        .addService(ServerInterceptors.intercept(fake.caService(), recordPeer))
                        .build()
                        .start();
        address = "127.0.0.1:" + server.getPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    @Test
    void connectsWithMutualTlsToAManagerThatOffersNoAlpn() {
        NodeIdentity identity = ca.identity("node-a", Duration.ofDays(1));
        try (TlsManagerChannels channels = new TlsManagerChannels(identity)) {
            byte[] roots = call(channels.channel(address));
            assertEquals(new String(ca.rootPem()), new String(roots));
            assertTrue(peer.get().contains("CN=node-a"), peer.get());
        }
    }

    @Test
    void plainGrpcJavaIsRefusedByTheSameServer() throws Exception {
        NodeIdentity identity = ca.identity("node-a", Duration.ofDays(1));
        SslContext plain =
                GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK)
                        .keyManager(identity.key(), identity.leaf())
                        .trustManager(ca.root())
                        .build();
        ManagedChannel channel =
                NettyChannelBuilder.forTarget(address)
                        .sslContext(plain)
                        .overrideAuthority(NodeTls.MANAGER_SERVER_NAME)
                        .build();
        try {
            StatusRuntimeException e =
                    assertThrows(StatusRuntimeException.class, () -> call(channel));
            assertTrue(
                    String.valueOf(e.getStatus().getDescription()).contains("ALPN"),
                    e.getStatus().toString());
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void aServerWithAnotherCaIsNotTrusted() {
        NodeIdentity stranger = new TestCa("other").identity("node-a", Duration.ofDays(1));
        try (TlsManagerChannels channels = new TlsManagerChannels(stranger)) {
            assertThrows(StatusRuntimeException.class, () -> call(channels.channel(address)));
        }
    }

    @Test
    @SuppressWarnings(
            "try") // closes the resource inside its try, to check a closed one; closing twice is
    // allowed
    void anUpdateHandsOutNewChannelsAndRetiresTheOldOnes() {
        NodeIdentity first = ca.identity("node-a", Duration.ofDays(1));
        try (TlsManagerChannels channels = new TlsManagerChannels(first)) {
            Channel before = channels.channel(address);
            assertSame(before, channels.channel(address));
            call(before);
            channels.update(ca.identity("node-a", Duration.ofDays(2)));
            Channel after = channels.channel(address);
            assertNotSame(before, after);
            assertTrue(((ManagedChannel) before).isShutdown());
            call(after);
            channels.close();
            assertTrue(((ManagedChannel) after).isShutdown());
            assertThrows(IllegalStateException.class, () -> channels.channel(address));
        }
    }

    @Test
    void aBadAddressNamesWhatIsWrong() {
        try (TlsManagerChannels channels =
                new TlsManagerChannels(ca.identity("n", Duration.ofDays(1)))) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> channels.channel("nohost"));
            assertTrue(e.getMessage().contains("must be host:port"), e.getMessage());
        }
        assertEquals(new ManagerAddress("::1", 2377), ManagerAddress.parse("[::1]:2377"));
        assertThrows(IllegalArgumentException.class, () -> ManagerAddress.parse("::1:2377"));
        assertThrows(IllegalArgumentException.class, () -> ManagerAddress.parse("host:99999"));
        assertThrows(IllegalArgumentException.class, () -> ManagerAddress.parse("host:x"));
    }

    private static byte[] call(Channel channel) {
        return CAGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .getRootCACertificate(GetRootCACertificateRequest.getDefaultInstance())
                .getCertificate()
                .toByteArray();
    }
}

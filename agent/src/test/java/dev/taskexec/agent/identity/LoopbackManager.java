package dev.taskexec.agent.identity;

import dev.taskexec.agent.tls.AlpnOptional;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A TLS gRPC server on loopback with a manager certificate from a {@link TestCa}, offering no ALPN
 * (like a Docker 20.10 manager after renewing its own certificate).
 */
public final class LoopbackManager implements AutoCloseable {

    private final Server server;

    public LoopbackManager(TestCa ca, X509Certificate... extraTrust) throws Exception {
        this(ca, new BindableService[0], extraTrust);
    }

    public LoopbackManager(TestCa ca, BindableService[] services, X509Certificate... extraTrust)
            throws Exception {
        KeyPair key = TestCa.newKey();
        X509Certificate cert =
                ca.node(key.getPublic(), "manager1", "swarm-manager", Duration.ofDays(1));
        X509Certificate[] trust = new X509Certificate[extraTrust.length + 1];
        trust[0] = ca.root();
        System.arraycopy(extraTrust, 0, trust, 1, extraTrust.length);
        NettyServerBuilder builder =
                NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                        .sslContext(
                                AlpnOptional.wrap(
                                        SslContextBuilder.forServer(key.getPrivate(), cert)
                                                .sslProvider(SslProvider.JDK)
                                                .trustManager(trust)
                                                .clientAuth(ClientAuth.OPTIONAL)
                                                .build()));
        for (BindableService service : services) {
            builder.addService(service);
        }
        server = builder.build().start();
    }

    public String address() {
        return "127.0.0.1:" + server.getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread()
                    .interrupt(); // shut down already; the waiting is what was cut short
        }
    }
}

package dev.taskexec.agent.tls;

import static org.apiguardian.api.API.Status.INTERNAL;

import io.grpc.netty.shaded.io.netty.buffer.ByteBufAllocator;
import io.grpc.netty.shaded.io.netty.handler.ssl.ApplicationProtocolNegotiator;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSessionContext;
import org.apiguardian.api.API;

/**
 * An {@link SslContext} that makes grpc-java accept a TLS session in which the peer selected no
 * ALPN protocol, and speak HTTP/2 over it anyway.
 *
 * <p>Why: a Docker 20.10 manager (swarmkit before v2) stops offering ALPN {@code h2} once its own
 * certificate has been renewed (a root rotation, a routine renewal), because the TLS configuration
 * it swaps in lacks {@code NextProtos}. Its gRPC server still speaks HTTP/2 on the connection, and
 * swarmkit's own Go agents never look at ALPN, but grpc-java's TLS handler fails the connection
 * with "Failed ALPN negotiation" when the negotiated protocol is not one of those its {@code
 * SslContext} lists. This wrapper lists "no protocol" ({@code null}) next to {@code h2}, so that
 * check passes; everything else (the engine, its ALPN offer of {@code h2}, certificate checks) is
 * the wrapped context's. A peer that does negotiate ALPN must still pick {@code h2}: the wrapped
 * engine's own negotiation rejects anything else.
 *
 * <p>It relies on how grpc-netty's TLS handlers check the negotiated protocol (against {@code
 * applicationProtocolNegotiator().protocols()}); {@code TlsManagerChannelsTest} covers that with a
 * TLS server that offers no ALPN, so a grpc upgrade that changes it fails the build.
 */
@API(status = INTERNAL, since = "0.1")
public final class AlpnOptional extends SslContext {

    private final SslContext delegate;

    // Netty deprecated ApplicationProtocolNegotiator, but SslContext still declares it as the type
    // of
    // applicationProtocolNegotiator(), which grpc-netty reads and this class exists to override.
    @SuppressWarnings("deprecation")
    private final ApplicationProtocolNegotiator negotiator;

    private AlpnOptional(SslContext delegate) {
        this.delegate = delegate;
        List<String> protocols =
                new java.util.ArrayList<>(delegate.applicationProtocolNegotiator().protocols());
        if (!protocols.contains("h2")) {
            protocols.add("h2");
        }
        protocols.add(null);
        List<String> view =
                Collections.unmodifiableList(Arrays.asList(protocols.toArray(new String[0])));
        this.negotiator = () -> view;
    }

    /** {@code context}, also accepting a peer that negotiates no ALPN protocol. */
    public static SslContext wrap(SslContext context) {
        return context instanceof AlpnOptional ? context : new AlpnOptional(context);
    }

    @Override
    public boolean isClient() {
        return delegate.isClient();
    }

    @Override
    public List<String> cipherSuites() {
        return delegate.cipherSuites();
    }

    @Override
    @SuppressWarnings("deprecation") // the type SslContext declares; see the field
    public ApplicationProtocolNegotiator applicationProtocolNegotiator() {
        return negotiator;
    }

    @Override
    public SSLEngine newEngine(ByteBufAllocator alloc) {
        return delegate.newEngine(alloc);
    }

    @Override
    public SSLEngine newEngine(ByteBufAllocator alloc, String peerHost, int peerPort) {
        return delegate.newEngine(alloc, peerHost, peerPort);
    }

    @Override
    public SSLSessionContext sessionContext() {
        return delegate.sessionContext();
    }
}

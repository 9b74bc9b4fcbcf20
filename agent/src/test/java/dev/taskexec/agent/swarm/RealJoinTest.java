package dev.taskexec.agent.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.agent.identity.CertificateAuthorityClient;
import dev.taskexec.agent.identity.IdentityStore;
import dev.taskexec.agent.identity.JoinToken;
import dev.taskexec.agent.identity.NodeIdentity;
import dev.taskexec.agent.identity.SwarmIdentity;
import dev.taskexec.agent.proto.CAGrpc;
import dev.taskexec.agent.proto.GetRootCACertificateRequest;
import dev.taskexec.agent.tls.ManagerAddress;
import dev.taskexec.agent.tls.NodeTls;
import dev.taskexec.api.proto.NodeSpec;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(EngineSwarm.class)
class RealJoinTest {

    @TempDir Path state;

    @Test
    void joinsRenewsAndSurvivesRootRotation() throws Exception {
        ManagerAddress manager = ManagerAddress.parse(EngineSwarm.MANAGER);
        CertificateAuthorityClient ca = new CertificateAuthorityClient(Duration.ofSeconds(30));
        IdentityStore store = new IdentityStore(state);
        NodeIdentity joined;
        try (SwarmIdentity identity =
                SwarmIdentity.open(
                        store,
                        List.of(manager.toString()),
                        Optional.of(JoinToken.parse(EngineSwarm.workerToken())),
                        NodeSpec.Availability.ACTIVE,
                        ca,
                        Clock.systemUTC())) {
            joined = identity.current();
        }
        assertEquals("swarm-worker", joined.role());
        String nodes = DockerCli.ok("node", "ls", "--format", "{{.ID}}");
        assertTrue(nodes.lines().anyMatch(joined.nodeId()::equals), "docker node ls: " + nodes);

        DockerCli.ok("swarm", "ca", "--rotate", "--detach");
        // The manager renews its own certificate for the rotation, and a Docker 20.10 manager then
        // stops offering ALPN h2 (risk R1): wait until plain grpc-java is refused, so the renewal
        // below provably goes over such a connection.
        if (DockerCli.ok("version", "--format", "{{.Server.Version}}").startsWith("20.")) {
            awaitPlainGrpcRefused(manager, joined);
        }
        NodeIdentity renewed = awaitRenewal(ca, manager, joined);
        assertEquals(joined.nodeId(), renewed.nodeId());
    }

    private static void awaitPlainGrpcRefused(ManagerAddress manager, NodeIdentity identity)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String last = "no attempt";
        while (System.nanoTime() < deadline) {
            SslContext plain =
                    GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK)
                            .keyManager(
                                    identity.key(),
                                    identity.chain().toArray(new X509Certificate[0]))
                            .trustManager(
                                    identity.roots().certificates().toArray(new X509Certificate[0]))
                            .build();
            ManagedChannel channel =
                    NettyChannelBuilder.forAddress(manager.host(), manager.port())
                            .sslContext(plain)
                            .overrideAuthority(NodeTls.MANAGER_SERVER_NAME)
                            .build();
            try {
                CAGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(5, TimeUnit.SECONDS)
                        .getRootCACertificate(GetRootCACertificateRequest.getDefaultInstance());
                last = "plain grpc-java still connects";
            } catch (StatusRuntimeException e) {
                last = String.valueOf(e.getStatus().getDescription());
                if (last.contains("ALPN")) {
                    return;
                }
            } finally {
                channel.shutdownNow();
            }
            LockSupport.parkNanos(
                    Duration.ofMillis(200).toNanos()); // polling interval, not synchronisation
        }
        throw new AssertionError(
                "the Docker 20.10 manager kept offering ALPN h2 after swarm ca --rotate: " + last);
    }

    private static NodeIdentity awaitRenewal(
            CertificateAuthorityClient ca, ManagerAddress manager, NodeIdentity current)
            throws Exception {
        ManagedChannel channel = NodeTls.mutual(manager, current);
        try {
            return ca.requestCertificate(
                    channel, Optional.empty(), current.roots(), NodeSpec.Availability.ACTIVE);
        } finally {
            channel.shutdownNow();
        }
    }
}

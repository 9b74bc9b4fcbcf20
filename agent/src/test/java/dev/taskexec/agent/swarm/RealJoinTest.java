package dev.taskexec.agent.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.agent.identity.CertificateAuthorityClient;
import dev.taskexec.agent.identity.IdentityStore;
import dev.taskexec.agent.identity.JoinToken;
import dev.taskexec.agent.identity.NodeIdentity;
import dev.taskexec.agent.identity.SwarmIdentity;
import dev.taskexec.agent.tls.ManagerAddress;
import dev.taskexec.agent.tls.NodeTls;
import dev.taskexec.api.proto.NodeSpec;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(EngineSwarm.class)
class RealJoinTest {

    @TempDir
    Path state;

    @Test
    void joinsRenewsAndSurvivesRootRotation() throws Exception {
        ManagerAddress manager = ManagerAddress.parse(EngineSwarm.MANAGER);
        CertificateAuthorityClient ca = new CertificateAuthorityClient(Duration.ofSeconds(30));
        IdentityStore store = new IdentityStore(state);
        NodeIdentity joined;
        try (SwarmIdentity identity = SwarmIdentity.open(store, List.of(manager),
                Optional.of(JoinToken.parse(EngineSwarm.workerToken())), NodeSpec.Availability.ACTIVE, ca,
                Clock.systemUTC())) {
            joined = identity.current();
        }
        assertEquals("swarm-worker", joined.role());
        String nodes = DockerCli.ok("node", "ls", "--format", "{{.ID}}");
        assertTrue(nodes.lines().anyMatch(joined.nodeId()::equals), "docker node ls: " + nodes);

        DockerCli.ok("swarm", "ca", "--rotate", "--detach");
        // The manager renews its own certificate for the rotation, and a Docker 20.10 manager then
        // stops offering ALPN h2: the renewal below goes over such a connection.
        NodeIdentity renewed = awaitRenewal(ca, manager, joined);
        assertEquals(joined.nodeId(), renewed.nodeId());
    }

    private static NodeIdentity awaitRenewal(CertificateAuthorityClient ca, ManagerAddress manager,
            NodeIdentity current) throws Exception {
        ManagedChannel channel = NodeTls.mutual(manager, current);
        try {
            return ca.requestCertificate(channel, Optional.empty(), current.roots(), NodeSpec.Availability.ACTIVE);
        } finally {
            channel.shutdownNow();
        }
    }
}

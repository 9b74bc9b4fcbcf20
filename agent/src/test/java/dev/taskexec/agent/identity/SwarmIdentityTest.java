package dev.taskexec.agent.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.taskexec.agent.tls.ManagerAddress;
import dev.taskexec.agent.tls.TlsManagerChannels;
import dev.taskexec.api.proto.Certificate;
import dev.taskexec.api.proto.IssuanceStatus;
import dev.taskexec.api.proto.Node;
import dev.taskexec.api.proto.NodeSpec;
import io.grpc.BindableService;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SwarmIdentityTest {

    @TempDir Path dir;

    private final TestCa ca = new TestCa("cluster-1");
    private final CertificateAuthorityClient client =
            new CertificateAuthorityClient(Duration.ofSeconds(20));

    @Test
    void joinsOnceThenRestartsAsTheSameNodeWithoutAToken() throws Exception {
        String token = JoinTokenTest.token(ca.rootPem());
        FakeCa fake = new FakeCa(ca, token);
        try (LoopbackManager manager =
                new LoopbackManager(
                        ca, new BindableService[] {fake.caService(), fake.nodeCaService()})) {
            IdentityStore store = new IdentityStore(dir);
            String nodeId;
            try (SwarmIdentity identity =
                    SwarmIdentity.open(
                            store,
                            List.of(manager.address()),
                            Optional.of(JoinToken.parse(token)),
                            NodeSpec.Availability.ACTIVE,
                            client,
                            Clock.systemUTC())) {
                nodeId = identity.current().nodeId();
            }
            try (SwarmIdentity again =
                    SwarmIdentity.open(
                            store,
                            List.of(),
                            Optional.empty(),
                            NodeSpec.Availability.ACTIVE,
                            client,
                            Clock.systemUTC())) {
                assertEquals(nodeId, again.current().nodeId());
                assertEquals(
                        List.of(ManagerAddress.parse(manager.address()).toString()),
                        again.managers());
            }
            assertEquals(1, fake.issueRequests.size(), "the restart asked for no certificate");
        }
    }

    @Test
    void withoutIdentityOrTokenItSaysToJoin() {
        JoinException e =
                assertThrows(
                        JoinException.class,
                        () ->
                                SwarmIdentity.open(
                                        new IdentityStore(dir),
                                        List.of("127.0.0.1:1"),
                                        Optional.empty(),
                                        NodeSpec.Availability.ACTIVE,
                                        client,
                                        Clock.systemUTC()));
        assertTrue(e.getMessage().contains("give a join token"), e.getMessage());
    }

    @Test
    void aRotateInTheNodeRecordRenewsAndTheNewCertificateIsSavedAndUsed() throws Exception {
        NodeIdentity start = ca.identity("node-a", Duration.ofDays(90));
        IdentityStore store = new IdentityStore(dir);
        store.save(start);
        FakeCa fake = new FakeCa(ca, "unused");
        fake.renewalNodeId = "node-a";
        try (LoopbackManager manager =
                        new LoopbackManager(
                                ca,
                                new BindableService[] {fake.caService(), fake.nodeCaService()});
                SwarmIdentity identity =
                        SwarmIdentity.open(
                                store,
                                List.of(manager.address()),
                                Optional.empty(),
                                NodeSpec.Availability.ACTIVE,
                                client,
                                Clock.systemUTC())) {
            LinkedBlockingQueue<NodeIdentity> changes = new LinkedBlockingQueue<>();
            identity.onChange(changes::add);
            identity.start();
            identity.nodeUpdated(
                    Node.newBuilder()
                            .setCertificate(
                                    Certificate.newBuilder()
                                            .setStatus(
                                                    IssuanceStatus.newBuilder()
                                                            .setState(IssuanceStatus.State.ISSUED)))
                            .build());
            identity.nodeUpdated(
                    Node.newBuilder()
                            .setCertificate(
                                    Certificate.newBuilder()
                                            .setStatus(
                                                    IssuanceStatus.newBuilder()
                                                            .setState(IssuanceStatus.State.ROTATE)))
                            .build());
            NodeIdentity renewed = changes.poll(30, TimeUnit.SECONDS);
            assertTrue(renewed != null, "renewed within 30 s");
            assertEquals("node-a", renewed.nodeId());
            assertNotEquals(start.leaf(), renewed.leaf());
            assertEquals(renewed, store.load().orElseThrow());
            assertEquals(renewed, ((TlsManagerChannels) identity.channels()).identity());
            assertEquals("", fake.issueRequests.get(0).getToken(), "a renewal carries no token");
            assertEquals(1, fake.issueRequests.size(), "an ISSUED record starts no renewal");
        }
    }

    @Test
    void aNewRootThatIssuedTheCertificateIsTrustedWithoutRenewal() throws Exception {
        NodeIdentity start = ca.identity("node-a", Duration.ofDays(90));
        IdentityStore store = new IdentityStore(dir);
        store.save(start);
        byte[] bundle =
                (new String(ca.rootPem()) + new String(new TestCa("next").rootPem())).getBytes();
        try (SwarmIdentity identity =
                SwarmIdentity.open(
                        store,
                        List.of("127.0.0.1:1"),
                        Optional.empty(),
                        NodeSpec.Availability.ACTIVE,
                        client,
                        Clock.systemUTC())) {
            LinkedBlockingQueue<NodeIdentity> changes = new LinkedBlockingQueue<>();
            identity.onChange(changes::add);
            identity.rootCaOffered(ByteString.copyFrom(ca.rootPem()));
            identity.rootCaOffered(ByteString.copyFrom(bundle));
            NodeIdentity changed = changes.poll(30, TimeUnit.SECONDS);
            assertTrue(changed != null, "new roots adopted within 30 s");
            assertEquals(2, changed.roots().certificates().size());
            assertEquals(start.leaf(), changed.leaf());
            assertEquals(2, store.load().orElseThrow().roots().certificates().size());
            assertEquals(ByteString.copyFrom(bundle), identity.tlsInfo().getTrustRoot());
        }
    }

    @Test
    void aNewRootThatDidNotIssueTheCertificateIsAdoptedWithARenewalFromIt() throws Exception {
        NodeIdentity start = ca.identity("node-a", Duration.ofDays(90));
        IdentityStore store = new IdentityStore(dir);
        store.save(start);
        TestCa next = new TestCa("cluster-1");
        FakeCa fake = new FakeCa(next, "unused");
        fake.renewalNodeId = "node-a";
        // The manager's certificate is from the old root, and it accepts the node's old
        // certificate.
        try (LoopbackManager manager =
                        new LoopbackManager(
                                ca,
                                new BindableService[] {fake.caService(), fake.nodeCaService()});
                SwarmIdentity identity =
                        SwarmIdentity.open(
                                store,
                                List.of(manager.address()),
                                Optional.empty(),
                                NodeSpec.Availability.ACTIVE,
                                client,
                                Clock.systemUTC())) {
            LinkedBlockingQueue<NodeIdentity> changes = new LinkedBlockingQueue<>();
            identity.onChange(changes::add);
            identity.rootCaOffered(ByteString.copyFrom(next.rootPem()));
            NodeIdentity renewed = changes.poll(30, TimeUnit.SECONDS);
            assertTrue(renewed != null, "renewed within 30 s");
            assertEquals(next.root(), renewed.issuer());
            assertEquals(next.roots(), renewed.roots());
            assertEquals(
                    ByteString.copyFrom(next.root().getPublicKey().getEncoded()),
                    identity.tlsInfo().getCertIssuerPublicKey());
        }
    }
}

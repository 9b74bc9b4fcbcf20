package dev.taskexec.agent.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.taskexec.agent.proto.NodeCertificateStatusResponse;
import dev.taskexec.api.proto.Certificate;
import dev.taskexec.api.proto.IssuanceStatus;
import dev.taskexec.api.proto.NodeSpec;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CertificateAuthorityClientTest {

    private final TestCa testCa = new TestCa("cluster-1");
    private FakeCa fake;
    private Server server;
    private ManagedChannel channel;
    private JoinToken token;
    private final CertificateAuthorityClient client =
            new CertificateAuthorityClient(Duration.ofSeconds(20));

    @BeforeEach
    void start() throws Exception {
        String tokenText = JoinTokenTest.token(testCa.rootPem());
        token = JoinToken.parse(tokenText);
        fake = new FakeCa(testCa, tokenText);
        String name = InProcessServerBuilder.generateName();
        server =
                InProcessServerBuilder.forName(name)
                        .directExecutor()
                        .addService(fake.caService())
                        .addService(fake.nodeCaService())
                        .build()
                        .start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    @Test
    void joinsWithTheRootThatMatchesTheTokenAndATokenAdmittedCsr() throws Exception {
        TrustRoots roots = client.fetchRoots(channel, token);
        NodeIdentity identity =
                client.requestCertificate(
                        channel, Optional.of(token), roots, NodeSpec.Availability.DRAIN);
        assertEquals("node1", identity.nodeId());
        assertEquals("cluster-1", identity.clusterId());
        assertEquals(testCa.root(), identity.issuer());
        var request = fake.issueRequests.get(0);
        assertEquals(token.text(), request.getToken());
        assertEquals(NodeSpec.Availability.DRAIN, request.getAvailability());
        assertTrue(
                request.getCsr().toStringUtf8().startsWith("-----BEGIN CERTIFICATE REQUEST-----"));
        assertEquals(testCa.root().getPublicKey(), identity.issuer().getPublicKey());
        assertEquals(ByteString.copyFrom(testCa.rootPem()), identity.tlsInfo().getTrustRoot());
        assertEquals(
                ByteString.copyFrom(testCa.root().getPublicKey().getEncoded()),
                identity.tlsInfo().getCertIssuerPublicKey());
    }

    @Test
    void refusesARootWhoseDigestIsNotTheTokens() {
        fake.servedRoots = new TestCa("other").rootPem();
        JoinException e =
                assertThrows(JoinException.class, () -> client.fetchRoots(channel, token));
        assertTrue(
                e.getMessage().contains("but the join token pins sha256:" + token.rootDigestHex()),
                e.getMessage());
    }

    @Test
    void aRefusedTokenIsAJoinExceptionThatSaysSo() throws Exception {
        JoinToken wrong =
                JoinToken.parse("SWMTKN-1-" + token.text().split("-")[2] + "-" + "a".repeat(25));
        JoinException e =
                assertThrows(
                        JoinException.class,
                        () ->
                                client.requestCertificate(
                                        channel,
                                        Optional.of(wrong),
                                        testCa.roots(),
                                        NodeSpec.Availability.ACTIVE));
        assertTrue(
                e.getMessage().startsWith("the manager refused the join token: A valid join token"),
                e.getMessage());
        assertTrue(!e.getMessage().contains(wrong.text()));
    }

    @Test
    void acceptsOnlyTheCertificateIssuedForItsOwnCsrAndSurvivesTransientFailures()
            throws Exception {
        NodeIdentity other = testCa.identity("node1", Duration.ofDays(1));
        fake.before.add(
                NodeCertificateStatusResponse.newBuilder()
                        .setStatus(
                                IssuanceStatus.newBuilder().setState(IssuanceStatus.State.PENDING))
                        .build());
        fake.before.add(
                NodeCertificateStatusResponse.newBuilder()
                        .setStatus(
                                IssuanceStatus.newBuilder().setState(IssuanceStatus.State.ISSUED))
                        .setCertificate(
                                Certificate.newBuilder()
                                        .setCsr(ByteString.copyFromUtf8("an older csr"))
                                        .setCertificate(ByteString.copyFrom(other.chainPem())))
                        .build());
        fake.unavailableStatusCalls.set(1);
        NodeIdentity identity =
                client.requestCertificate(
                        channel, Optional.of(token), testCa.roots(), NodeSpec.Availability.ACTIVE);
        assertTrue(
                IdentityStore.matches(identity.key(), identity.leaf()),
                "the certificate is for our own key");
    }

    @Test
    void aFailedIssuanceCarriesTheCasReason() {
        fake.failIssuance = true;
        JoinException e =
                assertThrows(
                        JoinException.class,
                        () ->
                                client.requestCertificate(
                                        channel,
                                        Optional.of(token),
                                        testCa.roots(),
                                        NodeSpec.Availability.ACTIVE));
        assertTrue(e.getMessage().endsWith("CSR rejected by policy"), e.getMessage());
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() {
        TrustRoots otherRoots = new TestCa("other").roots();
        JoinException e =
                assertThrows(
                        JoinException.class,
                        () ->
                                client.requestCertificate(
                                        channel,
                                        Optional.of(token),
                                        otherRoots,
                                        NodeSpec.Availability.ACTIVE));
        assertTrue(
                e.getMessage().contains("does not chain to the trusted root CA"), e.getMessage());
    }

    @Test
    void givesUpWhenTheCaNeverIssues() {
        fake.unavailableStatusCalls.set(Integer.MAX_VALUE);
        CertificateAuthorityClient impatient =
                new CertificateAuthorityClient(Duration.ofMillis(1500));
        StatusRuntimeException e =
                assertThrows(
                        StatusRuntimeException.class,
                        () ->
                                impatient.requestCertificate(
                                        channel,
                                        Optional.of(token),
                                        testCa.roots(),
                                        NodeSpec.Availability.ACTIVE));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
    }

    @Test
    void aRenewalSendsNoToken() throws Exception {
        NodeIdentity renewed =
                client.requestCertificate(
                        channel, Optional.empty(), testCa.roots(), NodeSpec.Availability.ACTIVE);
        assertEquals("", fake.issueRequests.get(0).getToken());
        assertEquals("renewed-node", renewed.nodeId());
    }
}

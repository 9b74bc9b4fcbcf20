package dev.taskexec.agent.identity;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.google.protobuf.ByteString;
import dev.taskexec.agent.proto.CAGrpc;
import dev.taskexec.agent.proto.GetRootCACertificateRequest;
import dev.taskexec.agent.proto.IssueNodeCertificateRequest;
import dev.taskexec.agent.proto.IssueNodeCertificateResponse;
import dev.taskexec.agent.proto.NodeCAGrpc;
import dev.taskexec.agent.proto.NodeCertificateStatusRequest;
import dev.taskexec.agent.proto.NodeCertificateStatusResponse;
import dev.taskexec.api.proto.IssuanceStatus;
import dev.taskexec.api.proto.NodeSpec;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * swarmkit's CA protocol as a node speaks it, over channels the caller provides (so the same code
 * runs against a real manager over TLS and against an in-process fake).
 *
 * <ul>
 *   <li>{@link #fetchRoots(Channel, JoinToken)}: {@code CA/GetRootCACertificate} over a channel that
 *       does not verify the server, trusted only because the bundle's SHA-256 equals the one the
 *       join token pins.
 *   <li>{@link #requestCertificate}: {@code NodeCA/IssueNodeCertificate} with a fresh key and CSR,
 *       then {@code NodeCertificateStatus} until the CA answers ISSUED with a certificate for
 *       <em>this</em> CSR. With a token it admits a new node (the channel trusts the roots and
 *       names the server {@code swarm-ca}); without one it renews the node whose certificate the
 *       channel presents (mutual TLS).
 * </ul>
 *
 * <p>Unary calls have a 5 s deadline, as swarmkit's. The status is polled with a 5 s deadline per
 * call (the manager holds the call until a final state), retrying after transient failures with
 * backoff from 1 s to 30 s, until {@code issuanceTimeout} passes. Blocking; interruptible.
 * Thread-safe.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class CertificateAuthorityClient {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateAuthorityClient.class);
    private static final long RPC_DEADLINE_MILLIS = 5_000;
    private static final long BACKOFF_BASE_MILLIS = 1_000;
    private static final long BACKOFF_MAX_MILLIS = 30_000;

    private final Duration issuanceTimeout;

    /** A client that waits at most {@code issuanceTimeout} for a certificate to be issued. */
    public CertificateAuthorityClient(Duration issuanceTimeout) {
        if (issuanceTimeout.isNegative() || issuanceTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "issuanceTimeout must be positive, was " + issuanceTimeout);
        }
        this.issuanceTimeout = issuanceTimeout;
    }

    /**
     * Downloads the root CA bundle and checks it against the token's pin.
     *
     * @param insecure a channel to a manager that skips server verification (the pin is the trust)
     * @throws JoinException if the bundle's digest differs from the token's, or it is no valid root
     * @throws StatusRuntimeException if the call fails (manager unreachable, ...)
     */
    public TrustRoots fetchRoots(Channel insecure, JoinToken token) throws JoinException {
        byte[] pem = fetchRootBytes(insecure);
        byte[] digest = sha256(pem);
        if (!MessageDigest.isEqual(digest, token.rootDigest())) {
            throw new JoinException(
                    "the root CA certificate served by the manager has digest sha256:"
                            + java.util.HexFormat.of().formatHex(digest)
                            + " but the join token pins sha256:"
                            + token.rootDigestHex()
                            + "; refusing to trust it (a token of another swarm, a rotated CA "
                            + "with an old token, or someone between this node and the manager)");
        }
        try {
            return TrustRoots.parse(pem);
        } catch (IllegalArgumentException e) {
            throw new JoinException("the manager's root CA is not usable: " + e.getMessage(), e);
        }
    }

    /**
     * Downloads the root CA bundle without a pin; for a node that already trusts a root and must
     * learn a rotated one (the caller decides what makes it trustworthy).
     */
    public byte[] fetchRootBytes(Channel channel) {
        return CAGrpc.newBlockingStub(channel)
                .withDeadlineAfter(RPC_DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
                .getRootCACertificate(GetRootCACertificateRequest.getDefaultInstance())
                .getCertificate()
                .toByteArray();
    }

    /**
     * Gets a certificate for a new key: a join when {@code token} is present, else a renewal of the
     * node the channel authenticates as.
     *
     * @param channel to a manager's NodeCA: verified against {@code roots}; mutual TLS for a renewal
     * @param roots the roots the issued chain must lead to
     * @param availability what a newly joined node starts with (ignored for renewals)
     * @return the new identity: fresh key, issued chain, {@code roots}
     * @throws JoinException if the manager refuses, the issuance FAILED, or the chain is not trusted
     * @throws StatusRuntimeException if the manager cannot be reached, or issuance did not finish in time
     *     ({@code DEADLINE_EXCEEDED})
     * @throws InterruptedException if interrupted while waiting
     */
    public NodeIdentity requestCertificate(
            Channel channel,
            Optional<JoinToken> token,
            TrustRoots roots,
            NodeSpec.Availability availability)
            throws JoinException, InterruptedException {
        Objects.requireNonNull(roots, "roots");
        CertificateRequest request = CertificateRequest.generate();
        ByteString csr = ByteString.copyFrom(request.csrPem());
        IssueNodeCertificateRequest.Builder issue =
                IssueNodeCertificateRequest.newBuilder().setCsr(csr).setAvailability(availability);
        token.ifPresent(t -> issue.setToken(t.text()));
        IssueNodeCertificateResponse issued;
        try {
            issued =
                    NodeCAGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(RPC_DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
                            .issueNodeCertificate(issue.build());
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.INVALID_ARGUMENT
                    || code == Status.Code.PERMISSION_DENIED
                    || code == Status.Code.UNAUTHENTICATED) {
                throw new JoinException(
                        (token.isPresent()
                                        ? "the manager refused the join token: "
                                        : "the manager refused to renew this node's certificate: ")
                                + e.getStatus().getDescription(),
                        e);
            }
            throw e;
        }
        String nodeId = issued.getNodeId();
        LOG.debug(
                "certificate requested for node {} (membership {})",
                nodeId,
                issued.getNodeMembership());
        byte[] chain = awaitIssued(channel, nodeId, csr);
        NodeIdentity identity;
        try {
            identity = new NodeIdentity(request.keyPair().getPrivate(), chain, roots);
        } catch (IllegalArgumentException e) {
            throw new JoinException("the CA issued a malformed certificate: " + e.getMessage(), e);
        }
        verifyChain(identity);
        if (!identity.nodeId().equals(nodeId)) {
            throw new JoinException(
                    "the CA issued a certificate for node "
                            + identity.nodeId()
                            + " when node "
                            + nodeId
                            + " was requested");
        }
        return identity;
    }

    private byte[] awaitIssued(Channel channel, String nodeId, ByteString csr)
            throws JoinException, InterruptedException {
        long deadline = System.nanoTime() + issuanceTimeout.toNanos();
        long backoff = BACKOFF_BASE_MILLIS;
        NodeCertificateStatusRequest request =
                NodeCertificateStatusRequest.newBuilder().setNodeId(nodeId).build();
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException(
                        "interrupted while waiting for the node certificate");
            }
            long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (remainingMillis <= 0) {
                throw Status.DEADLINE_EXCEEDED
                        .withDescription(
                                "the CA did not issue a certificate for node "
                                        + nodeId
                                        + " within "
                                        + issuanceTimeout.toSeconds()
                                        + "s")
                        .asRuntimeException();
            }
            try {
                NodeCertificateStatusResponse response =
                        NodeCAGrpc.newBlockingStub(channel)
                                .withDeadlineAfter(
                                        Math.min(RPC_DEADLINE_MILLIS, remainingMillis),
                                        TimeUnit.MILLISECONDS)
                                .nodeCertificateStatus(request);
                IssuanceStatus.State state = response.getStatus().getState();
                if (state == IssuanceStatus.State.FAILED) {
                    throw new JoinException(
                            "the CA failed to issue a certificate for node "
                                    + nodeId
                                    + ": "
                                    + response.getStatus().getErr());
                }
                if (state == IssuanceStatus.State.ISSUED
                        && response.getCertificate().getCsr().equals(csr)
                        && !response.getCertificate().getCertificate().isEmpty()) {
                    return response.getCertificate().getCertificate().toByteArray();
                }
                // Pending, or an answer about an older request: ask again at once (the call
                // blocks).
                backoff = BACKOFF_BASE_MILLIS;
                continue;
            } catch (StatusRuntimeException e) {
                Status.Code code = e.getStatus().getCode();
                if (code == Status.Code.PERMISSION_DENIED || code == Status.Code.INVALID_ARGUMENT) {
                    throw new JoinException(
                            "the manager refused the certificate status of node "
                                    + nodeId
                                    + ": "
                                    + e.getStatus().getDescription(),
                            e);
                }
                if (code != Status.Code.DEADLINE_EXCEEDED) {
                    LOG.debug(
                            "certificate status of node {} failed ({}); retrying",
                            nodeId,
                            e.getStatus());
                    long sleep = ThreadLocalRandom.current().nextLong(backoff / 2, backoff + 1);
                    TimeUnit.MILLISECONDS.sleep(
                            Math.min(
                                    sleep,
                                    Math.max(
                                            1,
                                            TimeUnit.NANOSECONDS.toMillis(
                                                    deadline - System.nanoTime()))));
                    backoff = Math.min(backoff * 2, BACKOFF_MAX_MILLIS);
                }
            }
        }
    }

    /** Checks that the identity's chain leads to one of its roots and names a node. */
    static void verifyChain(NodeIdentity identity) throws JoinException {
        List<X509Certificate> chain = identity.chain();
        try {
            Set<TrustAnchor> anchors = new HashSet<>();
            for (X509Certificate root : identity.roots().certificates()) {
                anchors.add(new TrustAnchor(root, null));
            }
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX")
                    .validate(
                            CertificateFactory.getInstance("X.509").generateCertPath(chain),
                            parameters);
        } catch (GeneralSecurityException e) {
            throw new JoinException(
                    "the certificate the CA issued does not chain to the trusted root CA: "
                            + e.getMessage(),
                    e);
        }
        if (identity.nodeId().isEmpty()) {
            throw new JoinException("the certificate the CA issued names no node (empty CN)");
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}

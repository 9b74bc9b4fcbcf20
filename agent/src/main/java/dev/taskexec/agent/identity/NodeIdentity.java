package dev.taskexec.agent.identity;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.google.protobuf.ByteString;
import dev.taskexec.api.proto.NodeTLSInfo;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.apiguardian.api.API;

/**
 * Who this node is in the swarm: its private key, the certificate chain the swarm CA issued for
 * it (leaf first, then any intermediate the CA added during a root rotation) and the root CA
 * bundle it trusts. The node id is the leaf's common name, the role its organisational unit and the
 * cluster id its organisation, as swarmkit's authorisation reads them.
 *
 * @param key the node's private key (ECDSA P-256)
 * @param chainPem the issued chain as PEM, exactly as the CA returned it
 * @param roots the trusted root bundle
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record NodeIdentity(PrivateKey key, byte[] chainPem, TrustRoots roots) {

    public NodeIdentity {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(roots, "roots");
        chainPem = chainPem.clone();
        // Fails early on a malformed chain or one without a node id.
        Pem.certificates(chainPem, "the node certificate chain");
    }

    /** The chain's certificates, leaf first. */
    public List<X509Certificate> chain() {
        return Pem.certificates(chainPem, "the node certificate chain");
    }

    /** The node's own certificate. */
    public X509Certificate leaf() {
        return chain().get(0);
    }

    /** The node id: the leaf certificate's CN. */
    public String nodeId() {
        return subjectPart("CN")
                .orElseThrow(
                        () ->
                                new IllegalStateException(
                                        "the node certificate has no CN (node id)"));
    }

    /** The node's role: the leaf's OU, {@code swarm-worker} or {@code swarm-manager}. */
    public String role() {
        return subjectPart("OU").orElse("");
    }

    /** The swarm's cluster id: the leaf's O. */
    public String clusterId() {
        return subjectPart("O").orElse("");
    }

    public Instant notBefore() {
        return leaf().getNotBefore().toInstant();
    }

    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    /**
     * The certificate that signed the leaf: the intermediate that follows it in the chain, else the
     * root that verifies it.
     *
     * @throws IllegalStateException if no root verifies a chain without intermediate
     */
    public X509Certificate issuer() {
        List<X509Certificate> chain = chain();
        if (chain.size() > 1) {
            return chain.get(1);
        }
        X509Certificate leaf = chain.get(0);
        for (X509Certificate root : roots.certificates()) {
            if (root.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
                try {
                    leaf.verify(root.getPublicKey());
                    return root;
                } catch (GeneralSecurityException e) {
                    // Another root with the same name; keep looking.
                }
            }
        }
        throw new IllegalStateException(
                "no trusted root issued the node certificate "
                        + leaf.getSubjectX500Principal().getName());
    }

    /**
     * What the node tells the manager about its TLS identity in its description: its trusted roots
     * and its issuer's raw subject and public key. A root rotation finishes only once every node
     * reports the new issuer here.
     */
    public NodeTLSInfo tlsInfo() {
        X509Certificate issuer = issuer();
        return NodeTLSInfo.newBuilder()
                .setTrustRoot(ByteString.copyFrom(roots.pem()))
                .setCertIssuerSubject(
                        ByteString.copyFrom(issuer.getSubjectX500Principal().getEncoded()))
                .setCertIssuerPublicKey(ByteString.copyFrom(issuer.getPublicKey().getEncoded()))
                .build();
    }

    /** This identity with another trusted root bundle (same key and certificate). */
    public NodeIdentity withRoots(TrustRoots newRoots) {
        return new NodeIdentity(key, chainPem, newRoots);
    }

    @Override
    public byte[] chainPem() {
        return chainPem.clone();
    }

    private Optional<String> subjectPart(String type) {
        try {
            LdapName name = new LdapName(leaf().getSubjectX500Principal().getName());
            for (Rdn rdn : name.getRdns()) {
                if (rdn.getType().equalsIgnoreCase(type)) {
                    return Optional.of(rdn.getValue().toString());
                }
            }
            return Optional.empty();
        } catch (InvalidNameException e) {
            throw new IllegalStateException("the node certificate's subject cannot be read", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeIdentity other
                && Arrays.equals(other.chainPem, chainPem)
                && other.roots.equals(roots)
                && Arrays.equals(other.key.getEncoded(), key.getEncoded());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(chainPem);
    }

    /** Names the node and its validity; never shows the key. */
    @Override
    public String toString() {
        return "NodeIdentity[" + nodeId() + " " + role() + ", valid until " + notAfter() + "]";
    }
}

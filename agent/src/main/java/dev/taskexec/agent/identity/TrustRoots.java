package dev.taskexec.agent.identity;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apiguardian.api.API;

/**
 * The swarm's root CA bundle: the exact PEM bytes the CA served (a join token pins their SHA-256)
 * and the certificates in them.
 *
 * <p>Every certificate must be a self-signed CA certificate, as swarmkit requires of a root.
 *
 * @param pem the bundle's bytes, unchanged
 * @param certificates its certificates, in order
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record TrustRoots(byte[] pem, List<X509Certificate> certificates) {

    public TrustRoots {
        pem = pem.clone();
        certificates = List.copyOf(certificates);
    }

    /**
     * Parses and checks a root bundle.
     *
     * @throws IllegalArgumentException if a certificate is malformed, not a CA or not self-signed
     */
    public static TrustRoots parse(byte[] pem) {
        List<X509Certificate> certs = Pem.certificates(pem, "the root CA bundle");
        for (X509Certificate cert : certs) {
            String subject = cert.getSubjectX500Principal().getName();
            if (cert.getBasicConstraints() < 0) {
                throw new IllegalArgumentException(
                        "root CA certificate " + subject + " is not a CA certificate");
            }
            try {
                cert.verify(cert.getPublicKey());
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException(
                        "root CA certificate " + subject + " is not self-signed", e);
            }
        }
        return new TrustRoots(pem, certs);
    }

    /** SHA-256 of the bundle's bytes, the value a join token pins. */
    public byte[] sha256() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(pem);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** {@link #sha256()} as lower-case hex. */
    public String sha256Hex() {
        return HexFormat.of().formatHex(sha256());
    }

    @Override
    public byte[] pem() {
        return pem.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrustRoots other && Arrays.equals(other.pem, pem);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(pem);
    }

    @Override
    public String toString() {
        return "TrustRoots[" + certificates.size() + " certificate(s), sha256:" + sha256Hex() + "]";
    }
}

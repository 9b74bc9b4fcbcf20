package dev.taskexec.agent.identity;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import org.apiguardian.api.API;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A fresh node key and the certificate request that carries it, as swarmkit's node makes them: an
 * ECDSA P-256 key and a CSR with an empty subject signed with SHA256withECDSA (the CA takes only the
 * public key and algorithms from it; names come from the CA).
 *
 * @param keyPair the new key pair
 * @param csrPem the request, PEM {@code CERTIFICATE REQUEST}, as {@code IssueNodeCertificate} takes it
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record CertificateRequest(KeyPair keyPair, byte[] csrPem) {

    public CertificateRequest {
        csrPem = csrPem.clone();
    }

    /** Makes a new key and request. */
    public static CertificateRequest generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            PKCS10CertificationRequest csr =
                    new JcaPKCS10CertificationRequestBuilder(
                                    new X500Name(new RDN[0]), pair.getPublic())
                            .build(
                                    new JcaContentSignerBuilder("SHA256withECDSA")
                                            .build(pair.getPrivate()));
            return new CertificateRequest(pair, Pem.write(csr));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(
                    "cannot make an ECDSA P-256 key and CSR with this JDK", e);
        }
    }

    @Override
    public byte[] csrPem() {
        return csrPem.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertificateRequest other && Arrays.equals(other.csrPem, csrPem);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(csrPem);
    }

    @Override
    public String toString() {
        return "CertificateRequest[ECDSA P-256]";
    }
}

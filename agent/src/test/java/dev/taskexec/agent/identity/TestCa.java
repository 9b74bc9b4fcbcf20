package dev.taskexec.agent.identity;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/** A swarm-like certificate authority for tests: a self-signed ECDSA root that signs node and manager certificates. */
public final class TestCa {

    private static final AtomicLong SERIAL = new AtomicLong(1);

    private final KeyPair key;
    private final X509Certificate root;
    private final String clusterId;

    public TestCa(String clusterId) {
        this.clusterId = clusterId;
        this.key = newKey();
        this.root =
                sign(
                        new X500Name("CN=swarm-ca"),
                        key.getPublic(),
                        new X500Name("CN=swarm-ca"),
                        key,
                        true,
                        Duration.ofDays(3650),
                        List.of());
    }

    public static KeyPair newKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public X509Certificate root() {
        return root;
    }

    public byte[] rootPem() {
        return Pem.encode(List.of(root));
    }

    public TrustRoots roots() {
        return TrustRoots.parse(rootPem());
    }

    /** A worker certificate chain (PEM) for the public key in {@code csrPem}. */
    public byte[] signCsr(byte[] csrPem, String nodeId, Duration lifetime) {
        try (PEMParser parser = new PEMParser(new java.io.StringReader(new String(csrPem)))) {
            PKCS10CertificationRequest csr = (PKCS10CertificationRequest) parser.readObject();
            PublicKey publicKey = new JcaPKCS10CertificationRequest(csr).getPublicKey();
            return Pem.encode(List.of(node(publicKey, nodeId, "swarm-worker", lifetime)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A node certificate for {@code publicKey}. */
    public X509Certificate node(
            PublicKey publicKey, String nodeId, String role, Duration lifetime) {
        return sign(
                new X500Name("CN=" + nodeId + ",OU=" + role + ",O=" + clusterId),
                publicKey,
                new X500Name("CN=swarm-ca"),
                key,
                false,
                lifetime,
                List.of(role, nodeId, "swarm-ca"));
    }

    /** An identity for a node whose certificate this CA issued directly. */
    public NodeIdentity identity(String nodeId, Duration lifetime) {
        KeyPair pair = newKey();
        return new NodeIdentity(
                pair.getPrivate(),
                Pem.encode(List.of(node(pair.getPublic(), nodeId, "swarm-worker", lifetime))),
                roots());
    }

    private static X509Certificate sign(
            X500Name subject,
            PublicKey publicKey,
            X500Name issuer,
            KeyPair issuerKey,
            boolean ca,
            Duration lifetime,
            List<String> dnsNames) {
        try {
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder =
                    new JcaX509v3CertificateBuilder(
                            issuer,
                            BigInteger.valueOf(SERIAL.getAndIncrement()),
                            Date.from(now.minus(Duration.ofMinutes(1))),
                            Date.from(now.plus(lifetime)),
                            subject,
                            publicKey);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (!dnsNames.isEmpty()) {
                GeneralName[] names =
                        dnsNames.stream()
                                .map(n -> new GeneralName(GeneralName.dNSName, n))
                                .toArray(GeneralName[]::new);
                builder.addExtension(
                        Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            return new JcaX509CertificateConverter()
                    .getCertificate(
                            builder.build(
                                    new JcaContentSignerBuilder("SHA256withECDSA")
                                            .build(issuerKey.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

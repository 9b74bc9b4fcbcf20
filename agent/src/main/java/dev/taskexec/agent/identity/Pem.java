package dev.taskexec.agent.identity;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * The PEM forms swarmkit exchanges and stores: certificate bundles, PKCS#8 private keys ({@code
 * PRIVATE KEY}, as swarmkit writes a worker's key) and certificate requests.
 */
final class Pem {

    private Pem() {}

    /**
     * Every certificate in a PEM bundle, in order.
     *
     * @throws IllegalArgumentException if the bytes hold no certificate or a malformed one
     */
    static List<X509Certificate> certificates(byte[] pem, String what) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            List<X509Certificate> certs = new ArrayList<>();
            for (var cert : factory.generateCertificates(new ByteArrayInputStream(pem))) {
                certs.add((X509Certificate) cert);
            }
            if (certs.isEmpty()) {
                throw new IllegalArgumentException(what + " holds no PEM certificate");
            }
            return List.copyOf(certs);
        } catch (CertificateException e) {
            throw new IllegalArgumentException(
                    what + " is not a valid PEM certificate bundle: " + e.getMessage(), e);
        }
    }

    /** The PEM bundle of {@code certs}. */
    static byte[] encode(List<X509Certificate> certs) {
        return write(certs.toArray());
    }

    /** A private key as PKCS#8 PEM ({@code PRIVATE KEY}). */
    static byte[] encodePrivateKey(PrivateKey key) {
        return write(new PemObject("PRIVATE KEY", key.getEncoded()));
    }

    /**
     * Reads a private key from PEM (PKCS#8, or a traditional {@code EC PRIVATE KEY}).
     *
     * @throws IllegalArgumentException if the bytes hold no private key
     */
    static PrivateKey privateKey(byte[] pem, String what) {
        try (PEMParser parser =
                new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            throw new IllegalArgumentException(what + " holds no unencrypted PEM private key");
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    what + " is not a valid PEM private key: " + e.getMessage(), e);
        }
    }

    static byte[] write(Object... objects) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }
}

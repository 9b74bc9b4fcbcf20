package dev.taskexec.agent.identity;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * A swarm join token: {@code SWMTKN-1-<digest>-<secret>} or {@code SWMTKN-2-<fips>-<digest>-<secret>},
 * as {@code docker swarm join-token worker} prints it.
 *
 * <p>The digest is the SHA-256 of the swarm's root CA bundle (the PEM bytes the CA serves), written
 * as a base-36 number padded to 50 characters; the secret is 128 random bits in base 36, padded to
 * 25. The whole token is the credential the manager checks; {@link #toString()} never shows it.
 *
 * @param text the token as given (the credential sent to the manager)
 * @param version 1 or 2
 * @param fips whether a version-2 token demands a FIPS swarm (always false for version 1)
 * @param rootDigest the 32-byte SHA-256 the root CA bundle must have
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record JoinToken(String text, int version, boolean fips, byte[] rootDigest) {

    private static final String PREFIX = "SWMTKN";
    private static final Pattern BASE36 = Pattern.compile("[0-9a-z]+");
    private static final int DIGEST_CHARS = 50;
    private static final int SECRET_CHARS = 25;

    public JoinToken {
        Objects.requireNonNull(text, "text");
        rootDigest = rootDigest.clone();
    }

    /**
     * Parses a join token.
     *
     * @throws IllegalArgumentException naming what is wrong (prefix, version, part count, digest or
     *     secret length or alphabet); the message never contains the secret
     */
    public static JoinToken parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("join token is empty");
        }
        String token = text.strip();
        String[] parts = token.split("-", -1);
        if (!parts[0].equals(PREFIX)) {
            throw new IllegalArgumentException(
                    "join token must start with SWMTKN- (as printed by `docker swarm join-token worker`)");
        }
        if (parts.length < 2) {
            throw new IllegalArgumentException("join token has no version after SWMTKN-");
        }
        String digest;
        String secret;
        boolean fips = false;
        int version;
        switch (parts[1]) {
            case "1" -> {
                version = 1;
                if (parts.length != 4) {
                    throw new IllegalArgumentException(
                            "join token SWMTKN-1 must have 4 parts separated by '-', found "
                                    + parts.length);
                }
                digest = parts[2];
                secret = parts[3];
            }
            case "2" -> {
                version = 2;
                if (parts.length != 5) {
                    throw new IllegalArgumentException(
                            "join token SWMTKN-2 must have 5 parts separated by '-', found "
                                    + parts.length);
                }
                fips =
                        switch (parts[2]) {
                            case "0" -> false;
                            case "1" -> true;
                            default ->
                                    throw new IllegalArgumentException(
                                            "join token SWMTKN-2 FIPS flag must be 0 or 1, found '"
                                                    + parts[2]
                                                    + "'");
                        };
                digest = parts[3];
                secret = parts[4];
            }
            default ->
                    throw new IllegalArgumentException(
                            "join token version '" + parts[1] + "' is not supported (known: 1, 2)");
        }
        if (digest.length() != DIGEST_CHARS || !BASE36.matcher(digest).matches()) {
            throw new IllegalArgumentException(
                    "join token's CA digest must be "
                            + DIGEST_CHARS
                            + " base-36 characters [0-9a-z], found "
                            + digest.length()
                            + " characters");
        }
        if (secret.length() != SECRET_CHARS || !BASE36.matcher(secret).matches()) {
            throw new IllegalArgumentException(
                    "join token's secret must be "
                            + SECRET_CHARS
                            + " base-36 characters [0-9a-z], found "
                            + secret.length()
                            + " characters");
        }
        BigInteger value = new BigInteger(digest, 36);
        if (value.bitLength() > 256) {
            throw new IllegalArgumentException("join token's CA digest is larger than a SHA-256");
        }
        byte[] bytes = HexFormat.of().parseHex(String.format("%064x", value));
        return new JoinToken(token, version, fips, bytes);
    }

    /** The root digest as lower-case hex, the form {@code docker swarm ca} tools print. */
    public String rootDigestHex() {
        return HexFormat.of().formatHex(rootDigest);
    }

    @Override
    public byte[] rootDigest() {
        return rootDigest.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JoinToken other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** Shows the version and the root digest, never the secret. */
    @Override
    public String toString() {
        return "JoinToken[SWMTKN-" + version + ", root sha256:" + rootDigestHex() + "]";
    }
}

package dev.taskexec.agent.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

class JoinTokenTest {

    private static final String SECRET = "105h7sl8rv3d0ld9cmy0ih8h8";

    /** Encodes a digest the way swarmkit does: base 36, zero-padded to 50 characters. */
    static String digestPart(byte[] digest) {
        String base36 = new BigInteger(1, digest).toString(36);
        return "0".repeat(50 - base36.length()) + base36;
    }

    static String token(byte[] rootPem) throws Exception {
        return "SWMTKN-1-"
                + digestPart(MessageDigest.getInstance("SHA-256").digest(rootPem))
                + "-"
                + SECRET;
    }

    @Test
    void decodesTheRootDigestOfAVersion1Token() throws Exception {
        byte[] pem = "root".getBytes();
        JoinToken token = JoinToken.parse(token(pem));
        assertEquals(1, token.version());
        assertFalse(token.fips());
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(pem), token.rootDigest());
    }

    @Test
    void decodesTheObservedTokenOfTheResearchBrief() {
        // A digest with leading zero bits must still decode to 32 bytes.
        byte[] small = new byte[32];
        small[31] = 1;
        JoinToken token = JoinToken.parse("SWMTKN-1-" + digestPart(small) + "-" + SECRET);
        assertArrayEquals(small, token.rootDigest());
    }

    @Test
    void readsTheFipsFlagOfVersion2() throws Exception {
        String d = digestPart(MessageDigest.getInstance("SHA-256").digest(new byte[] {1}));
        assertTrue(JoinToken.parse("SWMTKN-2-1-" + d + "-" + SECRET).fips());
        assertFalse(JoinToken.parse("SWMTKN-2-0-" + d + "-" + SECRET).fips());
        assertEquals(2, JoinToken.parse("SWMTKN-2-0-" + d + "-" + SECRET).version());
    }

    @Test
    void namesWhatIsWrongWithAMalformedToken() throws Exception {
        String d = digestPart(MessageDigest.getInstance("SHA-256").digest(new byte[] {1}));
        assertMessage("", "empty");
        assertMessage("XYZ-1-" + d + "-" + SECRET, "must start with SWMTKN-");
        assertMessage("SWMTKN-3-" + d + "-" + SECRET, "version '3' is not supported");
        assertMessage("SWMTKN-1-" + d, "must have 4 parts");
        assertMessage("SWMTKN-2-0-" + d, "must have 5 parts");
        assertMessage("SWMTKN-2-7-" + d + "-" + SECRET, "FIPS flag must be 0 or 1");
        assertMessage("SWMTKN-1-abc-" + SECRET, "CA digest must be 50 base-36 characters");
        assertMessage(
                "SWMTKN-1-" + d.toUpperCase() + "-" + SECRET,
                "CA digest must be 50 base-36 characters");
        assertMessage("SWMTKN-1-" + d + "-short", "secret must be 25 base-36 characters");
        assertMessage("SWMTKN-1-" + "z".repeat(50) + "-" + SECRET, "larger than a SHA-256");
    }

    @Test
    void neverShowsTheSecret() throws Exception {
        JoinToken token = JoinToken.parse(token(new byte[] {2}));
        assertFalse(token.toString().contains(SECRET), token.toString());
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> JoinToken.parse("SWMTKN-1-abc-" + SECRET));
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    }

    private static void assertMessage(String text, String expected) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> JoinToken.parse(text));
        assertTrue(e.getMessage().contains(expected), "'" + text + "' gave: " + e.getMessage());
    }
}

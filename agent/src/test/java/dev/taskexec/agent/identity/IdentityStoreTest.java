package dev.taskexec.agent.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityStoreTest {

    @TempDir Path dir;

    private final TestCa ca = new TestCa("cluster-1");

    @Test
    void aSavedIdentityLoadsAsTheSameNodeWithAPrivateKeyFile() throws Exception {
        IdentityStore store = new IdentityStore(dir.resolve("state"));
        assertTrue(store.load().isEmpty());
        NodeIdentity identity = ca.identity("node-a", Duration.ofDays(90));
        store.save(identity);
        store.saveManagers(List.of("127.0.0.1:2377"));

        NodeIdentity loaded = new IdentityStore(dir.resolve("state")).load().orElseThrow();
        assertEquals(identity, loaded);
        assertEquals("node-a", loaded.nodeId());
        assertEquals("cluster-1", loaded.clusterId());
        assertEquals("swarm-worker", loaded.role());
        Path key = dir.resolve("state/certificates/swarm-node.key");
        assertEquals(
                "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----"), "PKCS#8 PEM");
        assertEquals("node-a", Files.readString(dir.resolve("state/node-id")).strip());
        assertEquals(List.of("127.0.0.1:2377"), store.managers());
    }

    @Test
    void finishesASaveThatCrashedBetweenCertificateAndKey() throws Exception {
        IdentityStore store = new IdentityStore(dir);
        NodeIdentity old = ca.identity("node-a", Duration.ofDays(90));
        store.save(old);
        NodeIdentity renewed = ca.identity("node-a", Duration.ofDays(90));
        // What save leaves when it dies after renaming the certificate, before renaming the key.
        Path certificates = dir.resolve("certificates");
        Files.write(
                certificates.resolve("swarm-node.key.new"), Pem.encodePrivateKey(renewed.key()));
        Files.write(certificates.resolve("swarm-node.crt"), renewed.chainPem());

        assertEquals(renewed, store.load().orElseThrow());
        assertFalse(Files.exists(certificates.resolve("swarm-node.key.new")));
    }

    @Test
    void aKeyThatDoesNotMatchIsReportedAsDamagedWithTheWayOut() throws Exception {
        IdentityStore store = new IdentityStore(dir);
        store.save(ca.identity("node-a", Duration.ofDays(90)));
        Files.write(
                dir.resolve("certificates/swarm-node.key"),
                Pem.encodePrivateKey(TestCa.newKey().getPrivate()));
        IllegalStateException e = assertThrows(IllegalStateException.class, store::load);
        assertTrue(
                e.getMessage().contains("does not match") && e.getMessage().contains("node leave"),
                e.getMessage());
    }

    @Test
    void deleteRemovesEverythingItWroteAndIsIdempotent() throws Exception {
        Path state = dir.resolve("state");
        IdentityStore store = new IdentityStore(state);
        store.save(ca.identity("node-a", Duration.ofDays(90)));
        store.saveManagers(List.of("127.0.0.1:2377"));
        assertTrue(store.delete());
        assertFalse(Files.exists(state));
        assertFalse(store.delete());
        assertTrue(store.load().isEmpty());
    }
}

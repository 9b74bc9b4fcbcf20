package dev.taskexec.agent.identity;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * The node's identity on disk, in a state directory of its own, laid out like swarmkit's:
 *
 * <pre>
 * DIR/certificates/swarm-node.key      private key, PKCS#8 PEM, mode 0600
 * DIR/certificates/swarm-node.crt      issued chain, PEM, leaf first
 * DIR/certificates/swarm-root-ca.crt   trusted root bundle, PEM, the bytes the CA served
 * DIR/node-id                          the node id (the certificate's CN), for people and scripts
 * DIR/managers                         manager addresses last used, one host:port a line
 * </pre>
 *
 * <p>Every file is written to a temporary file in the same directory, flushed, and renamed over the
 * old one, so a crash leaves each file either old or new. The key and certificate are a pair written
 * as two files: the new key is renamed last, and {@link #load()} finishes a save that crashed
 * between the two renames (a certificate that the leftover new key matches). Directories are
 * created with mode 0700.
 *
 * <p>Not thread-safe: one node owns a state directory.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class IdentityStore {

    private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
            PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR =
            PosixFilePermissions.fromString("rwx------");
    private static final String PENDING = ".new";

    private final Path dir;
    private final Path certificates;
    private final Path keyFile;
    private final Path certFile;
    private final Path rootFile;
    private final Path nodeIdFile;
    private final Path managersFile;

    /** A store in {@code stateDirectory}; nothing is read or created until used. */
    public IdentityStore(Path stateDirectory) {
        this.dir = stateDirectory.toAbsolutePath();
        this.certificates = dir.resolve("certificates");
        this.keyFile = certificates.resolve("swarm-node.key");
        this.certFile = certificates.resolve("swarm-node.crt");
        this.rootFile = certificates.resolve("swarm-root-ca.crt");
        this.nodeIdFile = dir.resolve("node-id");
        this.managersFile = dir.resolve("managers");
    }

    public Path directory() {
        return dir;
    }

    /**
     * The stored identity, or empty when none was saved (a node that has not joined).
     *
     * @throws IOException if the files cannot be read
     * @throws IllegalStateException if the files are there but damaged (a message that names the file
     *     and says to leave and join again)
     */
    public Optional<NodeIdentity> load() throws IOException {
        if (!Files.exists(certFile) && !Files.exists(keyFile)) {
            return Optional.empty();
        }
        for (Path required : List.of(keyFile, certFile, rootFile)) {
            if (!Files.exists(required)) {
                throw damaged(required, "is missing");
            }
        }
        byte[] chain = Files.readAllBytes(certFile);
        X509Certificate leaf;
        TrustRoots roots;
        try {
            leaf = Pem.certificates(chain, certFile.toString()).get(0);
            roots = TrustRoots.parse(Files.readAllBytes(rootFile));
        } catch (IllegalArgumentException e) {
            throw damaged(certFile, e.getMessage());
        }
        PrivateKey key = readKey(keyFile);
        Path pendingKey = pending(keyFile);
        if (!matches(key, leaf)) {
            if (Files.exists(pendingKey) && matches(readKey(pendingKey), leaf)) {
                move(pendingKey, keyFile);
                key = readKey(keyFile);
            } else {
                throw damaged(keyFile, "does not match " + certFile.getFileName());
            }
        }
        Files.deleteIfExists(pendingKey);
        return Optional.of(new NodeIdentity(key, chain, roots));
    }

    /** Saves {@code identity}, replacing what was stored. */
    public void save(NodeIdentity identity) throws IOException {
        createPrivateDirectory(dir);
        createPrivateDirectory(certificates);
        Path pendingKey = pending(keyFile);
        writePending(pendingKey, Pem.encodePrivateKey(identity.key()));
        writeAtomically(rootFile, identity.roots().pem());
        writeAtomically(certFile, identity.chainPem());
        move(pendingKey, keyFile);
        writeAtomically(nodeIdFile, (identity.nodeId() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Saves only a new trusted root bundle. */
    public void saveRoots(TrustRoots roots) throws IOException {
        createPrivateDirectory(dir);
        createPrivateDirectory(certificates);
        writeAtomically(rootFile, roots.pem());
    }

    /** The manager addresses last saved, in order; empty when none. */
    public List<String> managers() throws IOException {
        if (!Files.exists(managersFile)) {
            return List.of();
        }
        try (Stream<String> lines = Files.lines(managersFile)) {
            return lines.map(String::strip).filter(line -> !line.isEmpty()).toList();
        }
    }

    public void saveManagers(List<String> addresses) throws IOException {
        createPrivateDirectory(dir);
        writeAtomically(
                managersFile,
                (String.join("\n", addresses) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Removes the identity and everything else this store wrote; the directory itself goes too when it
     * is left empty. Idempotent.
     *
     * @return whether there was anything to remove
     */
    public boolean delete() throws IOException {
        boolean any = false;
        for (Path file :
                List.of(
                        keyFile,
                        pending(keyFile),
                        certFile,
                        pending(certFile),
                        rootFile,
                        pending(rootFile),
                        nodeIdFile,
                        pending(nodeIdFile),
                        managersFile,
                        pending(managersFile))) {
            any |= Files.deleteIfExists(file);
        }
        deleteIfEmpty(certificates);
        deleteIfEmpty(dir);
        return any;
    }

    private static void deleteIfEmpty(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> entries = Files.list(directory)) {
            if (entries.findAny().isPresent()) {
                return;
            }
        }
        Files.deleteIfExists(directory);
    }

    private IllegalStateException damaged(Path file, String problem) {
        return new IllegalStateException(
                "the node identity in "
                        + dir
                        + " is damaged: "
                        + file.getFileName()
                        + " "
                        + problem
                        + "; run `taskexec node leave --state-dir "
                        + dir
                        + "` and join again with a token");
    }

    private PrivateKey readKey(Path file) throws IOException {
        try {
            return Pem.privateKey(Files.readAllBytes(file), file.toString());
        } catch (IllegalArgumentException e) {
            throw damaged(file, e.getMessage());
        }
    }

    /** Whether {@code key} is the private half of {@code cert}'s public key (sign and verify a nonce). */
    static boolean matches(PrivateKey key, X509Certificate cert) {
        try {
            byte[] nonce = new byte[32];
            new SecureRandom().nextBytes(nonce);
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key);
            signer.update(nonce);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(cert.getPublicKey());
            verifier.update(nonce);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static Path pending(Path file) {
        return file.resolveSibling(file.getFileName() + PENDING);
    }

    private static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path pending = pending(file);
        writePending(pending, bytes);
        move(pending, file);
    }

    private static void writePending(Path pending, byte[] bytes) throws IOException {
        Files.deleteIfExists(pending);
        try {
            Files.createFile(pending, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        } catch (UnsupportedOperationException e) {
            Files.createFile(pending);
        }
        try (FileChannel channel = FileChannel.open(pending, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(bytes));
            channel.force(true);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(
                    from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void createPrivateDirectory(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        try {
            Files.createDirectories(directory.getParent());
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        } catch (FileAlreadyExistsException e) {
            // Created meanwhile; fine.
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(directory);
        }
    }

    @Override
    public String toString() {
        return "IdentityStore[" + dir + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdentityStore other && other.dir.equals(dir);
    }

    @Override
    public int hashCode() {
        return dir.hashCode();
    }
}

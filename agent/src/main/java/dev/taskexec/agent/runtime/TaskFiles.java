package dev.taskexec.agent.runtime;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.google.protobuf.ByteString;
import dev.taskexec.api.proto.FileTarget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of secrets and configs, one directory per task: {@code <root>/<task id>/secrets/...}
 * and {@code <root>/<task id>/configs/...}. The root and every task directory are {@code 0700};
 * a file gets the reference's {@code mode} (permission bits; {@code 0444} when unset) and, when
 * the JVM may change owners (it runs as root), its {@code uid}/{@code gid}; otherwise the file
 * stays the JVM user's (a local process runs as that user anyway). A file is written to a
 * temporary name and moved into place, so a task never reads half a secret.
 *
 * <p>The default root is on a memory file system when the host has one, so that secret payloads
 * never reach a disk: {@code $XDG_RUNTIME_DIR/taskexec-agent}, else
 * {@code /dev/shm/taskexec-agent-<user>}, else {@code java.io.tmpdir}'s (with a warning).
 *
 * <p>Not thread-safe: used from the session's assignment thread.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class TaskFiles {

    private static final Logger log = LoggerFactory.getLogger(TaskFiles.class);
    private static final Set<PosixFilePermission> PRIVATE_DIR =
            PosixFilePermissions.fromString("rwx------");

    private final Path root;
    private final Set<String> written = new HashSet<>();

    public TaskFiles(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** Where secret and config files go when the node is not told otherwise. */
    public static Path defaultRoot() {
        String user = System.getProperty("user.name", "user");
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isEmpty() && Files.isDirectory(Path.of(runtime))) {
            return Path.of(runtime, "taskexec-agent");
        }
        if (Files.isDirectory(Path.of("/dev/shm"))) {
            return Path.of("/dev/shm", "taskexec-agent-" + user);
        }
        log.warn(
                "no memory file system found; secret and config files of tasks go under java.io.tmpdir");
        return Path.of(System.getProperty("java.io.tmpdir"), "taskexec-agent-" + user);
    }

    Path root() {
        return root;
    }

    /** The directory of a task's files (not necessarily existing). */
    Path taskDir(String taskId) {
        if (taskId.isEmpty()
                || taskId.contains("/")
                || taskId.contains("\\")
                || taskId.startsWith(".")) {
            throw new IllegalArgumentException("id: \"" + taskId + "\" cannot name a directory");
        }
        return root.resolve(taskId);
    }

    /** Whether this task's files were written (since the last {@link #release}). */
    boolean isWritten(String taskId) {
        return written.contains(taskId);
    }

    void markWritten(String taskId) {
        written.add(taskId);
    }

    /**
     * The path of a file of the task under {@code kind} ({@code secrets} or {@code configs}), from
     * the reference's file name: a relative name is taken below that directory, an absolute one
     * with its leading slashes removed.
     *
     * @throws IllegalArgumentException naming {@code field} if the name is empty or leaves the
     *     directory
     */
    Path path(String taskId, String kind, String name, String field) {
        Path dir = taskDir(taskId).resolve(kind);
        String relative = name.replaceFirst("^/+", "");
        if (relative.isEmpty()) {
            throw new IllegalArgumentException(field + ": the file name is empty");
        }
        Path p = dir.resolve(relative).normalize();
        if (!p.startsWith(dir) || p.equals(dir)) {
            throw new IllegalArgumentException(
                    field + ": the file name \"" + name + "\" leaves the task's directory");
        }
        return p;
    }

    /** Writes {@code data} at {@code file} with the target's mode and, if possible, owner. */
    void write(Path file, ByteString data, FileTarget target) {
        try {
            createPrivate(root);
            Files.createDirectories(file.getParent());
            for (Path d = file.getParent();
                    d.startsWith(root) && !d.equals(root);
                    d = d.getParent()) {
                restrict(d, PRIVATE_DIR);
            }
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rw-------");
            Files.deleteIfExists(tmp);
            if (posix()) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(owner));
            } else {
                Files.createFile(tmp);
            }
            try (var out =
                    Files.newOutputStream(
                            tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                data.writeTo(out);
            }
            owner(tmp, target);
            int mode = target.getMode() == 0 ? 0444 : target.getMode() & 0777;
            restrict(tmp, permissions(mode));
            try {
                Files.move(
                        tmp,
                        file,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "writing a file for the task failed: " + e.getMessage(), e);
        }
    }

    /** Removes the task's directory. Idempotent; failures are logged. */
    void release(String taskId) {
        written.remove(taskId);
        Path dir;
        try {
            dir = taskDir(taskId);
        } catch (IllegalArgumentException e) {
            return;
        }
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.warn(
                    "task {}: removing its secret and config files failed: {}",
                    taskId,
                    e.toString());
        }
    }

    private static void createPrivate(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        restrict(dir, PRIVATE_DIR);
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static void restrict(Path p, Set<PosixFilePermission> permissions) throws IOException {
        if (posix()) {
            Files.setPosixFilePermissions(p, permissions);
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                    PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                    PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.OWNER_READ,
        };
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }

    /** Best effort: only root may give a file away. */
    private static void owner(Path p, FileTarget target) {
        setId(p, "unix:uid", target.getUid());
        setId(p, "unix:gid", target.getGid());
    }

    private static void setId(Path p, String attribute, String value) {
        if (value.isEmpty()) {
            return;
        }
        try {
            int id = Integer.parseInt(value);
            if (!Integer.valueOf(id).equals(Files.getAttribute(p, attribute))) {
                Files.setAttribute(p, attribute, id);
            }
        } catch (NumberFormatException | IOException | UnsupportedOperationException e) {
            log.debug("cannot set {} {} on a task file: {}", attribute, value, e.toString());
        }
    }
}

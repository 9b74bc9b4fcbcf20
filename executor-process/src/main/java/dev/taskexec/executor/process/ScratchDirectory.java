package dev.taskexec.executor.process;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An executor's private directory for the output files of tasks run without a {@code state-dir},
 * named {@code taskexec-process-*} in a shared parent ({@code /dev/shm} or {@code java.io.tmpdir}).
 *
 * <p>Its owner holds an exclusive lock on the {@value #LOCK} file inside it for as long as the
 * directory is in use. The kernel releases that lock when the owning process dies, however it dies,
 * so a directory whose lock can be taken belongs to nobody: a JVM that was killed before it could
 * delete its directory left it behind, and {@link #create} deletes such leftovers before making its
 * own. A lock is never mistaken for a live one by pid reuse, and a directory still locked (by
 * another JVM, or by another executor in this one) is left alone.
 */
final class ScratchDirectory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScratchDirectory.class);

    static final String PREFIX = "taskexec-process-";
    static final String LOCK = ".owner.lock";

    /**
     * The directories this JVM owns. Never probed: closing any descriptor of a file drops every
     * POSIX lock the process holds on it, so probing our own lock would release it.
     */
    private static final java.util.Set<Path> OWNED =
            java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final FileChannel lockFile;
    private final FileLock lock;

    private ScratchDirectory(Path dir, FileChannel lockFile, FileLock lock) {
        this.dir = dir;
        this.lockFile = lockFile;
        this.lock = lock;
    }

    /**
     * Deletes the leftovers of dead owners in {@code parent}, then creates and locks a new
     * directory there.
     *
     * @throws IOException when the directory cannot be created or locked
     */
    static ScratchDirectory create(Path parent) throws IOException {
        reapAbandoned(parent);
        Path dir = Files.createTempDirectory(parent, PREFIX);
        OWNED.add(dir.toAbsolutePath());
        FileChannel channel =
                FileChannel.open(
                        dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new IOException("cannot lock the new scratch directory " + dir);
            }
            return new ScratchDirectory(dir, channel, lock);
        } catch (IOException | RuntimeException e) {
            channel.close();
            TaskStorage.deleteQuietly(dir);
            OWNED.remove(dir.toAbsolutePath());
            throw e;
        }
    }

    /** The directory. */
    Path path() {
        return dir;
    }

    /** Deletes the directory and everything in it, then lets go of the lock. Idempotent. */
    @Override
    public void close() {
        // deleted while still locked, so that no other JVM reaps it from under us meanwhile
        TaskStorage.deleteQuietly(dir);
        try {
            lock.release();
            lockFile.close();
        } catch (IOException e) {
            LOG.debug("closing the lock of {}", dir, e);
        }
        OWNED.remove(dir.toAbsolutePath());
    }

    /** Deletes every {@code taskexec-process-*} directory in {@code parent} whose lock can be taken. */
    static void reapAbandoned(Path parent) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path d : dirs) {
                if (!OWNED.contains(d.toAbsolutePath()) && Files.isDirectory(d) && abandoned(d)) {
                    LOG.info(
                            "deleting {}, left behind by an executor that did not close (its JVM was killed?)",
                            d);
                    TaskStorage.deleteQuietly(d);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot look for abandoned scratch directories in {}", parent, e);
        }
    }

    private static boolean abandoned(Path d) {
        Path lockPath = d.resolve(LOCK);
        if (!Files.isRegularFile(lockPath)) {
            // made before locks existed, or its owner is between creating the directory and the
            // lock
            // file: only an old one is taken for abandoned
            try {
                return Files.getLastModifiedTime(d).toMillis()
                        < System.currentTimeMillis() - 60_000;
            } catch (IOException e) {
                return false;
            }
        }
        try (FileChannel channel = FileChannel.open(lockPath, StandardOpenOption.WRITE)) {
            FileLock probe = channel.tryLock();
            if (probe == null) {
                return false;
            }
            probe.release();
            return true;
        } catch (OverlappingFileLockException e) {
            return false; // held by this JVM after all
        } catch (IOException e) {
            return false; // not ours to judge (another user's directory, say)
        }
    }
}

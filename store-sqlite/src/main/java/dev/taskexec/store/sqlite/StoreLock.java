package dev.taskexec.store.sqlite;

import dev.taskexec.core.TaskStoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive lock of a state directory: one live store per directory, across processes.
 *
 * <p>An advisory lock on a file next to the database ({@code fcntl} on Linux): the operating system
 * releases it when the process dies, however it dies, so a crashed agent never leaves the directory
 * locked. SQLite's own locking would let two processes open the file and interleave their
 * writes; two workers driving the same tasks would start them twice. The file holds the pid of
 * its holder, for the error message; it is never deleted (deleting a lock file races with a
 * process about to lock it).
 */
final class StoreLock implements AutoCloseable {

    static final String FILE_NAME = "taskexec.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private StoreLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code directory}, without waiting.
     *
     * @throws TaskStoreException if another live process (or another store in this JVM) holds it,
     *     or the lock file cannot be opened
     */
    static StoreLock take(Path directory) {
        Path file = directory.resolve(FILE_NAME);
        FileChannel channel;
        try {
            channel =
                    FileChannel.open(
                            file,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new TaskStoreException(
                    "cannot open the lock file " + file + ": " + e.getMessage(), e);
        }
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                throw new TaskStoreException(
                        "the task store in "
                                + directory
                                + " is already open in this process; close it before opening it again");
            }
            if (lock == null) {
                throw new TaskStoreException(
                        "the task store in "
                                + directory
                                + " is locked by another live process"
                                + holder(file)
                                + "; two workers on one store would run its tasks twice");
            }
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
            return new StoreLock(channel, lock);
        } catch (IOException | RuntimeException e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof TaskStoreException t) {
                throw t;
            }
            throw new TaskStoreException("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    private static String holder(Path file) {
        try {
            String pid = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return pid.isEmpty() ? "" : " (pid " + pid + ")";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}

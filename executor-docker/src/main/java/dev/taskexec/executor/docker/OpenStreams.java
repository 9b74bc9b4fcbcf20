package dev.taskexec.executor.docker;

import dev.taskexec.api.ControllerClosedException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The streams one controller has open right now (waits, event watches, log reads, a pull, an
 * attached standard input), and whether the controller is closed.
 *
 * <p>Separate from {@link DockerController} because every part of it (the image pull, the log
 * reader, the health wait, the stdin attach) opens streams that {@code close()} must drop, and each
 * must see the close that races with its opening; one owner of that rule keeps the race handled
 * the same way everywhere.
 */
final class OpenStreams {

    private final String name;
    private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** @param name the container's name, for the messages */
    OpenStreams(String name) {
        this.name = name;
    }

    /** How many streams are open right now; for tests. */
    int size() {
        return open.size();
    }

    boolean closed() {
        return closed;
    }

    /** Notes an open stream without the closed check, for one whose owner handles the close itself. */
    void add(AutoCloseable stream) {
        open.add(stream);
    }

    /** Forgets a stream without closing it. */
    void remove(AutoCloseable stream) {
        open.remove(stream);
    }

    /**
     * Notes {@code stream} as open; if the controller is (or was just) closed, closes it instead.
     *
     * @throws ControllerClosedException if the controller is closed
     */
    <T extends AutoCloseable> T track(T stream) throws ControllerClosedException {
        open.add(stream);
        if (closed) {
            open.remove(stream);
            try {
                stream.close();
            } catch (Exception ignored) {
                // being discarded
            }
            throw new ControllerClosedException("controller for container " + name + " is closed");
        }
        return stream;
    }

    /** Forgets {@code stream} and closes it. */
    void untrack(AutoCloseable stream) {
        open.remove(stream);
        try {
            stream.close();
        } catch (Exception ignored) {
            // already ended
        }
    }

    void checkClosed() throws ControllerClosedException {
        if (closed) {
            throw new ControllerClosedException("controller for container " + name + " is closed");
        }
    }

    /** Marks the controller closed; {@link #closeAll()} drops what is open. */
    void markClosed() {
        closed = true;
    }

    /** Closes every stream still open. */
    void closeAll() {
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception ignored) {
                // Streams close by dropping their connection; there is nothing left to report.
            }
        }
        open.clear();
    }
}

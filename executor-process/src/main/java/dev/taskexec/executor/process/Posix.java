package dev.taskexec.executor.process;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The few libc calls the JDK does not offer: {@code kill(2)} with any signal, to a process or a
 * whole process group, {@code getpgid(2)} and {@code getuid(2)}.
 *
 * <p>Loaded once through JNA (which pty4j already brings). When libc cannot be loaded (no JNA
 * native support on this platform) {@link #available()} is false and callers fall back to what
 * {@link ProcessHandle} can do: SIGTERM and SIGKILL to single processes.
 */
final class Posix {

    private static final Logger LOG = LoggerFactory.getLogger(Posix.class);

    /** errno for "no such process or process group". */
    static final int ESRCH = 3;

    private interface LibC extends Library {
        int kill(int pid, int sig);

        int getpgid(int pid);

        int getuid();

        int getgid();
    }

    private static final LibC LIBC = load();

    private Posix() {}

    private static LibC load() {
        if (Platform.isWindows()) {
            return null;
        }
        try {
            return Native.load("c", LibC.class);
        } catch (LinkageError | RuntimeException e) {
            LOG.warn(
                    "libc is not reachable through JNA; only SIGTERM and SIGKILL can be sent, to single processes",
                    e);
            return null;
        }
    }

    static boolean available() {
        return LIBC != null;
    }

    /**
     * Sends {@code signal} to {@code pid} ({@code -pgid} for a group).
     *
     * @return 0 on success, else the errno
     */
    static int kill(long pid, int signal) {
        if (LIBC == null) {
            throw new IllegalStateException("libc is not available");
        }
        int rc = LIBC.kill(Math.toIntExact(pid), signal);
        return rc == 0 ? 0 : Native.getLastError();
    }

    /** The process group of {@code pid}, or empty when the process is gone or libc is unavailable. */
    static Optional<Integer> processGroup(long pid) {
        if (LIBC == null) {
            return Optional.empty();
        }
        int pgid = LIBC.getpgid(Math.toIntExact(pid));
        return pgid < 0 ? Optional.empty() : Optional.of(pgid);
    }

    /** The real user id of this JVM, or empty when libc is unavailable. */
    static Optional<Integer> uid() {
        return LIBC == null ? Optional.empty() : Optional.of(LIBC.getuid());
    }

    /** The real group id of this JVM, or empty when libc is unavailable. */
    static Optional<Integer> gid() {
        return LIBC == null ? Optional.empty() : Optional.of(LIBC.getgid());
    }
}

package dev.taskexec.executor.process;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns when the processes an executor started with {@code posix_spawn} exit, and reaps them, on
 * <em>one</em> thread whatever their number: each process gets a pidfd ({@code pidfd_open(2)}, Linux
 * 5.3), which becomes readable when it exits; the thread waits in {@code poll(2)} on all of them,
 * then reaps the ones that exited with {@code waitpid(pid, WNOHANG)}.
 *
 * <p>{@link #available()} is false on kernels without pidfds; {@link PosixSpawn} then waits with a
 * blocking {@code waitpid} on a thread per process, as before. The thread starts with the first
 * process and ends when none is left to watch. Thread-safe.
 */
final class ExitWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(ExitWatcher.class);

    /** {@code pidfd_open}'s number, the same on every 64-bit Linux architecture (the unified table from 424 on). */
    private static final int SYS_PIDFD_OPEN = 434;

    private static final int O_CLOEXEC = 0x80000;
    private static final int O_NONBLOCK = 0x800;
    private static final short POLLIN = 0x1;
    private static final int WNOHANG = 1;
    private static final int EINTR = 4;
    private static final int ESRCH = 3;
    private static final int POLLFD_SIZE = 8;

    @SuppressWarnings("checkstyle:MethodName")
    private interface LibC extends Library {
        int syscall(long number, int pid, int flags);

        int poll(Memory fds, long nfds, int timeout);

        int pipe2(int[] fds, int flags);

        int read(int fd, byte[] buf, long count);

        int write(int fd, byte[] buf, long count);

        int close(int fd);

        int waitpid(int pid, IntByReference status, int options);
    }

    private static final LibC LIBC = load();

    private static LibC load() {
        if (!Platform.isLinux() || !Platform.is64Bit()) {
            return null;
        }
        try {
            LibC c = Native.load("c", LibC.class);
            // the kernel decides: ask for our own pidfd once
            int fd = c.syscall(SYS_PIDFD_OPEN, (int) ProcessHandle.current().pid(), 0);
            if (fd < 0) {
                LOG.debug(
                        "pidfd_open is unavailable (errno {}); a thread waits for each process",
                        Native.getLastError());
                return null;
            }
            c.close(fd);
            return c;
        } catch (LinkageError | RuntimeException e) {
            LOG.debug("libc is not reachable through JNA; a thread waits for each process", e);
            return null;
        }
    }

    /** Whether exits can be watched this way here. */
    static boolean available() {
        return LIBC != null;
    }

    /** {@code child}: ours to reap; else only its end is learned (a process re-adopted after a restart). */
    private record Watched(int pid, int pidfd, boolean child, CompletableFuture<Integer> exit) {}

    private final String threadName;
    private final ConcurrentLinkedQueue<Watched> added = new ConcurrentLinkedQueue<>();
    private final Object lifecycle = new Object();
    // guarded by lifecycle
    private Thread thread;
    private int live;
    private int[] wakePipe;

    ExitWatcher(String threadName) {
        this.threadName = threadName;
    }

    /**
     * Watches {@code pid}, a child of this JVM nobody else waits for.
     *
     * @param exit completed with its exit code (128 + n after a death by signal n) once reaped
     * @throws IOException when no pidfd can be had (too many open files); the caller then waits otherwise
     */
    void watch(int pid, CompletableFuture<Integer> exit) throws IOException {
        watch(pid, true, exit);
    }

    /**
     * Watches {@code pid}, a process that is not a child of this JVM (a task's shim left by an agent
     * that died): nothing is reaped, its exit status is not known here.
     *
     * @param gone completed with 0 once it has exited, at once when it already had
     * @throws IOException when no pidfd can be had for another reason than its absence
     */
    void watchOther(int pid, CompletableFuture<Integer> gone) throws IOException {
        watch(pid, false, gone);
    }

    private void watch(int pid, boolean child, CompletableFuture<Integer> exit) throws IOException {
        int pidfd = LIBC.syscall(SYS_PIDFD_OPEN, pid, 0);
        if (pidfd < 0) {
            int errno = Native.getLastError();
            if (!child && errno == ESRCH) {
                exit.complete(0);
                return;
            }
            throw new IOException("pidfd_open(" + pid + "): errno " + errno);
        }
        synchronized (lifecycle) {
            if (wakePipe == null) {
                int[] fds = new int[2];
                if (LIBC.pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
                    LIBC.close(pidfd);
                    throw new IOException("pipe2: errno " + Native.getLastError());
                }
                wakePipe = fds;
            }
            live++;
            added.add(new Watched(pid, pidfd, child, exit));
            if (thread == null) {
                int[] pipe = wakePipe;
                thread = Thread.ofPlatform().daemon().name(threadName).start(() -> run(pipe));
            } else {
                LIBC.write(wakePipe[1], new byte[] {1}, 1);
            }
        }
    }

    /** Whether the thread runs, for tests. */
    boolean running() {
        synchronized (lifecycle) {
            return thread != null;
        }
    }

    private void run(int[] pipe) {
        List<Watched> watched = new ArrayList<>();
        Memory fds = null;
        byte[] sink = new byte[64];
        try {
            while (true) {
                for (Watched w; (w = added.poll()) != null; ) {
                    watched.add(w);
                }
                synchronized (lifecycle) {
                    if (watched.isEmpty() && added.isEmpty()) {
                        // the last one went: end, and let the next watch start afresh
                        LIBC.close(pipe[0]);
                        LIBC.close(pipe[1]);
                        wakePipe = null;
                        thread = null;
                        return;
                    }
                }
                int n = watched.size() + 1;
                if (fds == null || fds.size() < (long) n * POLLFD_SIZE) {
                    fds = new Memory((long) Math.max(n, 16) * 2 * POLLFD_SIZE);
                }
                fds.setInt(0, pipe[0]);
                fds.setShort(4, POLLIN);
                fds.setShort(6, (short) 0);
                for (int i = 0; i < watched.size(); i++) {
                    long at = (long) (i + 1) * POLLFD_SIZE;
                    fds.setInt(at, watched.get(i).pidfd());
                    fds.setShort(at + 4, POLLIN);
                    fds.setShort(at + 6, (short) 0);
                }
                int ready = LIBC.poll(fds, n, -1);
                if (ready < 0) {
                    if (Native.getLastError() != EINTR) {
                        throw new IllegalStateException(
                                "poll failed: errno " + Native.getLastError());
                    }
                    continue;
                }
                if (fds.getShort(6) != 0) {
                    while (LIBC.read(pipe[0], sink, sink.length) > 0) {
                        // emptied: the wake-up only made poll return
                    }
                }
                for (int i = watched.size() - 1; i >= 0; i--) {
                    if (fds.getShort((long) (i + 1) * POLLFD_SIZE + 6) != 0
                            && reaped(watched.get(i))) {
                        watched.set(i, watched.get(watched.size() - 1));
                        watched.remove(watched.size() - 1);
                    }
                }
            }
        } catch (Throwable t) {
            LOG.error("the exit watcher failed; exits of running tasks are no longer seen", t);
            for (Watched w : watched) {
                w.exit().completeExceptionally(t);
            }
            synchronized (lifecycle) {
                thread = null;
                wakePipe = null;
            }
        }
    }

    /** Reaps {@code w} if it exited; whether it did. */
    private boolean reaped(Watched w) {
        if (!w.child()) {
            // a pidfd of a process that is not ours becomes readable only once it has exited
            LIBC.close(w.pidfd());
            synchronized (lifecycle) {
                live--;
            }
            w.exit().complete(0);
            return true;
        }
        IntByReference status = new IntByReference();
        int rc;
        do {
            rc = LIBC.waitpid(w.pid(), status, WNOHANG);
        } while (rc < 0 && Native.getLastError() == EINTR);
        if (rc == 0) {
            return false; // not yet (a spurious wake-up)
        }
        LIBC.close(w.pidfd());
        synchronized (lifecycle) {
            live--;
        }
        if (rc != w.pid()) {
            LOG.warn(
                    "waitpid({}) returned {} (errno {}); exit status unknown",
                    w.pid(),
                    rc,
                    Native.getLastError());
            w.exit().complete(255);
        } else {
            w.exit().complete(PosixSpawn.exitCode(status.getValue()));
        }
        return true;
    }
}

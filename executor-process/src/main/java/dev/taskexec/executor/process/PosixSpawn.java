package dev.taskexec.executor.process;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import dev.taskexec.api.support.Signal;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a process with glibc's {@code posix_spawn(3)}, as leader of a new session
 * ({@code POSIX_SPAWN_SETSID}), in one step.
 *
 * <p>Why not {@link ProcessBuilder}: the JDK cannot start a child in a new process group, which
 * signalling a whole tree needs; going through {@code setsid(1)} works but costs a second
 * {@code exec}. Here the child gets its session, its working directory
 * ({@code addchdir_np}), its three standard streams, an empty signal mask, and no other file
 * descriptor ({@code addclosefrom_np}, so it cannot hold another task's pipes open), and exec
 * failures come back as errors instead of an exit code. Linux with glibc 2.34 or newer only;
 * {@link #available()} tells, and the caller falls back to {@code setsid(1)} otherwise.
 *
 * <p>The exit is learned with a blocking {@code waitpid}, which also reaps the child, on a thread
 * the caller supplies (the JDK's reaper only waits for the processes it started itself). Pipe
 * ends reach Java through {@code /proc/self/fd}, which opens the same pipe again.
 */
final class PosixSpawn {

    private static final Logger LOG = LoggerFactory.getLogger(PosixSpawn.class);

    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final int O_APPEND = 0x400; // the same on x86-64 and aarch64
    private static final int O_CLOEXEC =
            0x80000; // the same on every Linux architecture JNA runs on
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final short POSIX_SPAWN_SETSID = 0x80;
    private static final int EINTR = 4;

    /** Generous upper bounds of glibc's opaque posix_spawn structures (80 and 336 bytes on x86_64). */
    private static final int ACTIONS_SIZE = 512;

    private static final int ATTR_SIZE = 1024;
    private static final int SIGSET_SIZE = 128;

    @SuppressWarnings("checkstyle:MethodName")
    private interface LibC extends Library {
        int posix_spawn(
                IntByReference pid,
                String path,
                Pointer fileActions,
                Pointer attr,
                String[] argv,
                String[] envp);

        int posix_spawn_file_actions_init(Pointer actions);

        int posix_spawn_file_actions_destroy(Pointer actions);

        int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newfd);

        int posix_spawn_file_actions_addopen(
                Pointer actions, int fd, String path, int oflag, int mode);

        int posix_spawn_file_actions_addchdir_np(Pointer actions, String path);

        int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);

        int posix_spawnattr_init(Pointer attr);

        int posix_spawnattr_destroy(Pointer attr);

        int posix_spawnattr_setflags(Pointer attr, short flags);

        int posix_spawnattr_setsigmask(Pointer attr, Pointer sigmask);

        int pipe2(int[] fds, int flags);

        int close(int fd);

        int waitpid(int pid, IntByReference status, int options);

        String strerror(int errnum);
    }

    private static final LibC LIBC = load();

    private PosixSpawn() {}

    private static LibC load() {
        if (!Platform.isLinux() || Boolean.getBoolean("taskexec.process.noPosixSpawn")) {
            return null;
        }
        try {
            NativeLibrary c = NativeLibrary.getInstance("c");
            // the two newest functions decide: glibc 2.29 (chdir) and 2.34 (closefrom)
            c.getFunction("posix_spawn_file_actions_addchdir_np");
            c.getFunction("posix_spawn_file_actions_addclosefrom_np");
            return Native.load("c", LibC.class);
        } catch (LinkageError | RuntimeException e) {
            LOG.debug("posix_spawn with chdir and closefrom is unavailable; using setsid(1)", e);
            return null;
        }
    }

    /** Whether processes can be started this way here. */
    static boolean available() {
        return LIBC != null;
    }

    /**
     * Starts {@code executable} with {@code argv} (whose first element is its {@code argv[0]}).
     *
     * @param env       the complete environment
     * @param keepStdin a pipe for standard input; otherwise it reads {@code /dev/null}
     * @param files     where stdout and stderr go, written by the child itself; null: pipes this JVM reads
     * @param watcher   learns of the exit without a thread per process; null, or when it cannot take
     *                  it: {@code waiter} runs a blocking {@code waitpid}
     * @param waiter    runs the blocking {@code waitpid} for the exit, when {@code watcher} does not
     * @throws IOException when the program cannot be started (the message says why, from errno)
     */
    static Spawned spawn(
            Path executable,
            List<String> argv,
            Map<String, String> env,
            Path dir,
            boolean keepStdin,
            OutputFiles files,
            ExitWatcher watcher,
            Executor waiter)
            throws IOException {
        List<Integer> parentEnds = new ArrayList<>();
        List<Integer> childEnds = new ArrayList<>();
        Memory actions = new Memory(ACTIONS_SIZE);
        Memory attr = new Memory(ATTR_SIZE);
        actions.clear();
        attr.clear();
        boolean actionsInit = false;
        boolean attrInit = false;
        try {
            int[] out = files == null ? pipe(parentEnds, childEnds, false) : null;
            int[] err = files == null ? pipe(parentEnds, childEnds, false) : null;
            int[] in = keepStdin ? pipe(parentEnds, childEnds, true) : null;

            check(LIBC.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
            actionsInit = true;
            if (in != null) {
                check(LIBC.posix_spawn_file_actions_adddup2(actions, in[0], 0), "adddup2");
            } else {
                check(
                        LIBC.posix_spawn_file_actions_addopen(actions, 0, "/dev/null", O_RDONLY, 0),
                        "addopen");
            }
            if (files == null) {
                check(LIBC.posix_spawn_file_actions_adddup2(actions, out[1], 1), "adddup2");
                check(LIBC.posix_spawn_file_actions_adddup2(actions, err[1], 2), "adddup2");
            } else {
                // O_APPEND: the child's writes always land at the end, whatever it seeks
                int flags = O_WRONLY | O_APPEND;
                check(
                        LIBC.posix_spawn_file_actions_addopen(
                                actions, 1, files.stdout().toString(), flags, 0),
                        "addopen");
                check(
                        LIBC.posix_spawn_file_actions_addopen(
                                actions, 2, files.stderr().toString(), flags, 0),
                        "addopen");
            }
            check(LIBC.posix_spawn_file_actions_addclosefrom_np(actions, 3), "addclosefrom_np");
            check(
                    LIBC.posix_spawn_file_actions_addchdir_np(actions, dir.toString()),
                    "addchdir_np");

            check(LIBC.posix_spawnattr_init(attr), "posix_spawnattr_init");
            attrInit = true;
            Memory emptyMask = new Memory(SIGSET_SIZE);
            emptyMask.clear();
            check(LIBC.posix_spawnattr_setsigmask(attr, emptyMask), "setsigmask");
            check(
                    LIBC.posix_spawnattr_setflags(
                            attr, (short) (POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK)),
                    "setflags");

            String[] envp = new String[env.size()];
            int i = 0;
            for (Map.Entry<String, String> e : env.entrySet()) {
                envp[i++] = e.getKey() + "=" + e.getValue();
            }
            IntByReference pid = new IntByReference();
            int rc =
                    LIBC.posix_spawn(
                            pid,
                            executable.toString(),
                            actions,
                            attr,
                            argv.toArray(String[]::new),
                            envp);
            if (rc != 0) {
                throw new IOException(LIBC.strerror(rc) + " (errno " + rc + ")");
            }
            for (int fd : childEnds) {
                LIBC.close(fd);
            }
            childEnds.clear();

            int child = pid.getValue();
            FileInputStream stdout = out == null ? null : reopenRead(out[0]);
            FileInputStream stderr = err == null ? null : reopenRead(err[0]);
            FileOutputStream stdin = in == null ? null : reopenWrite(in[1]);
            parentEnds.clear();
            CompletableFuture<Integer> exit = new CompletableFuture<>();
            // until waitpid reaps it the child's pid cannot be reused, so its handle may be looked
            // up later
            Supplier<Optional<ProcessHandle>> handle =
                    () -> exit.isDone() ? Optional.empty() : ProcessHandle.of(child);
            try {
                if (!watched(watcher, child, exit)) {
                    waiter.execute(() -> exit.complete(reap(child)));
                }
            } catch (RejectedExecutionException e) {
                // nobody would wait for it: stop it and reap it here
                Posix.kill(child, Signal.SIGKILL.number());
                reap(child);
                if (stdout != null) {
                    stdout.close();
                    stderr.close();
                }
                if (stdin != null) {
                    stdin.close();
                }
                throw new IOException("the process executor was closed", e);
            }
            return new Spawned(child, handle, true, stdout, stderr, stdin, exit);
        } finally {
            for (int fd : childEnds) {
                LIBC.close(fd);
            }
            for (int fd : parentEnds) {
                LIBC.close(fd);
            }
            if (actionsInit) {
                LIBC.posix_spawn_file_actions_destroy(actions);
            }
            if (attrInit) {
                LIBC.posix_spawnattr_destroy(attr);
            }
        }
    }

    /** Hands {@code child} to {@code watcher}; false when there is none or it cannot take it. */
    private static boolean watched(
            ExitWatcher watcher, int child, CompletableFuture<Integer> exit) {
        if (watcher == null) {
            return false;
        }
        try {
            watcher.watch(child, exit);
            return true;
        } catch (IOException e) {
            LOG.warn(
                    "cannot watch process {} without a thread ({}); a thread waits for it",
                    child,
                    e.getMessage());
            return false;
        }
    }

    /** A close-on-exec pipe; remembers which end stays here and which goes to the child. */
    private static int[] pipe(List<Integer> parentEnds, List<Integer> childEnds, boolean childReads)
            throws IOException {
        int[] fds = new int[2];
        if (LIBC.pipe2(fds, O_CLOEXEC) != 0) {
            int errno = Native.getLastError();
            throw new IOException("pipe2: " + LIBC.strerror(errno));
        }
        parentEnds.add(childReads ? fds[1] : fds[0]);
        childEnds.add(childReads ? fds[0] : fds[1]);
        return fds;
    }

    /** Opens the pipe end {@code fd} as a Java stream (a new descriptor) and closes {@code fd}. */
    private static FileInputStream reopenRead(int fd) throws IOException {
        try {
            return new FileInputStream("/proc/self/fd/" + fd);
        } finally {
            LIBC.close(fd);
        }
    }

    private static FileOutputStream reopenWrite(int fd) throws IOException {
        try {
            return new FileOutputStream("/proc/self/fd/" + fd);
        } finally {
            LIBC.close(fd);
        }
    }

    /** Waits for and reaps the child {@code pid}: its exit code, or 128 + the signal that killed it. */
    private static int reap(int pid) {
        IntByReference status = new IntByReference();
        int rc;
        do {
            rc = LIBC.waitpid(pid, status, 0);
        } while (rc < 0 && Native.getLastError() == EINTR);
        if (rc != pid) {
            LOG.warn(
                    "waitpid({}) returned {} (errno {}); exit status unknown",
                    pid,
                    rc,
                    Native.getLastError());
            return 255;
        }
        return exitCode(status.getValue());
    }

    /** The exit code a {@code waitpid} status means: the process's, or 128 + the signal that killed it. */
    static int exitCode(int status) {
        int termsig = status & 0x7f;
        return termsig == 0 ? (status >> 8) & 0xff : 128 + termsig;
    }

    private static void check(int rc, String call) throws IOException {
        if (rc != 0) {
            throw new IOException(call + ": " + LIBC.strerror(rc));
        }
    }
}

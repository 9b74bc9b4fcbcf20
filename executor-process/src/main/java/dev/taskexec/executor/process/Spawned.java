package dev.taskexec.executor.process;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A task's process once started, whichever way it was started.
 *
 * @param pid     its pid, also its process group id when {@code groupLeader}
 * @param handle  looks up its handle, empty once it is gone (called when signals are sent)
 * @param groupLeader whether it leads its own process group (and session)
 * @param stdout  its standard output (with a PTY: the terminal's whole output)
 * @param stderr  its standard error, or null with a PTY
 * @param stdin   its standard input, or null when it reads {@code /dev/null}
 * @param exit    completes with its exit code (128 + n after a death by signal n) once it has
 *                exited and been reaped
 */
record Spawned(
        long pid,
        Supplier<Optional<ProcessHandle>> handle,
        boolean groupLeader,
        InputStream stdout,
        InputStream stderr,
        OutputStream stdin,
        CompletableFuture<Integer> exit) {

    /** Wraps a {@link Process} the JDK or pty4j started. */
    static Spawned of(
            Process p,
            Optional<ProcessHandle> handle,
            boolean groupLeader,
            boolean pty,
            boolean keepStdin) {
        CompletableFuture<Integer> exit = p.onExit().thenApply(Process::exitValue);
        return new Spawned(
                p.pid(),
                () -> handle,
                groupLeader,
                p.getInputStream(),
                pty ? null : p.getErrorStream(),
                keepStdin ? p.getOutputStream() : null,
                exit);
    }
}

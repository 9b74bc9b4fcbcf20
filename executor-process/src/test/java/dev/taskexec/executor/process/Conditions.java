package dev.taskexec.executor.process;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Polls a condition until a deadline; the only way tests here wait for something to happen. */
final class Conditions {

    private Conditions() {}

    /** Waits until {@code condition} holds, failing the test after {@code timeout}. */
    static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
            if (Thread.interrupted()) {
                throw new AssertionError("interrupted while waiting for " + what);
            }
        }
    }

    /**
     * Whether a process with this pid exists and is not a zombie. A zombie has stopped running;
     * reaping an orphaned one is its new parent's (init's) business, and {@link ProcessHandle}
     * still calls it alive, so this reads {@code /proc} instead.
     */
    static boolean alive(long pid) {
        return state(pid).map(s -> s != 'Z' && s != 'X').orElse(false);
    }

    /** The state letter of a process from {@code /proc/PID/stat}, if it exists. */
    static java.util.Optional<Character> state(long pid) {
        try {
            String stat =
                    java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            // the command name is in parentheses and may itself contain spaces or parentheses
            return java.util.Optional.of(stat.charAt(stat.lastIndexOf(')') + 2));
        } catch (java.io.IOException e) {
            return java.util.Optional.empty();
        }
    }

    /** Zombies whose parent is this JVM: children nobody reaped. */
    static java.util.List<Long> zombieChildren() {
        return ProcessHandle.current()
                .children()
                .map(ProcessHandle::pid)
                .filter(pid -> state(pid).map(s -> s == 'Z').orElse(false))
                .toList();
    }
}

package dev.taskexec.conformance.check;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.taskexec.api.ExitCoder;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CancellationException;
import org.apiguardian.api.API;

/**
 * Reads a failure's cause chain the way the lifecycle does (swarmkit's
 * {@code errors.As}): the failure itself first, then each cause, stopping at a
 * cycle.
 */
@API(status = INTERNAL, since = "0.1")
public final class Causes {

    private Causes() {}

    /** The first throwable in {@code failure}'s cause chain that is a {@code type}. */
    public static <T> Optional<T> find(Throwable failure, Class<T> type) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure;
                t != null && seen.put(t, Boolean.TRUE) == null;
                t = t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }

    /** Whether the chain holds a {@code type}. */
    public static boolean has(Throwable failure, Class<?> type) {
        return find(failure, type).isPresent();
    }

    /** The exit code of the first {@link ExitCoder} in the chain. */
    public static OptionalInt exitCode(Throwable failure) {
        return find(failure, ExitCoder.class)
                .map(c -> OptionalInt.of(c.exitCode()))
                .orElse(OptionalInt.empty());
    }

    /**
     * Whether the chain shows the call ended because its thread was interrupted:
     * an {@link InterruptedException}, or Java's I/O and task forms of it.
     */
    public static boolean isInterruption(Throwable failure) {
        return has(failure, InterruptedException.class)
                || has(failure, InterruptedIOException.class)
                || has(failure, ClosedByInterruptException.class)
                || has(failure, CancellationException.class);
    }

    /** A short description: class name and message. */
    public static String describe(Throwable failure) {
        if (failure == null) {
            return "nothing";
        }
        String message = failure.getMessage();
        return failure.getClass().getName() + (message == null ? "" : ": " + message);
    }
}

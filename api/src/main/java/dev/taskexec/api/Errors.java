package dev.taskexec.api;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Reads and marks failures the way the lifecycle does: by walking cause chains, as Go's
 * {@code errors.As} walks wrapped errors.
 *
 * <p>A cause chain is a failure, its {@link Throwable#getCause() cause}, that one's cause, and so
 * on, to a depth of 64 (which also ends chains that loop); suppressed exceptions are not part of
 * it.
 *
 * <p>Holds no state: every method may be called from any thread and none blocks.
 */
@API(status = STABLE, since = "0.1")
public final class Errors {

    private Errors() {}

    /**
     * Marks a failure as temporary, so that the lifecycle retries the operation.
     *
     * <p>A failure that already {@linkplain #isTemporary(Throwable) is temporary} is returned as it
     * is when it is an {@link Exception}. Otherwise the result is a new exception that is
     * {@link Temporary}, has {@code cause} as its cause and the cause's message as its own (so the
     * status's {@code err} stays the same), and is found by {@link #find(Throwable, Class)} for
     * anything {@code cause} is.
     *
     * @param cause the failure
     * @return an exception that is temporary
     * @throws NullPointerException if {@code cause} is null
     */
    public static Exception temporary(Throwable cause) {
        if (cause == null) {
            throw new NullPointerException("cause");
        }
        if (cause instanceof Exception e && isTemporary(e)) {
            return e;
        }
        return new TemporaryFailure(cause);
    }

    /**
     * Whether the failure should be retried: the first {@link Temporary} along its cause chain
     * says so.
     *
     * @param failure a failure, or {@code null} (not temporary)
     * @return {@code true} if the first {@code Temporary} in the chain is temporary
     */
    public static boolean isTemporary(Throwable failure) {
        return find(failure, Temporary.class).map(Temporary::isTemporary).orElse(false);
    }

    /**
     * The first failure along the cause chain, starting with {@code failure} itself, that is an
     * instance of {@code type}.
     *
     * @param failure a failure, or {@code null}
     * @param type what to look for: a class or an interface such as {@link ExitCoder}
     * @param <T> the type looked for
     * @return the first match, or empty
     */
    public static <T> Optional<T> find(Throwable failure, Class<T> type) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }

    // Throwable forbids a failure being its own cause but not longer cycles; a bound ends those
    // without the allocation a visited-set would cost on every lookup.
    private static final int MAX_DEPTH = 64;

    /** The failure {@link #temporary(Throwable)} wraps around one that is not temporary. */
    private static final class TemporaryFailure extends Exception implements Temporary {
        private static final long serialVersionUID = 1L;

        TemporaryFailure(Throwable cause) {
            super(
                    cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName(),
                    cause);
        }

        @Override
        public boolean isTemporary() {
            return true;
        }
    }
}

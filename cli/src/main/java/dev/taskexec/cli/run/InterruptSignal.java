package dev.taskexec.cli.run;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Lets {@code run} decide what Ctrl-C (SIGINT) does, instead of the JVM's default of exiting at
 * once: the first one shuts the task down gracefully, the second terminates it.
 *
 * <p>Java has no supported API for catching a signal while the program keeps running (a shutdown
 * hook runs only as the JVM exits, and a second signal cannot be told apart), so this uses
 * {@code sun.misc.Signal} from the {@code jdk.unsupported} module, which the JDK keeps available
 * for exactly this use (JEP 260). Where it is unavailable (a JVM started with {@code -Xrs}, say),
 * Ctrl-C keeps its default meaning, and that is logged at debug level.
 */
final class InterruptSignal implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InterruptSignal.class);
    private static final Signal INT = new Signal("INT");

    private final SignalHandler previous;

    private InterruptSignal(SignalHandler previous) {
        this.previous = previous;
    }

    /**
     * Routes SIGINT to {@code onInterrupt} until {@link #close()}.
     *
     * @param onInterrupt called on the JVM's signal thread with how many interrupts arrived so far
     *     (1 for the first); it must not block for long
     * @return the installation; close it to restore the previous handling
     */
    static InterruptSignal install(IntConsumer onInterrupt) {
        AtomicInteger count = new AtomicInteger();
        try {
            return new InterruptSignal(Signal.handle(INT, signal -> onInterrupt.accept(count.incrementAndGet())));
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            log.debug("cannot handle SIGINT here; Ctrl-C exits at once", e);
            return new InterruptSignal(null);
        }
    }

    /** Restores the handling that was in place before. Idempotent. */
    @Override
    public void close() {
        if (previous != null) {
            try {
                Signal.handle(INT, previous);
            } catch (IllegalArgumentException e) {
                log.debug("cannot restore the SIGINT handler", e);
            }
        }
    }
}

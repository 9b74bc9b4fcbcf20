package dev.taskexec.cli.run;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets {@code run} decide what Ctrl-C (SIGINT) does, instead of the JVM's default of exiting at
 * once: the first one shuts the task down gracefully, the second terminates it.
 *
 * <p>Java has no supported API for handling a signal while the program keeps running (a shutdown
 * hook runs only as the JVM exits, and cannot tell a second Ctrl-C from the first), so this uses
 * {@code sun.misc.Signal} from the {@code jdk.unsupported} module, which the JDK keeps exported for
 * exactly this use (JEP 260). It is reached by reflection so that the build stays free of
 * "internal proprietary API" warnings, and so that a JVM without it (or one started with
 * {@code -Xrs}) merely keeps Ctrl-C's default meaning; that is logged at debug level.
 */
final class InterruptSignal implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InterruptSignal.class);

    private final Object signal;
    private final Object previous;
    private final Method handle;

    private InterruptSignal(Object signal, Object previous, Method handle) {
        this.signal = signal;
        this.previous = previous;
        this.handle = handle;
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
            Class<?> signalType = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object signal = signalType.getConstructor(String.class).newInstance("INT");
            Object handler = Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            onInterrupt.accept(count.incrementAndGet());
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        case "toString" -> "taskexec SIGINT handler";
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
            Method handle = signalType.getMethod("handle", signalType, handlerType);
            Object previous = handle.invoke(null, signal, handler);
            return new InterruptSignal(signal, previous, handle);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.debug("cannot handle SIGINT here; Ctrl-C keeps its default meaning (exit at once)",
                    e instanceof InvocationTargetException ite ? ite.getCause() : e);
            return new InterruptSignal(null, null, null);
        }
    }

    /** Restores the handling that was in place before. */
    @Override
    public void close() {
        if (handle == null || previous == null) {
            return;
        }
        try {
            handle.invoke(null, signal, previous);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.debug("cannot restore the SIGINT handler", e);
        }
    }
}

package dev.taskexec.cli.run;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets {@code run} decide what Ctrl-C (SIGINT) and SIGTERM do, instead of the JVM's default of
 * exiting at once and leaving the task to whatever the backend does on exit: the first signal shuts
 * the task down gracefully, the second terminates it.
 *
 * <p>Java has no supported API for handling a signal while the program keeps running (a shutdown
 * hook runs only as the JVM exits, and cannot tell a second Ctrl-C from the first), so this uses
 * {@code sun.misc.Signal} from the {@code jdk.unsupported} module, which the JDK keeps exported for
 * exactly this use (JEP 260). It is reached by reflection so that the build stays free of
 * "internal proprietary API" warnings, and so that a JVM without it (or one started with
 * {@code -Xrs}) merely keeps Ctrl-C's default meaning; that is logged at debug level.
 *
 * <p><b>Order.</b> The JVM runs each signal's handler on a new thread, so handlers of signals that
 * arrive together race; {@link Listener#signalled} therefore also gets each signal's place in the
 * order of arrival (the handler thread's id, as the one dispatcher thread makes them in turn).
 * Signals that arrive before the dispatcher has taken the first (within microseconds, or longer on
 * a starved machine) are taken in signal-number order: SIGINT before SIGTERM.
 *
 * <p>The command keeps the handlers until it exits rather than {@linkplain #close() restoring} the
 * defaults after the task: a late signal must not end the JVM with the default meaning (and its
 * exit code) while the task's clean-up or the last output is still in progress.
 */
final class InterruptSignal implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InterruptSignal.class);

    /** The signals handled: Ctrl-C, and the polite stop that service managers and timeout(1) send. */
    static final List<String> SIGNALS = List.of("INT", "TERM");

    /**
     * Receives the signals.
     */
    @FunctionalInterface
    interface Listener {
        /**
         * @param signal the signal's name without {@code SIG}: {@code INT} or {@code TERM}
         * @param count how many of the handled signals (of either kind) have been handled so far,
         *     1 for the first to be handled
         * @param order the signal's place in the order the JVM received them: smaller is earlier.
         *     Handlers of signals that arrive close together run concurrently and may be called in
         *     another order than the signals came; {@code order} is not affected by that
         */
        void signalled(String signal, int count, long order);
    }

    private final Method handle;
    private final Map<Object, Object> previous; // signal -> handler it replaced

    private InterruptSignal(Method handle, Map<Object, Object> previous) {
        this.handle = handle;
        this.previous = previous;
    }

    /**
     * Routes SIGINT and SIGTERM to {@code listener} until {@link #close()}.
     *
     * @param listener called on the JVM's signal thread; it must not block for long
     * @return the installation; close it to restore the previous handling
     */
    static InterruptSignal install(Listener listener) {
        AtomicInteger count = new AtomicInteger();
        Map<Object, Object> previous = new LinkedHashMap<>();
        Method handle = null;
        try {
            Class<?> signalType = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Method getName = signalType.getMethod("getName");
            Object handler =
                    Proxy.newProxyInstance(
                            handlerType.getClassLoader(),
                            new Class<?>[] {handlerType},
                            (proxy, method, args) ->
                                    switch (method.getName()) {
                                        case "handle" -> {
                                            // The JVM's signal dispatcher makes one thread per
                                            // signal, in the order
                                            // it takes them, and ids grow with each thread made:
                                            // the id is the order.
                                            listener.signalled(
                                                    (String) getName.invoke(args[0]),
                                                    count.incrementAndGet(),
                                                    Thread.currentThread().threadId());
                                            yield null;
                                        }
                                        case "hashCode" -> System.identityHashCode(proxy);
                                        case "equals" -> proxy == args[0];
                                        case "toString" -> "taskexec signal handler";
                                        default ->
                                                throw new UnsupportedOperationException(
                                                        method.getName());
                                    });
            handle = signalType.getMethod("handle", signalType, handlerType);
            for (String name : SIGNALS) {
                Object signal = signalType.getConstructor(String.class).newInstance(name);
                previous.put(signal, handle.invoke(null, signal, handler));
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.debug(
                    "cannot handle SIGINT/SIGTERM here; they keep their default meaning (exit at once)",
                    e instanceof InvocationTargetException ite ? ite.getCause() : e);
        }
        return new InterruptSignal(handle, previous);
    }

    /** Restores the handling that was in place before. */
    @Override
    public void close() {
        previous.forEach(
                (signal, handler) -> {
                    try {
                        handle.invoke(null, signal, handler);
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        log.debug("cannot restore the handler of {}", signal, e);
                    }
                });
        previous.clear();
    }
}

package dev.taskexec.conformance.check;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apiguardian.api.API;

/**
 * A call into the backend running on its own platform daemon thread, so the kit
 * can bound how long it waits, interrupt it the way an agent cancels an
 * operation, and walk away from it if the backend ignores the interruption.
 *
 * <p>Platform threads, not virtual ones: a backend that blocks while pinning a
 * carrier must not be able to stall the kit itself. Daemon threads, so a backend
 * that never returns cannot keep the JVM alive. Every such thread's name starts
 * with {@link #THREAD_PREFIX}, which RS-4 uses to tell the kit's threads from the
 * backend's.
 */
@API(status = INTERNAL, since = "0.1")
public final class InFlight<T> {

    /** The name prefix of every thread the kit starts. */
    public static final String THREAD_PREFIX = "taskexec-conformance-";

    private static final AtomicLong COUNTER = new AtomicLong();

    private final String what;
    private final Thread thread;

    /** Holds how the call ended; never completed exceptionally, so a thrown CancellationException stays a result. */
    private final CompletableFuture<CallResult<T>> result = new CompletableFuture<>();

    private InFlight(String what, Callable<T> body) {
        this.what = what;
        this.thread =
                new Thread(
                        () -> {
                            try {
                                result.complete(new CallResult<>(body.call(), null));
                            } catch (Throwable t) {
                                result.complete(new CallResult<>(null, t));
                            }
                        },
                        THREAD_PREFIX + "call-" + COUNTER.incrementAndGet());
        thread.setDaemon(true);
    }

    /** Starts {@code body} on a new kit thread; {@code what} names the call in messages. */
    public static <T> InFlight<T> start(String what, Callable<T> body) {
        InFlight<T> call = new InFlight<>(what, body);
        call.thread.start();
        return call;
    }

    /**
     * Starts {@code body}, a call that returns nothing, on a new kit thread, as {@link
     * #start(String, Callable)} does; returns at once.
     */
    public static InFlight<Void> start(String what, VoidCall body) {
        return start(
                what,
                () -> {
                    body.run();
                    return null;
                });
    }

    /** Names the call, for messages. */
    public String what() {
        return what;
    }

    /** Whether the call has ended. */
    public boolean isDone() {
        return result.isDone();
    }

    /** Interrupts the thread running the call, as an agent cancels an operation. */
    public void interrupt() {
        thread.interrupt();
    }

    /**
     * Whether the call's thread is parked, waiting or blocked on a monitor — that is,
     * blocked in a Java-level wait. A call blocked in native I/O shows as running.
     */
    public boolean isParked() {
        Thread.State state = thread.getState();
        return state == Thread.State.WAITING
                || state == Thread.State.TIMED_WAITING
                || state == Thread.State.BLOCKED;
    }

    /**
     * Waits up to {@code limit} for the call to end.
     *
     * @return how it ended
     * @throws TimeoutException     if it is still running after {@code limit}
     * @throws InterruptedException if the kit's own thread is interrupted
     */
    public CallResult<T> await(Duration limit) throws TimeoutException, InterruptedException {
        try {
            return result.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * Waits until the call is parked in a wait, or {@code atMost} passed — whichever
     * comes first — so that an interruption lands while the call is blocked rather
     * than before it started. A call that does not park (native I/O) is simply
     * waited on for {@code atMost}.
     */
    public void awaitParked(Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!isParked() && !isDone() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    /** A call into the backend that returns nothing; it may throw anything. */
    @FunctionalInterface
    public interface VoidCall {
        void run() throws Exception;
    }
}

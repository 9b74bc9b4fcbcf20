package dev.taskexec.executor.docker;

import com.github.dockerjava.api.async.ResultCallback;
import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * A docker-java streaming call (wait, events, pull) whose items go to a sink and whose end is a
 * future the caller waits on interruptibly.
 *
 * <p>It implements {@link ResultCallback} directly rather than extending docker-java's template,
 * which logs every error at ERROR level and whose completion latch is easy to leave hanging. The
 * end is whichever of {@code onComplete}, {@code onError} or {@link #close()} comes first; later ones
 * are ignored (docker-java calls {@code onComplete} even after {@code onError}).
 *
 * <p>{@link #close()} releases the stream's connection: it may be called from any thread, at any
 * time, also before docker-java has started the stream (the stream is then closed as soon as it
 * starts). Owners close every call they make, in a {@code finally} or try-with-resources.
 *
 * @param <T> the type of the streamed items
 */
final class StreamCall<T> implements ResultCallback<T> {

    private final Consumer<? super T> sink;
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private Closeable stream;
    private boolean closed;

    StreamCall(Consumer<? super T> sink) {
        this.sink = sink;
    }

    @Override
    public void onStart(Closeable stream) {
        boolean closeNow;
        synchronized (this) {
            this.stream = stream;
            closeNow = closed;
        }
        started.complete(null);
        if (closeNow) {
            closeQuietly(stream);
        }
    }

    @Override
    public void onNext(T item) {
        if (done.isDone()) {
            return;
        }
        try {
            sink.accept(item);
        } catch (RuntimeException e) {
            onError(e);
        }
    }

    @Override
    public void onError(Throwable failure) {
        started.complete(null);
        done.completeExceptionally(failure);
        close();
    }

    @Override
    public void onComplete() {
        started.complete(null);
        done.complete(null);
        close();
    }

    /** Ends the call and releases its connection. Idempotent; never blocks for long. */
    @Override
    public void close() {
        Closeable toClose;
        synchronized (this) {
            closed = true;
            toClose = stream;
        }
        started.complete(null);
        done.completeExceptionally(new CancellationException("stream closed"));
        if (toClose != null) {
            closeQuietly(toClose);
        }
    }

    /**
     * Waits until the engine has answered the request (its response headers arrived).
     *
     * @throws InterruptedException if interrupted; the call is then closed
     */
    void awaitStarted() throws InterruptedException {
        try {
            started.get();
        } catch (InterruptedException e) {
            close();
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits for the end of the stream.
     *
     * @return normally when the engine ended the stream
     * @throws InterruptedException if interrupted; the call is then closed
     * @throws Throwable what the stream failed with (a {@link CancellationException} if closed)
     */
    void await() throws Throwable {
        try {
            done.get();
        } catch (InterruptedException e) {
            close();
            throw e;
        } catch (ExecutionException e) {
            throw e.getCause();
        }
    }

    /** The future completed when the stream ends, for callers combining it with other events. */
    CompletableFuture<Void> done() {
        return done;
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException | RuntimeException ignored) {
            // The connection is being dropped; nothing else to release.
        }
    }
}

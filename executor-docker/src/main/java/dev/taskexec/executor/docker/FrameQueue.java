package dev.taskexec.executor.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Hands a log stream's frames from docker-java's streaming thread to the thread that reads the logs,
 * so the reader publishes on its own thread, feels back-pressure, and can be interrupted.
 *
 * <p>Frames are copied on arrival (docker-java reuses their buffers). The queue is bounded: a slow
 * reader stalls the stream rather than buffering without limit. {@link #close()} drops the stream's
 * connection and interrupts the streaming thread, so neither side can stay blocked.
 */
final class FrameQueue implements ResultCallback<Frame> {

    /** One item of the queue. */
    sealed interface Item permits Chunk, End {}

    /** A copied slice of one stream. */
    record Chunk(StreamType type, byte[] bytes) implements Item {}

    /** The end of the stream; {@code failure} is null when the engine ended it. */
    record End(Throwable failure) implements Item {}

    private static final int CAPACITY = 256;

    /** The most items {@link #takeBatch} hands over at once. */
    static final int BATCH = 64;

    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(CAPACITY);
    private Closeable stream;
    private boolean closed;
    private boolean ended;

    @Override
    public void onStart(Closeable stream) {
        boolean closeNow;
        synchronized (this) {
            this.stream = stream;
            closeNow = closed;
        }
        if (closeNow) {
            closeQuietly(stream);
        }
    }

    @Override
    public void onNext(Frame frame) {
        byte[] payload = frame.getPayload();
        if (payload != null && payload.length > 0) {
            put(new Chunk(frame.getStreamType(), payload.clone()));
        }
    }

    @Override
    public void onError(Throwable failure) {
        end(failure);
    }

    @Override
    public void onComplete() {
        end(null);
    }

    private void end(Throwable failure) {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
        }
        put(new End(failure));
    }

    private void put(Item item) {
        try {
            queue.put(item);
        } catch (InterruptedException e) {
            // Only close() interrupts the streaming thread: the reader is gone.
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits for the next item, then adds it and up to {@link #BATCH} - 1 more that are already
     * queued to {@code into}. Taking what is there at once, rather than one frame per wake-up,
     * spares the streaming thread a signal per frame while the queue is full: on a fast log read
     * that hand-off, not the decoding, was the reader's cost.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    void takeBatch(List<Item> into) throws InterruptedException {
        into.add(queue.take());
        queue.drainTo(into, BATCH - 1);
    }

    /** Drops the stream. Idempotent, any thread, also before the stream started. */
    @Override
    public void close() {
        Closeable toClose;
        synchronized (this) {
            closed = true;
            toClose = stream;
        }
        if (toClose != null) {
            closeQuietly(toClose);
        }
        queue.clear();
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException | RuntimeException ignored) {
            // The connection is being dropped; nothing else to release.
        }
    }
}

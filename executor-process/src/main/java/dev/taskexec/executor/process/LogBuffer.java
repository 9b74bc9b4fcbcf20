package dev.taskexec.executor.process;

import dev.taskexec.api.proto.LogMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A task's recent log messages, bounded by the bytes of their data, readable by any number of
 * subscribers at their own pace.
 *
 * <p>Writers never wait for readers: when the bound is reached the oldest messages are dropped,
 * and a reader that fell behind simply continues from the oldest one still held. Every message
 * gets a sequence number, which is how readers keep their place.
 */
final class LogBuffer {

    /** One message and its position. */
    record Entry(long seq, LogMessage message) {}

    /** A batch read from the buffer: the entries and the sequence number to read from next. */
    record Batch(List<Entry> entries, long next) {}

    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long bytes;
    private long nextSeq;
    private boolean closed;
    private boolean ended;

    LogBuffer(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Appends a message, dropping the oldest ones beyond the bound. Never blocks on readers. */
    void append(LogMessage message) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            entries.addLast(new Entry(nextSeq++, message));
            bytes += message.getData().size();
            // keep at least the newest message, however large, so the last line is never lost
            while (bytes > maxBytes && entries.size() > 1) {
                bytes -= entries.removeFirst().message().getData().size();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Everything held now, oldest first. */
    List<Entry> snapshot() {
        lock.lock();
        try {
            return new ArrayList<>(entries);
        } finally {
            lock.unlock();
        }
    }

    /** The sequence number the next appended message will get. */
    long nextSeq() {
        lock.lock();
        try {
            return nextSeq;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until there is a message numbered {@code from} or later (or the output ended, or the
     * buffer is closed), up
     * to {@code timeoutNanos}, and returns those held.
     *
     * @throws InterruptedException when interrupted while waiting
     */
    Batch awaitFrom(long from, long timeoutNanos) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long remaining = timeoutNanos;
            while (nextSeq <= from && !closed && !ended && remaining > 0) {
                remaining = changed.awaitNanos(remaining);
            }
            List<Entry> out = new ArrayList<>();
            for (Entry e : entries) {
                if (e.seq() >= from) {
                    out.add(e);
                }
            }
            return new Batch(out, Math.max(from, nextSeq));
        } finally {
            lock.unlock();
        }
    }

    /** Marks the task's output as complete: readers waiting for more are woken. Idempotent. */
    void end() {
        lock.lock();
        try {
            ended = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether the output is complete and nothing numbered {@code from} or later exists: a
     * follower at {@code from} has seen everything.
     */
    boolean exhausted(long from) {
        lock.lock();
        try {
            return closed || (ended && from >= nextSeq);
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@link #close()} was called. */
    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Drops every message and wakes every reader; later appends are ignored. Idempotent. */
    void close() {
        lock.lock();
        try {
            closed = true;
            entries.clear();
            bytes = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Drops every message held; readers keep their place. */
    void clear() {
        lock.lock();
        try {
            entries.clear();
            bytes = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}

package dev.taskexec.executor.process;

import dev.taskexec.api.proto.LogMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A task's recent log messages, bounded in bytes, readable by any number of subscribers at their
 * own pace, with extra room for followers that fell behind.
 *
 * <p>Every message gets a sequence number. The <em>window</em> is the newest messages whose data
 * fits in {@code windowBytes} (always at least the newest message, however large): it is what
 * {@link #snapshot()} returns and where a new {@link Cursor} starts, so what a reader that arrives
 * later sees does not depend on whether someone else is reading.
 *
 * <p>A message that leaves the window is dropped, unless an attached {@link Cursor} has not read
 * it yet: then it is kept, for that follower only, while the messages so kept cost at most
 * {@code lagBytes} (each counts its data plus {@link #ENTRY_COST} bytes, roughly what holding a
 * message costs in memory, so that short lines cannot multiply the real footprint). Beyond that the
 * oldest kept message is dropped, and a cursor that had not read it learns how many it missed
 * from its next {@link Cursor#await read}. Kept messages go as soon as no cursor needs them (a
 * cursor that reads on, or is closed), so the buffer returns to the window.
 *
 * <p>Writers never wait for readers: {@link #append} takes one lock for a few field updates, and
 * readers copy at most {@link #BATCH} entries ({@link #BATCH_BYTES} of data) while holding it. What feeds the buffer may instead
 * wait by itself, where the output is safe elsewhere meanwhile: {@link #holdBack} says when a
 * follower would gain by it.
 */
final class LogBuffer {

    /** What holding one message costs beyond its data, as counted against the lag bound. */
    static final int ENTRY_COST = 128;

    /** The most entries one read copies, so that a far-behind reader holds the lock only briefly. */
    static final int BATCH = 256;

    /**
     * The most data one read returns (but at least one entry): a follower comes back for more at least
     * this often, which is how {@link #holdBack} tells a slow follower from one that stopped.
     */
    static final int BATCH_BYTES = 1 << 20;

    /**
     * How long a follower that reads nothing may still {@link #holdBack hold back} the output: long
     * enough to cover a stall of a reader that keeps up on average (a GC pause, a CPU shared by many
     * busy processes, the time to publish one batch line by line), short enough that a reader that
     * stopped delays its task's other readers little.
     */
    static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** One message and its position. */
    record Entry(long seq, LogMessage message) {}

    /**
     * A batch read by a cursor.
     *
     * @param entries the messages, in order, without gaps
     * @param dropped how many messages (lines, as {@link LineMessages} splits entries) the cursor
     *     missed just before them because the lag bound was reached; 0 usually
     */
    record Batch(List<Entry> entries, long dropped) {}

    private final long windowBytes;
    private final long lagBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    // all guarded by lock
    /** Held entries in order from index {@code head}; slots before it are cleared, compacted now and then. */
    private final ArrayList<Entry> held = new ArrayList<>();

    private int head;

    /** Sequence number of the oldest entry in the window; held entries before it are kept for cursors. */
    private long windowStart;

    private long windowDataBytes;

    /** The cost of the entries held before the window. */
    private long keptCost;

    private long nextSeq;
    private final List<Cursor> cursors = new ArrayList<>(2);
    private boolean closed;
    private boolean ended;

    /** When a cursor last took entries (or the buffer was made). */
    private long lastTaken = System.nanoTime();

    /**
     * @param windowBytes the data bytes of the window, positive
     * @param lagBytes    the most that messages kept for lagging cursors may cost, not negative
     */
    LogBuffer(long windowBytes, long lagBytes) {
        if (windowBytes <= 0 || lagBytes < 0) {
            throw new IllegalArgumentException(
                    "bad bounds: window " + windowBytes + ", lag " + lagBytes);
        }
        this.windowBytes = windowBytes;
        this.lagBytes = lagBytes;
    }

    /** Appends a message, dropping what neither the window nor a cursor needs. Never blocks on readers. */
    void append(LogMessage message) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            held.add(new Entry(nextSeq++, message));
            windowDataBytes += message.getData().size();
            long needed = -1;
            while (windowDataBytes > windowBytes && windowStart < nextSeq - 1) {
                Entry leaving = entry(windowStart);
                windowDataBytes -= leaving.message().getData().size();
                windowStart++;
                if (needed < 0) {
                    needed = oldestNeeded();
                }
                if (leaving.seq() >= needed) {
                    keptCost += cost(leaving);
                } else {
                    // nothing older is held: kept entries are always ones some cursor still needs
                    removeFirst();
                }
            }
            while (keptCost > lagBytes) {
                Entry lost = removeFirst();
                keptCost -= cost(lost);
                long messages = -1;
                for (Cursor c : cursors) {
                    if (c.next <= lost.seq()) {
                        if (messages < 0) {
                            messages = Math.max(1, LineMessages.count(lost.message()));
                        }
                        c.missed += messages;
                    }
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether whoever appends should wait before reading on, because appending now would make a
     * follower miss messages it is still reading towards: the messages kept for lagging followers
     * cost more than half the lag bound, and a follower took some within {@link #PATIENCE_NANOS}. A
     * source whose output is safe elsewhere meanwhile (a file) can hold back while this is true, so
     * that a follower slowed for a moment loses nothing; a follower that stopped reading holds the
     * output back for {@link #PATIENCE_NANOS} at most.
     *
     * @param now {@link System#nanoTime()}
     */
    boolean holdBack(long now) {
        lock.lock();
        try {
            return !closed && keptCost > lagBytes / 2 && now - lastTaken < PATIENCE_NANOS;
        } finally {
            lock.unlock();
        }
    }

    /** The window now, oldest first. */
    List<Entry> snapshot() {
        lock.lock();
        try {
            return new ArrayList<>(held.subList(index(windowStart), held.size()));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Attaches a follower: the window now, and a cursor at the message after it. Until the cursor is
     * closed the buffer keeps what it has not read (within the lag bound), so the caller must close
     * it, whatever happens.
     */
    Cursor follow() {
        lock.lock();
        try {
            Cursor c =
                    new Cursor(
                            new ArrayList<>(held.subList(index(windowStart), held.size())),
                            nextSeq);
            if (!closed) {
                cursors.add(c);
            }
            return c;
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

    /** How many messages are held, the window and those kept for cursors. For tests. */
    int heldCount() {
        lock.lock();
        try {
            return held.size() - head;
        } finally {
            lock.unlock();
        }
    }

    /** How many messages are held only for lagging cursors. For tests. */
    long keptCount() {
        lock.lock();
        try {
            return held.isEmpty() || head == held.size() ? 0 : windowStart - firstSeq();
        } finally {
            lock.unlock();
        }
    }

    /** How many cursors are attached. For tests. */
    int followerCount() {
        lock.lock();
        try {
            return cursors.size();
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

    /** Drops every message, detaches every cursor and wakes every reader; later appends are ignored. Idempotent. */
    void close() {
        lock.lock();
        try {
            closed = true;
            held.clear();
            head = 0;
            windowStart = nextSeq;
            windowDataBytes = 0;
            keptCost = 0;
            cursors.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private static long cost(Entry e) {
        return e.message().getData().size() + ENTRY_COST;
    }

    private long firstSeq() {
        return held.get(head).seq();
    }

    /** Index in {@link #held} of the entry numbered {@code seq}, or the end when it is not held yet. */
    private int index(long seq) {
        if (head == held.size()) {
            return held.size();
        }
        return (int) Math.min(held.size(), head + Math.max(0, seq - firstSeq()));
    }

    private Entry entry(long seq) {
        return held.get(index(seq));
    }

    private Entry removeFirst() {
        Entry e = held.set(head++, null);
        if (head == held.size()) {
            held.clear();
            head = 0;
        } else if (head >= 1024 && head >= held.size() / 2) {
            // compacting when half is dead keeps removal amortised O(1)
            held.subList(0, head).clear();
            head = 0;
        }
        return e;
    }

    /** The lowest position an attached cursor has not read, or one past everything if none. */
    private long oldestNeeded() {
        long min = Long.MAX_VALUE;
        for (Cursor c : cursors) {
            min = Math.min(min, c.next);
        }
        return min;
    }

    /** Drops kept entries no cursor needs any more. */
    private void releaseKept() {
        long needed = oldestNeeded();
        while (head < held.size() && firstSeq() < windowStart && firstSeq() < needed) {
            keptCost -= cost(removeFirst());
        }
    }

    /**
     * A follower's place in the buffer. Used by one thread; {@link #close()} may come from any.
     * While open, the buffer keeps what it has not read, within the lag bound.
     */
    final class Cursor implements AutoCloseable {

        private final List<Entry> past;

        /** The next position to read; guarded by the buffer's lock. */
        private long next;

        /** Messages (as {@link LineMessages} counts them) dropped before this cursor read them; guarded by the lock. */
        private long missed;

        private boolean detached;

        private Cursor(List<Entry> past, long next) {
            this.past = past;
            this.next = next;
        }

        /** The window when this cursor was attached, oldest first; reads continue after it. */
        List<Entry> past() {
            return past;
        }

        /**
         * Waits until there is something after this cursor (or the output ended, or the buffer was
         * closed), up to {@code timeoutNanos}, and returns up to {@link #BATCH} entries and
         * {@link #BATCH_BYTES} of data (at least one entry), moving past
         * them (and past any it missed). The entries returned are no longer kept for this cursor.
         *
         * @throws InterruptedException when interrupted while waiting
         */
        Batch await(long timeoutNanos) throws InterruptedException {
            lock.lockInterruptibly();
            try {
                long remaining = timeoutNanos;
                while (nextSeq <= next && !closed && !ended && remaining > 0) {
                    remaining = changed.awaitNanos(remaining);
                }
                if (closed || next >= nextSeq) {
                    return new Batch(List.of(), 0);
                }
                long oldest = head == held.size() ? nextSeq : firstSeq();
                next = Math.max(next, oldest);
                long dropped = missed;
                missed = 0;
                int from = index(next);
                int to = Math.min(held.size(), from + BATCH);
                long data = 0;
                for (int i = from; i < to; i++) {
                    data += held.get(i).message().getData().size();
                    if (data > BATCH_BYTES && i > from) {
                        to = i;
                        break;
                    }
                }
                List<Entry> out = new ArrayList<>(held.subList(from, to));
                next = out.isEmpty() ? nextSeq : out.get(out.size() - 1).seq() + 1;
                if (!out.isEmpty()) {
                    lastTaken = System.nanoTime();
                }
                releaseKept();
                return new Batch(out, dropped);
            } finally {
                lock.unlock();
            }
        }

        /** Whether the output is complete and this cursor has read it all, or the buffer was closed. */
        boolean exhausted() {
            lock.lock();
            try {
                return closed || (ended && next >= nextSeq);
            } finally {
                lock.unlock();
            }
        }

        /** Detaches: what only this cursor needed is dropped. Idempotent. */
        @Override
        public void close() {
            lock.lock();
            try {
                if (!detached) {
                    detached = true;
                    cursors.remove(this);
                    releaseKept();
                }
            } finally {
                lock.unlock();
            }
        }
    }
}

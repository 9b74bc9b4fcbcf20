package dev.taskexec.executor.docker;

import java.time.Instant;

/**
 * Where a log subscription stands, so that a read the engine cut off (a restart with live-restore,
 * a dropped connection) can be resumed without losing or repeating a message.
 *
 * <p>The first request asks for what the subscription asked ({@code since}, swarmkit's
 * {@code tail}). Every later one asks the engine for everything from the second of the last
 * delivered message's timestamp (the engine's {@code since} takes whole seconds and is inclusive)
 * and drops, by timestamp, what was delivered already: messages older than the last one, and as
 * many messages stamped exactly like it as were delivered. A resume before anything was delivered
 * starts over, tail included. Not thread-safe: one per subscription.
 */
final class LogResume {

    private final Instant since;
    private final long tail;

    private Instant last;
    /** How many messages with timestamp {@link #last} were delivered. */
    private long atLast;
    /** Left to skip in this request: swarmkit's positive tail, or messages stamped {@link #last} already delivered. */
    private long skip;
    private boolean resuming;

    /**
     * @param since deliver only messages strictly after this, or null
     * @param tail  swarmkit's tail: negative -n for the last n-1 messages, positive n to skip the first n
     */
    LogResume(Instant since, long tail) {
        this.since = since;
        this.tail = tail;
    }

    /** Starts a request: the first, or a resumption. */
    void begin() {
        resuming = last != null;
        skip = resuming ? atLast : Math.max(tail, 0);
    }

    /** The tail to ask the engine for, or -1 for all. */
    long engineTail() {
        return !resuming && tail < 0 ? -tail - 1 : -1;
    }

    /** The engine's {@code since} bound (only its seconds count), or null for none. */
    Instant from() {
        return resuming ? last : since;
    }

    /** Whether a message stamped {@code timestamp}, next in this request, is to be delivered. */
    boolean take(Instant timestamp) {
        if (since != null && !timestamp.isAfter(since)) {
            return false;
        }
        if (resuming) {
            if (timestamp.isBefore(last)) {
                return false;
            }
            if (timestamp.equals(last) && skip > 0) {
                skip--;
                return false;
            }
            return true;
        }
        if (skip > 0) {
            skip--;
            return false;
        }
        return true;
    }

    /** A message stamped {@code timestamp} was delivered. */
    void delivered(Instant timestamp) {
        if (timestamp.equals(last)) {
            atLast++;
        } else {
            last = timestamp;
            atLast = 1;
        }
    }

    /** The last delivered message's timestamp, or null. */
    Instant last() {
        return last;
    }
}

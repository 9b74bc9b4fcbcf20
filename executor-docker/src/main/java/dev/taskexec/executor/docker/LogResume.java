package dev.taskexec.executor.docker;

import java.time.Instant;

/**
 * Where a log subscription stands in the engine's log, so that it can read on in a new request
 * (after a read the engine cut off: a restart with live-restore, a dropped connection; or after
 * reading the past alone) without reading a message twice or missing one. Which messages are
 * published is {@link dev.taskexec.api.support.LogSelection}'s business, not this class's.
 *
 * <p>The first request reads from the subscription's {@code since} (the engine takes whole seconds
 * and includes the bound, so it returns a little more than {@code since} selects). Every later one
 * reads from the second of the last message read and drops, by timestamp, what was read already:
 * messages older than the last one, and as many messages stamped exactly like it as were read.
 * Not thread-safe: one per subscription.
 */
final class LogResume {

    private final Instant since;

    private Instant last;

    /** How many messages with timestamp {@link #last} were read. */
    private long atLast;

    /** Messages stamped {@link #last} still to drop in this request. */
    private long skip;

    private boolean resuming;

    /** @param since the subscription's {@code since}, or null */
    LogResume(Instant since) {
        this.since = since;
    }

    /** Starts a request: the first, or one that reads on. */
    void begin() {
        resuming = last != null;
        skip = resuming ? atLast : 0;
    }

    /** The engine's {@code since} bound (only its seconds count), or null for none. */
    Instant from() {
        return resuming ? last : since;
    }

    /** Whether a message stamped {@code timestamp}, next in this request, was not read before. */
    boolean take(Instant timestamp) {
        if (!resuming) {
            return true;
        }
        if (timestamp.isBefore(last)) {
            return false;
        }
        if (timestamp.equals(last) && skip > 0) {
            skip--;
            return false;
        }
        return true;
    }

    /** A message stamped {@code timestamp} was read (and handed to the selection). */
    void read(Instant timestamp) {
        if (timestamp.equals(last)) {
            atLast++;
        } else {
            last = timestamp;
            atLast = 1;
        }
    }

    /** The last read message's timestamp, or null. */
    Instant last() {
        return last;
    }
}

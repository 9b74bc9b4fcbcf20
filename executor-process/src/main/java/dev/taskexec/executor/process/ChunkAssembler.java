package dev.taskexec.executor.process;

import com.google.protobuf.Timestamp;
import com.google.protobuf.UnsafeByteOperations;
import dev.taskexec.api.proto.LogContext;
import dev.taskexec.api.proto.LogMessage;
import dev.taskexec.api.proto.LogStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Turns the bytes of one output stream, as they are read, into <em>chunks</em>: buffer entries
 * each holding the whole lines read together (one line, for a task that writes a line at a time).
 * A chunk is a {@link LogMessage} whose data is at most {@link #MAX_CHUNK} bytes and ends with a
 * line end, except when one line alone exceeds that size (it is then cut at the size) or at the
 * end of the stream (the last line without its terminator). Concatenating the chunks gives back the
 * stream byte for byte. {@link LineMessages} later cuts chunks into the one-line messages readers
 * see.
 *
 * <p>Why chunks: one protobuf message, timestamp and buffer entry per line costs far more than the
 * line itself for short lines; per chunk it costs nothing measurable (see the package's Logs section).
 * Not thread-safe: each stream has its own, used by one thread at a time.
 */
final class ChunkAssembler {

    /** The most data one chunk holds. */
    static final int MAX_CHUNK = 64 * 1024;

    private final LogStream stream;
    private final Supplier<LogContext> context;
    private final LogBuffer buffer;

    /** The start of a line whose end has not been read yet; null when there is none. */
    private byte[] carry;

    private int carryLength;

    ChunkAssembler(LogStream stream, Supplier<LogContext> context, LogBuffer buffer) {
        this.stream = stream;
        this.context = context;
        this.buffer = buffer;
    }

    /** The most bytes the next {@link #accept} may take, so that a chunk stays within {@link #MAX_CHUNK}; positive. */
    int room() {
        return MAX_CHUNK - carryLength;
    }

    /**
     * Takes {@code n} bytes just read (at most {@link #room()}), publishing what completes a line.
     * Only a line's unfinished end is copied aside; the rest is copied once, into its chunk.
     */
    void accept(byte[] src, int off, int n) {
        if (n > room()) {
            throw new IllegalArgumentException(n + " bytes exceed the room left, " + room());
        }
        int lastEnd = -1;
        for (int i = off + n - 1; i >= off; i--) {
            if (src[i] == '\n') {
                lastEnd = i;
                break;
            }
        }
        int complete = lastEnd < 0 ? (carryLength + n == MAX_CHUNK ? n : 0) : lastEnd + 1 - off;
        if (complete > 0) {
            byte[] data = new byte[carryLength + complete];
            if (carryLength > 0) {
                System.arraycopy(carry, 0, data, 0, carryLength);
            }
            System.arraycopy(src, off, data, carryLength, complete);
            carryLength = 0;
            publish(data);
        }
        int rest = n - complete;
        if (rest > 0) {
            if (carry == null || carry.length < carryLength + rest) {
                carry =
                        Arrays.copyOf(
                                carry == null ? new byte[0] : carry,
                                Math.min(
                                        MAX_CHUNK,
                                        Math.max(
                                                256,
                                                Math.max(carryLength + rest, carryLength * 2))));
            }
            System.arraycopy(src, off + complete, carry, carryLength, rest);
            carryLength += rest;
        } else if (carry != null && carry.length > 4096) {
            carry = null; // a long line passed: do not keep its room for every later one
        }
    }

    /** Whether the reader of the stream should wait before reading on: see {@link LogBuffer#holdBack}. */
    boolean holdBack(long now) {
        return buffer.holdBack(now);
    }

    /** Whether bytes of an unterminated line are waiting. */
    boolean hasPartialLine() {
        return carryLength > 0;
    }

    /** The stream ended: publishes a last line that had no terminator. Idempotent. */
    void end() {
        if (carryLength > 0) {
            byte[] data = Arrays.copyOf(carry, carryLength);
            carryLength = 0;
            carry = null;
            publish(data);
        }
    }

    private void publish(byte[] data) {
        Instant now = Instant.now();
        buffer.append(
                LogMessage.newBuilder()
                        .setContext(context.get())
                        .setTimestamp(
                                Timestamp.newBuilder()
                                        .setSeconds(now.getEpochSecond())
                                        .setNanos(now.getNano()))
                        .setStream(stream)
                        // the array is ours alone and never written again: no second copy
                        .setData(UnsafeByteOperations.unsafeWrap(data))
                        .build());
    }
}

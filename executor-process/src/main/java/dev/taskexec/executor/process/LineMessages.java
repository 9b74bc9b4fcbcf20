package dev.taskexec.executor.process;

import com.google.protobuf.ByteString;
import dev.taskexec.api.proto.LogMessage;

/**
 * How a buffered chunk (see {@link ChunkAssembler}) becomes the messages readers see: one per
 * line, with its terminator, and a line longer than {@link #MAX_MESSAGE} cut into pieces of that
 * size, as Docker cuts lines at 16 KiB. A chunk that ends without a line end (the start of a line
 * longer than a chunk, or the stream's last line) gives a last message without one. Every message
 * of a chunk carries the chunk's context, stream and timestamp (when the bytes were read), and
 * shares its bytes: nothing is copied.
 */
final class LineMessages {

    /** The most data one message carries. */
    static final int MAX_MESSAGE = 16 * 1024;

    /** Receives the messages of a chunk, in order. */
    @FunctionalInterface
    interface Sink {
        void accept(LogMessage message) throws Exception;
    }

    private LineMessages() {}

    /** Publishes the messages of {@code chunk} to {@code sink}, in order. */
    static void split(LogMessage chunk, Sink sink) throws Exception {
        ByteString data = chunk.getData();
        int size = data.size();
        int start = 0;
        while (start < size) {
            int end = messageEnd(data, start, size);
            sink.accept(
                    start == 0 && end == size
                            ? chunk
                            : chunk.toBuilder().setData(data.substring(start, end)).build());
            start = end;
        }
    }

    /** How many messages {@link #split} makes of {@code chunk}. */
    static long count(LogMessage chunk) {
        ByteString data = chunk.getData();
        int size = data.size();
        long n = 0;
        int start = 0;
        while (start < size) {
            start = messageEnd(data, start, size);
            n++;
        }
        return n;
    }

    /** Where the message that starts at {@code start} ends (exclusive). */
    private static int messageEnd(ByteString data, int start, int size) {
        int limit = Math.min(size, start + MAX_MESSAGE);
        for (int i = start; i < limit; i++) {
            if (data.byteAt(i) == '\n') {
                return i + 1;
            }
        }
        return limit;
    }
}

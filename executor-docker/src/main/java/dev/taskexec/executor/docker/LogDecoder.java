package dev.taskexec.executor.docker;

import com.github.dockerjava.api.model.StreamType;
import dev.taskexec.api.proto.LogStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Turns the engine's timestamped log output, as docker-java delivers it, back into messages.
 *
 * <p>docker-java hands over frames of at most 1024 bytes that are slices of the stream, not
 * messages, and reuses a frame's buffer, so bytes are copied as they arrive and messages are cut at
 * newlines. With timestamps on, the engine starts every message with an RFC 3339 timestamp and a
 * space, and ends it with the newline the workload wrote. Standard output and standard error are
 * assembled separately; a TTY container's single raw stream counts as standard output.
 *
 * <p>Limitation: the engine splits a line longer than 16 KiB into several messages, each with its
 * own timestamp, and only the last ends in a newline; such a line comes out as one message whose
 * data holds the later parts' timestamps.
 *
 * <p>Not thread-safe: one decoder per log read.
 */
final class LogDecoder {

    /** Receives decoded messages; may throw to stop the read. */
    @FunctionalInterface
    interface Sink {
        void accept(LogStream stream, Instant timestamp, byte[] data) throws Exception;
    }

    private final Sink sink;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream(256);
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream(256);

    LogDecoder(Sink sink) {
        this.sink = sink;
    }

    /** Feeds the next slice of one stream; {@code bytes} may be reused by the caller afterwards. */
    void feed(StreamType type, byte[] bytes, int length) throws Exception {
        LogStream stream = type == StreamType.STDERR ? LogStream.LOG_STREAM_STDERR : LogStream.LOG_STREAM_STDOUT;
        ByteArrayOutputStream buffer = stream == LogStream.LOG_STREAM_STDERR ? stderr : stdout;
        int from = 0;
        for (int i = 0; i < length; i++) {
            if (bytes[i] == '\n') {
                buffer.write(bytes, from, i + 1 - from);
                from = i + 1;
                emit(stream, buffer);
            }
        }
        buffer.write(bytes, from, length - from);
    }

    /** Publishes what is left without a final newline, for example output cut off by an exit. */
    void finish() throws Exception {
        if (stdout.size() > 0) {
            emit(LogStream.LOG_STREAM_STDOUT, stdout);
        }
        if (stderr.size() > 0) {
            emit(LogStream.LOG_STREAM_STDERR, stderr);
        }
    }

    private void emit(LogStream stream, ByteArrayOutputStream buffer) throws Exception {
        byte[] line = buffer.toByteArray();
        buffer.reset();
        int space = indexOf(line, (byte) ' ');
        Instant timestamp = null;
        if (space > 0) {
            try {
                timestamp = Instant.parse(new String(line, 0, space, StandardCharsets.US_ASCII));
            } catch (DateTimeParseException e) {
                timestamp = null;
            }
        }
        byte[] data;
        if (timestamp != null) {
            data = new byte[line.length - space - 1];
            System.arraycopy(line, space + 1, data, 0, data.length);
        } else {
            // Not what the engine writes with timestamps on; keep the bytes rather than lose them.
            timestamp = Instant.now();
            data = line;
        }
        sink.accept(stream, timestamp, data);
    }

    private static int indexOf(byte[] bytes, byte b) {
        int limit = Math.min(bytes.length, 64); // a timestamp is about 30 bytes
        for (int i = 0; i < limit; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}

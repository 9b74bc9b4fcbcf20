package dev.taskexec.executor.docker;

import com.github.dockerjava.api.model.StreamType;
import dev.taskexec.api.proto.LogStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

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

    /** The first 19 bytes ({@code YYYY-MM-DDTHH:MM:SS}) of the last timestamp fully parsed, and its epoch second. */
    private byte[] secondsPrefix;

    private long prefixSeconds;

    LogDecoder(Sink sink) {
        this.sink = sink;
    }

    /** Feeds the next slice of one stream; {@code bytes} may be reused by the caller afterwards. */
    void feed(StreamType type, byte[] bytes, int length) throws Exception {
        LogStream stream =
                type == StreamType.STDERR
                        ? LogStream.LOG_STREAM_STDERR
                        : LogStream.LOG_STREAM_STDOUT;
        ByteArrayOutputStream buffer = stream == LogStream.LOG_STREAM_STDERR ? stderr : stdout;
        int from = 0;
        for (int i = 0; i < length; i++) {
            if (bytes[i] == '\n') {
                if (buffer.size() == 0) {
                    emit(
                            stream, bytes, from,
                            i + 1); // the whole message is in this slice: no assembly
                } else {
                    buffer.write(bytes, from, i + 1 - from);
                    emit(stream, buffer);
                }
                from = i + 1;
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
        emit(stream, line, 0, line.length);
    }

    /** Publishes the message in {@code bytes[from, to)}: a timestamp, a space, the data. */
    private void emit(LogStream stream, byte[] bytes, int from, int to) throws Exception {
        int space = indexOf(bytes, from, to, (byte) ' ');
        Instant timestamp = space > from ? timestamp(bytes, from, space) : null;
        byte[] data;
        if (timestamp != null) {
            data = Arrays.copyOfRange(bytes, space + 1, to);
        } else {
            // Not what the engine writes with timestamps on; keep the bytes rather than lose them.
            timestamp = Instant.now();
            data = Arrays.copyOfRange(bytes, from, to);
        }
        sink.accept(stream, timestamp, data);
    }

    /**
     * The engine's RFC 3339 timestamp in {@code line[off, end)}, or null. Consecutive messages share
     * their date and time to the second, so that part is parsed once and its epoch second reused:
     * a full parse per line costs more than the rest of a short line's decoding.
     */
    private Instant timestamp(byte[] line, int off, int end) {
        // "2026-12-01T15:59:15.123456789Z": 19 bytes to the second, then an optional fraction, then
        // Z
        int length = end - off;
        boolean utc =
                length == 20
                        ? line[off + 19] == 'Z'
                        : length > 21 && line[off + 19] == '.' && line[end - 1] == 'Z';
        if (utc) {
            if (secondsPrefix != null && Arrays.equals(line, off, off + 19, secondsPrefix, 0, 19)) {
                int nanos = 0;
                int digits = 0;
                for (int i = off + 20; i < end - 1; i++) {
                    int d = line[i] - '0';
                    if (d < 0 || d > 9 || digits == 9) {
                        return parse(line, off, end);
                    }
                    nanos = nanos * 10 + d;
                    digits++;
                }
                for (; digits < 9; digits++) {
                    nanos *= 10;
                }
                return Instant.ofEpochSecond(prefixSeconds, nanos);
            }
            Instant parsed = parse(line, off, end);
            if (parsed != null) {
                secondsPrefix = Arrays.copyOfRange(line, off, off + 19);
                prefixSeconds = parsed.getEpochSecond();
            }
            return parsed;
        }
        return parse(line, off, end);
    }

    private static Instant parse(byte[] line, int off, int end) {
        try {
            return Instant.parse(new String(line, off, end - off, StandardCharsets.US_ASCII));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static int indexOf(byte[] bytes, int from, int to, byte b) {
        int limit = Math.min(to, from + 64); // a timestamp is about 30 bytes
        for (int i = from; i < limit; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}

package dev.taskexec.executor.process;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.taskexec.api.proto.LogContext;
import dev.taskexec.api.proto.LogMessage;
import dev.taskexec.api.proto.LogStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains one output stream of a task into its {@link LogBuffer}, one message per line, and
 * optionally into a file.
 *
 * <p>A message's data is the line with its terminator ({@code \n}, or {@code \r\n} from a PTY),
 * so concatenating the messages gives back the output byte for byte. Lines longer than
 * {@link #MAX_LINE} are cut into several messages, as Docker does. A last line without a
 * terminator is published when the stream ends. The pump always reads: it never waits for log
 * readers, so a chatty process never blocks on a full pipe.
 */
final class OutputPump implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(OutputPump.class);

    /** Longest message data; longer lines are split. */
    static final int MAX_LINE = 16 * 1024;

    private final InputStream in;
    private final LogStream stream;
    private final Supplier<LogContext> context;
    private final LogBuffer buffer;
    private final OutputStream file;
    private final Runnable onEnd;

    /** The line being collected; grown on demand up to {@link #MAX_LINE}, as most tasks write little. */
    private byte[] line = new byte[0];
    private int lineLength;

    /**
     * @param file  where raw output also goes, or null
     * @param onEnd run once when the stream has ended (or failed)
     */
    OutputPump(InputStream in, LogStream stream, Supplier<LogContext> context, LogBuffer buffer,
            OutputStream file, Runnable onEnd) {
        this.in = in;
        this.stream = stream;
        this.context = context;
        this.buffer = buffer;
        this.file = file;
        this.onEnd = onEnd;
    }

    @Override
    public void run() {
        OutputStream disk = file;
        byte[] chunk = new byte[8192];
        try {
            int n;
            // read(byte[]) and not read(): pty4j's single-byte read does not mask, so 0xFF would look like EOF
            while ((n = in.read(chunk, 0, chunk.length)) >= 0) {
                if (n == 0) {
                    continue;
                }
                if (disk != null) {
                    try {
                        disk.write(chunk, 0, n);
                        disk.flush();
                    } catch (IOException e) {
                        LOG.warn("writing {} to disk failed; keeping it in memory only", stream, e);
                        closeQuietly(disk);
                        disk = null;
                    }
                }
                split(chunk, n);
            }
        } catch (IOException e) {
            // a PTY reports EIO when the last writer goes away; a closed pipe ends the same way
            LOG.debug("{} ended: {}", stream, e.toString());
        } finally {
            if (lineLength > 0) {
                emit();
            }
            closeQuietly(in);
            if (disk != null) {
                closeQuietly(disk);
            }
            onEnd.run();
        }
    }

    private void split(byte[] chunk, int n) {
        for (int i = 0; i < n; i++) {
            if (lineLength == line.length) {
                line = java.util.Arrays.copyOf(line, Math.min(MAX_LINE, Math.max(256, line.length * 2)));
            }
            line[lineLength++] = chunk[i];
            if (chunk[i] == '\n' || lineLength == MAX_LINE) {
                emit();
            }
        }
    }

    private void emit() {
        Instant now = Instant.now();
        buffer.append(LogMessage.newBuilder()
                .setContext(context.get())
                .setTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .setStream(stream)
                .setData(ByteString.copyFrom(line, 0, lineLength))
                .build());
        lineLength = 0;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("close failed", e);
        }
    }
}

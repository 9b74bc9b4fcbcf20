package dev.taskexec.executor.process;

import dev.taskexec.api.proto.LogContext;
import dev.taskexec.api.proto.LogStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains one output stream of a task into its {@link LogBuffer}, one message per line, and
 * optionally into a file.
 *
 * <p>Used for a PTY, and for pipes where output files cannot be used (see {@link OutputPoller}):
 * one thread per stream. What is read goes to the buffer as chunks of whole lines
 * ({@link ChunkAssembler}); a last line without a terminator is published when the stream ends. The pump always reads: it never waits for
 * log readers, so a chatty process never blocks on a full pipe.
 */
final class OutputPump implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(OutputPump.class);

    private final InputStream in;
    private final LogStream stream;
    private final ChunkAssembler chunks;
    private final OutputStream file;
    private final Runnable onEnd;

    /**
     * @param file  where raw output also goes, or null
     * @param onEnd run once when the stream has ended (or failed)
     */
    OutputPump(
            InputStream in,
            LogStream stream,
            Supplier<LogContext> context,
            LogBuffer buffer,
            OutputStream file,
            Runnable onEnd) {
        this.in = in;
        this.stream = stream;
        this.chunks = new ChunkAssembler(stream, context, buffer);
        this.file = file;
        this.onEnd = onEnd;
    }

    @Override
    public void run() {
        OutputStream disk = file;
        byte[] chunk = new byte[ChunkAssembler.MAX_CHUNK];
        try {
            int n;
            // read(byte[]) and not read(): pty4j's single-byte read does not mask, so 0xFF would
            // look like EOF
            while ((n = in.read(chunk, 0, chunks.room())) >= 0) {
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
                chunks.accept(chunk, 0, n);
            }
        } catch (IOException e) {
            // a PTY reports EIO when the last writer goes away; a closed pipe ends the same way
            LOG.debug("{} ended: {}", stream, e.toString());
        } finally {
            chunks.end();
            closeQuietly(in);
            if (disk != null) {
                closeQuietly(disk);
            }
            onEnd.run();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("close failed", e);
        }
    }
}

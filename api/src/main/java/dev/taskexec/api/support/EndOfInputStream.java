package dev.taskexec.api.support;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.io.IOException;
import java.io.OutputStream;
import org.apiguardian.api.API;

/**
 * A task's standard input as a backend hands it out ({@link dev.taskexec.api.ControllerStdin}):
 * writes go to the task, and closing passes the end of the input on, as a reader at the other end
 * expects it. Without a terminal that is {@link #endPipe()} (closing a pipe, half-closing a
 * connection). With a terminal, closing it would hang the task up instead, so the terminal's
 * end-of-file character (^D) is written, twice when the last line written was not ended, because
 * the first ^D only hands a partial line to the reader.
 *
 * <p>Writes after {@link #close()} throw {@link IOException}; a write blocks as long as the target
 * blocks. {@code close} is idempotent and never throws: a task that has exited has nobody left to
 * tell about the end of its input. Thread-safe: writes and {@code close} are serialised.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public abstract class EndOfInputStream extends OutputStream {

    /** The terminal's end-of-file character, ^D. */
    public static final int EOF_CHARACTER = 0x04;

    private final OutputStream target;
    private final boolean terminal;
    private boolean lineOpen;
    private volatile boolean closed;

    /**
     * A stream writing to {@code target}.
     *
     * @param target   where written bytes go
     * @param terminal whether the task reads a terminal
     */
    protected EndOfInputStream(OutputStream target, boolean terminal) {
        this.target = target;
        this.terminal = terminal;
    }

    /**
     * Ends the input of a task without a terminal, once; {@code target} is flushed already.
     *
     * @throws IOException if the task has gone meanwhile (ignored: nobody is left to tell)
     */
    protected abstract void endPipe() throws IOException;

    /** Called once after the input was ended (or {@link #markClosed() marked closed}), outside any lock. Does nothing by default. */
    protected void released() {}

    /**
     * Marks the stream closed without passing the end of the input on, and without waiting for a
     * write under way (for a subclass that drops its connection at once).
     *
     * @return whether it was open
     */
    protected final boolean markClosed() {
        boolean was = !closed;
        closed = true;
        return was;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        ensureOpen();
        target.write(b);
        lineOpen = b != '\n' && b != '\r';
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        target.write(b, off, len);
        if (len > 0) {
            byte last = b[off + len - 1];
            lineOpen = last != '\n' && last != '\r';
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        ensureOpen();
        target.flush();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (terminal) {
                    if (lineOpen) {
                        target.write(EOF_CHARACTER);
                    }
                    target.write(EOF_CHARACTER);
                    target.flush();
                } else {
                    target.flush();
                    endPipe();
                }
            } catch (IOException | UnsupportedOperationException e) {
                // the task has exited: there is nobody left to tell about the end of its input
            }
        }
        released();
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("the task's standard input was closed");
        }
    }
}

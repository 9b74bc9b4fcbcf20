package dev.taskexec.executor.process;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A task's standard input as {@link ProcessController#stdin()} hands it out: closing it passes
 * end-of-file on. A pipe is closed. A pseudo-terminal gets the end-of-file character (^D) instead,
 * twice when the last line written was not ended, because the first ^D only hands a partial line
 * to the reader; closing the terminal itself would hang the task up.
 */
final class TaskStdin extends OutputStream {

    private static final int EOF_CHARACTER = 0x04;

    private final OutputStream target;
    private final boolean terminal;
    private boolean lineOpen;
    private boolean closed;

    TaskStdin(OutputStream target, boolean terminal) {
        this.target = target;
        this.terminal = terminal;
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
    public synchronized void close() {
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
                target.close();
            }
        } catch (IOException e) {
            // the task has exited: there is nobody left to tell about the end of its input
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("the task's standard input was closed");
        }
    }
}

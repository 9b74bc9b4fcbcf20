package dev.taskexec.executor.docker;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A container's standard input as {@link DockerController#stdin()} hands it out: an attach to the
 * container with only {@code stdin}, whose closing passes end-of-file on.
 *
 * <p>Without a terminal the connection is half-closed; the container was created with
 * {@code StdinOnce}, so the engine then closes the container's input pipe and the task reads
 * end-of-file. With a terminal the engine never closes the container's input (a closed terminal
 * would hang the task up), so the terminal's end-of-file character (^D) is written instead, twice
 * when the last line written was not ended, because the first ^D only hands a partial line to the
 * reader. Either way the connection is then dropped.
 *
 * <p>{@link #abort()} drops the connection without passing anything on, for a controller being
 * closed. Thread-safe.
 */
final class AttachedStdin extends OutputStream {

    private static final int EOF_CHARACTER = 0x04;

    private final HijackedConnection connection;
    private final OutputStream target;
    private final boolean terminal;
    private final Runnable onClose;
    private boolean lineOpen;
    private volatile boolean closed;

    /**
     * @param connection the attach, already upgraded; owned by this stream
     * @param terminal whether the container has a terminal
     * @param onClose told once when this stream is closed or aborted
     */
    AttachedStdin(HijackedConnection connection, boolean terminal, Runnable onClose) {
        this.connection = connection;
        this.target = connection.output();
        this.terminal = terminal;
        this.onClose = onClose;
    }

    /**
     * Attaches to the standard input of a running container.
     *
     * @param engine the engine
     * @param container the container's name
     * @param terminal whether the container has a terminal
     * @param onClose told once when the stream is closed or aborted
     * @return the stream
     * @throws EngineException if the engine refused (404: no such container; 409: not running)
     * @throws InterruptedException if interrupted
     * @throws Exception a temporary failure if the engine cannot be reached
     */
    static AttachedStdin attach(Engine engine, String container, boolean terminal, Runnable onClose) throws Exception {
        String path = "/containers/" + java.net.URLEncoder.encode(container, java.nio.charset.StandardCharsets.UTF_8)
                + "/attach?stream=1&stdin=1&stdout=0&stderr=0";
        return new AttachedStdin(HijackedConnection.open(engine, path, "attaching to the standard input of container "
                + container), terminal, onClose);
    }

    /** A stream for a task that has exited already: writing fails, closing does nothing. */
    static OutputStream exited(String container) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("container " + container + " has exited: its standard input is closed");
            }
        };
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
                    connection.shutdownOutput();
                }
            } catch (IOException | UnsupportedOperationException e) {
                // the task has exited and the engine dropped the attach: nobody is left to tell; or a
                // TLS socket that cannot half-close, whose dropped connection ends the input all the same
            }
        }
        end();
    }

    /**
     * Drops the connection without passing end-of-file on; a write blocked meanwhile fails. Not
     * synchronised, so that it never waits for such a write. Idempotent.
     */
    void abort() {
        closed = true;
        end();
    }

    private void end() {
        connection.close();
        onClose.run();
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("the task's standard input was closed");
        }
    }
}

package dev.taskexec.executor.docker;

import dev.taskexec.api.support.EndOfInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A container's standard input as {@link DockerController#stdin()} hands it out: an attach to the
 * container with only {@code stdin}, whose closing passes end-of-file on ({@link EndOfInputStream}).
 *
 * <p>Without a terminal the connection is half-closed; the container was created with
 * {@code StdinOnce}, so the engine then closes the container's input pipe and the task reads
 * end-of-file (a TLS socket that cannot half-close ends the input by the dropped connection). With a
 * terminal the engine never closes the container's input, so ^D is written. Either way the
 * connection is then dropped.
 *
 * <p>{@link #abort()} drops the connection without passing anything on, for a controller being
 * closed. Thread-safe.
 */
final class AttachedStdin extends EndOfInputStream {

    private final HijackedConnection connection;
    private final Runnable onClose;
    private final AtomicBoolean ended = new AtomicBoolean();

    /**
     * @param connection the attach, already upgraded; owned by this stream
     * @param terminal whether the container has a terminal
     * @param onClose told once when this stream is closed or aborted
     */
    AttachedStdin(HijackedConnection connection, boolean terminal, Runnable onClose) {
        super(connection.output(), terminal);
        this.connection = connection;
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
    static AttachedStdin attach(Engine engine, String container, boolean terminal, Runnable onClose)
            throws Exception {
        String path =
                "/containers/"
                        + java.net.URLEncoder.encode(
                                container, java.nio.charset.StandardCharsets.UTF_8)
                        + "/attach?stream=1&stdin=1&stdout=0&stderr=0";
        return new AttachedStdin(
                HijackedConnection.open(
                        engine, path, "attaching to the standard input of container " + container),
                terminal,
                onClose);
    }

    /** A stream for a task that has exited already: writing fails, closing does nothing. */
    static OutputStream exited(String container) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException(
                        "container " + container + " has exited: its standard input is closed");
            }
        };
    }

    @Override
    protected void endPipe() throws IOException {
        connection.shutdownOutput();
    }

    @Override
    protected void released() {
        if (ended.compareAndSet(false, true)) {
            connection.close();
            onClose.run();
        }
    }

    /**
     * Drops the connection without passing end-of-file on; a write blocked meanwhile fails. Does not
     * wait for such a write. Idempotent.
     */
    void abort() {
        markClosed();
        released();
    }
}

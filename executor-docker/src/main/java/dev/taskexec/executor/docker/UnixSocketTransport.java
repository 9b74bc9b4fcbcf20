package dev.taskexec.executor.docker;

import com.github.dockerjava.transport.DockerHttpClient;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * docker-java's transport to an engine on a Unix socket, on the JDK's own socket channels: HTTP/1.1
 * with kept-alive connections, at most {@code maxConnections} in use at once.
 *
 * <p><b>Why not docker-java's Apache transport here.</b> Time on the task's path: Apache
 * HttpClient 5's request pipeline costs more than the engine's own work for a small request, and
 * a task makes four before it runs (image inspect, create, start, inspect). Through docker-java,
 * in one JVM, alternated round by round ({@code benchmarks/docker-transport.sh}, 2-core machine,
 * Engine 20.10, 2026-12-02): an image inspect 0.47 ms here against 0.63 ms warm, 0.59 against
 * 1.78 ms in a fresh JVM; a container inspect 1.25 against 1.44 ms warm, 4.4 against 14.9 ms
 * fresh. Both read the socket through a JDK {@link SocketChannel}, so a blocked read unmounts a
 * virtual thread and an interrupt closes the channel ({@link
 * java.nio.channels.ClosedByInterruptException}), which {@link Engine#translate} reports as an
 * interruption. TCP engines (and TLS) keep the Apache transport.
 *
 * <p><b>What it speaks.</b> What the Engine API needs: request bodies by length, or chunked when
 * docker-java gives a stream; response bodies by length, chunked, or to the end of the connection.
 * No protocol upgrade ({@link HijackedConnection} attaches standard input instead). docker-java
 * reaches it through {@link Engine#overUnixSocket}, which refuses a request with hijacked input.
 *
 * <p><b>Connections.</b> A connection goes back to the idle set only when its response was read to
 * its end and neither side asked to close it; a response closed before its end closes the
 * connection, which also ends a read blocked on it in another thread (how a stream is dropped). A
 * request that finds a kept-alive connection closed by the engine before any of the answer
 * arrived is sent again once on a new connection, when its body can be sent again. Waiting for a
 * free connection is interruptible.
 *
 * <p>Thread-safe.
 */
final class UnixSocketTransport implements java.io.Closeable {

    private static final byte[] CRLF = {'\r', '\n'};

    private final UnixDomainSocketAddress address;
    private final Semaphore permits;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    UnixSocketTransport(Path socket, int maxConnections) {
        this.address = UnixDomainSocketAddress.of(socket);
        this.permits = new Semaphore(maxConnections);
    }

    /**
     * Sends one request and reads the head of its answer; the caller reads the body and closes
     * the response, which releases the connection.
     *
     * @param body the body by length, or null
     * @param bodyStream the body to send chunked when {@code body} is null, or null for none
     * @throws UncheckedIOException if the engine cannot be reached or answers malformed HTTP; an
     *     {@link InterruptedIOException} or {@link java.nio.channels.ClosedByInterruptException}
     *     under it when the calling thread was interrupted
     */
    DockerHttpClient.Response send(
            String method,
            String path,
            Map<String, String> headers,
            byte[] body,
            InputStream bodyStream) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(
                    new InterruptedIOException(
                            "interrupted waiting for a connection to the engine"));
        }
        boolean handedOut = false;
        try {
            DockerHttpClient.Response response = exchange(method, path, headers, body, bodyStream);
            handedOut = true;
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!handedOut) {
                permits.release();
            }
        }
    }

    private DockerHttpClient.Response exchange(
            String method,
            String path,
            Map<String, String> headers,
            byte[] body,
            InputStream bodyStream)
            throws IOException {
        Connection reused = idle.pollFirst();
        if (reused != null) {
            try {
                return reused.exchange(method, path, headers, body, bodyStream);
            } catch (StaleConnectionException e) {
                if (bodyStream != null) {
                    throw e; // the body was read and cannot be sent again
                }
            }
        }
        return connect().exchange(method, path, headers, body, bodyStream);
    }

    private Connection connect() throws IOException {
        if (closed) {
            throw new IOException("the connection to the engine was closed");
        }
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(address);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        Connection c = new Connection(channel);
        open.add(c);
        if (closed) { // closed meanwhile: do not leave the new connection behind
            c.close();
            throw new IOException("the connection to the engine was closed");
        }
        return c;
    }

    /** How many connections are open, idle or in use; for tests. */
    int openConnections() {
        return open.size();
    }

    /** Closes every connection, idle or in use (whatever still reads on one ends). Idempotent. */
    @Override
    public void close() {
        closed = true;
        for (Connection c : open) {
            c.close();
        }
        idle.clear();
    }

    /** The engine closed a kept-alive connection before any of the answer arrived. */
    private static final class StaleConnectionException extends IOException {
        private static final long serialVersionUID = 1L;

        StaleConnectionException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** One connection: its channel and what was read from it but not consumed yet. */
    private final class Connection {
        private final SocketChannel channel;
        private final OutputStream out;
        private final byte[] buffer = new byte[16 * 1024];
        private int position;
        private int limit;

        /** Bytes read from the channel so far: none yet on a connection that never answered. */
        private long received;

        Connection(SocketChannel channel) {
            this.channel = channel;
            this.out = java.nio.channels.Channels.newOutputStream(channel);
        }

        DockerHttpClient.Response exchange(
                String method,
                String path,
                Map<String, String> requestHeaders,
                byte[] body,
                InputStream bodyStream)
                throws IOException {
            StringBuilder head =
                    new StringBuilder(256)
                            .append(method)
                            .append(' ')
                            .append(path)
                            .append(" HTTP/1.1\r\nHost: docker\r\n");
            for (Map.Entry<String, String> h : requestHeaders.entrySet()) {
                head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
            }
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            } else if (bodyStream != null) {
                head.append("Transfer-Encoding: chunked\r\n");
            }
            head.append("\r\n");
            byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
            if (body != null && body.length > 0) { // one write: the engine reads it whole
                byte[] both = java.util.Arrays.copyOf(headBytes, headBytes.length + body.length);
                System.arraycopy(body, 0, both, headBytes.length, body.length);
                headBytes = both;
            }
            long before = received;
            try {
                out.write(headBytes);
                if (bodyStream != null) {
                    writeChunked(bodyStream);
                }
                int code = statusCode(readLine());
                Map<String, List<String>> headers = readHeaders();
                while (code / 100 == 1 && code != 101) { // an interim answer: the real one follows
                    code = statusCode(readLine());
                    headers = readHeaders();
                }
                return new ExchangeResponse(this, method, code, headers);
            } catch (IOException e) {
                close(); // whatever happened to it, this connection serves no other request
                // A kept-alive connection that gave nothing of an answer was closed by the engine
                // while idle (an end of input, or a reset when the request met it).
                if (before == 0
                        || received != before
                        || e instanceof java.nio.channels.ClosedByInterruptException) {
                    throw e;
                }
                throw new StaleConnectionException("the engine closed the connection", e);
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        private void writeChunked(InputStream body) throws IOException {
            byte[] chunk = new byte[16 * 1024];
            for (int n = body.read(chunk); n >= 0; n = body.read(chunk)) {
                if (n == 0) {
                    continue;
                }
                out.write(Integer.toHexString(n).getBytes(StandardCharsets.US_ASCII));
                out.write(CRLF);
                out.write(chunk, 0, n);
                out.write(CRLF);
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }

        private Map<String, List<String>> readHeaders() throws IOException {
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (String line = readLine(); !line.isEmpty(); line = readLine()) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new IOException("malformed header from the engine: " + line);
                }
                headers.computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).trim());
            }
            return headers;
        }

        private int statusCode(String statusLine) throws IOException {
            // "HTTP/1.1 204 No Content"
            int space = statusLine.indexOf(' ');
            try {
                return Integer.parseInt(statusLine.substring(space + 1, space + 4));
            } catch (RuntimeException e) {
                throw new IOException("malformed status line from the engine: " + statusLine, e);
            }
        }

        /** Reads up to the next CRLF (or LF); EOF before any byte is an {@link EOFException}. */
        String readLine() throws IOException {
            StringBuilder line = new StringBuilder(64);
            while (true) {
                if (position == limit && fill() < 0) {
                    if (line.isEmpty()) {
                        throw new EOFException("the engine closed the connection");
                    }
                    throw new EOFException("the engine closed the connection mid-line");
                }
                byte b = buffer[position++];
                if (b == '\n') {
                    int end = line.length();
                    if (end > 0 && line.charAt(end - 1) == '\r') {
                        line.setLength(end - 1);
                    }
                    return line.toString();
                }
                if (line.length() > 64 * 1024) {
                    throw new IOException("a line from the engine is too long");
                }
                line.append((char) (b & 0xff));
            }
        }

        /** Reads at most {@code len} bytes, waiting for at least one; -1 at the end of input. */
        int read(byte[] into, int off, int len) throws IOException {
            if (position == limit && fill() < 0) {
                return -1;
            }
            int n = Math.min(len, limit - position);
            System.arraycopy(buffer, position, into, off, n);
            position += n;
            return n;
        }

        /** Bytes read from the channel and not consumed yet. */
        int buffered() {
            return limit - position;
        }

        void skip(int n) {
            position += n;
        }

        /** The next line if it is wholly buffered (consumed), else null (nothing consumed). */
        String bufferedLine() {
            for (int i = position; i < limit; i++) {
                if (buffer[i] == '\n') {
                    int end = i > position && buffer[i - 1] == '\r' ? i - 1 : i;
                    String line =
                            new String(
                                    buffer, position, end - position, StandardCharsets.ISO_8859_1);
                    position = i + 1;
                    return line;
                }
            }
            return null;
        }

        private int fill() throws IOException {
            position = 0;
            limit = 0;
            int n = channel.read(ByteBuffer.wrap(buffer));
            if (n > 0) {
                limit = n;
                received += n;
            }
            return n;
        }

        void release(boolean reusable) {
            if (reusable && !closed && position == limit) {
                idle.addFirst(this);
            } else {
                close();
            }
            permits.release();
        }

        void close() {
            open.remove(this);
            try {
                channel.close();
            } catch (IOException ignored) {
                // dropping the connection either way
            }
        }
    }

    /** A response whose body is read from its connection, framed as its headers say. */
    private static final class ExchangeResponse implements DockerHttpClient.Response {
        private final Connection connection;
        private final int code;
        private final Map<String, List<String>> headers;
        private final BodyStream body;
        private final AtomicBoolean released = new AtomicBoolean();

        ExchangeResponse(
                Connection connection, String method, int code, Map<String, List<String>> headers)
                throws IOException {
            this.connection = connection;
            this.code = code;
            this.headers = headers;
            String length = first(headers, "Content-Length");
            String encoding = first(headers, "Transfer-Encoding");
            boolean noBody =
                    "HEAD".equalsIgnoreCase(method) || code == 204 || code == 304 || code == 101;
            if (noBody) {
                this.body = new BodyStream(connection, 0, false);
            } else if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
                this.body = new BodyStream(connection, -1, true);
            } else if (length != null) {
                try {
                    this.body = new BodyStream(connection, Long.parseLong(length), false);
                } catch (NumberFormatException e) {
                    throw new IOException("malformed Content-Length from the engine: " + length);
                }
            } else {
                this.body = new BodyStream(connection, Long.MAX_VALUE, false); // to the end
            }
            String connectionHeader = first(headers, "Connection");
            boolean closing =
                    connectionHeader != null && connectionHeader.equalsIgnoreCase("close");
            this.body.keepAlive = !closing && (noBody || length != null || body.chunked);
        }

        private static String first(Map<String, List<String>> headers, String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        @Override
        public int getStatusCode() {
            return code;
        }

        @Override
        public Map<String, List<String>> getHeaders() {
            return headers;
        }

        @Override
        public InputStream getBody() {
            return body;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                connection.release(body.finish());
            }
        }
    }

    /**
     * A response body: a length, HTTP chunks, or everything up to the end of the connection. It
     * has {@link #ended} once read to its end as framed. Read by one thread; {@link #finish()} may
     * come from another (a stream dropped while its reader blocks).
     */
    private static final class BodyStream extends InputStream {
        private final Connection connection;
        private final boolean chunked;
        private final boolean toTheEnd;
        private final java.util.concurrent.locks.ReentrantLock lock =
                new java.util.concurrent.locks.ReentrantLock();

        /** Bytes left in the body (by length) or in the current chunk. */
        private long remaining;

        /** Chunked: the CRLF that ends a chunk's data comes next. */
        private boolean needCrlf;

        /** Chunked: past the last chunk, reading trailer lines up to an empty one. */
        private boolean inTrailers;

        private boolean ended;
        private boolean finished;
        boolean keepAlive;

        BodyStream(Connection connection, long length, boolean chunked) {
            this.connection = connection;
            this.chunked = chunked;
            this.toTheEnd = length == Long.MAX_VALUE;
            this.remaining = chunked ? 0 : length;
            this.ended = !chunked && length == 0;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, into.length);
            lock.lock();
            try {
                if (finished) {
                    throw new IOException("the engine's answer was closed");
                }
                if (len == 0) {
                    return 0;
                }
                while (!ended && remaining == 0) {
                    advanceChunk(connection.readLine());
                }
                if (ended) {
                    return -1;
                }
                int n = connection.read(into, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    if (toTheEnd) {
                        ended = true;
                        return -1;
                    }
                    throw new EOFException(
                            "the engine closed the connection before the end of its answer");
                }
                if (!toTheEnd) {
                    remaining -= n;
                    ended = !chunked && remaining == 0;
                }
                return n;
            } finally {
                lock.unlock();
            }
        }

        /** One line at a chunk boundary: the CRLF after a chunk's data, a size, or a trailer. */
        private void advanceChunk(String line) throws IOException {
            if (needCrlf) {
                needCrlf = false;
                if (!line.isEmpty()) {
                    throw new IOException("malformed chunked answer from the engine");
                }
            } else if (inTrailers) {
                ended = line.isEmpty();
            } else {
                int semicolon = line.indexOf(';');
                String hex = (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
                long size;
                try {
                    size = Long.parseLong(hex, 16);
                } catch (NumberFormatException e) {
                    throw new IOException("malformed chunk size from the engine: " + line, e);
                }
                if (size == 0) {
                    inTrailers = true;
                } else {
                    remaining = size;
                    needCrlf = true;
                }
            }
        }

        /**
         * Ends the body for its response's close: whether the connection may serve another request.
         * Only a body read to its end qualifies; one whose rest (a JSON value's newline, the last
         * chunk) is already buffered is skipped to its end first, since a JSON reader stops at the
         * end of the value. Never blocks: a body being read by another thread is left to the
         * closing of its connection.
         */
        boolean finish() {
            if (!lock.tryLock()) {
                return false;
            }
            try {
                finished = true;
                return keepAlive && (ended || skipBuffered());
            } finally {
                lock.unlock();
            }
        }

        private boolean skipBuffered() {
            try {
                while (!ended) {
                    if (remaining > 0) {
                        int buffered = connection.buffered();
                        if (buffered == 0) { // (a body to the end is never kept alive)
                            return false;
                        }
                        int skip = (int) Math.min(buffered, remaining);
                        connection.skip(skip);
                        remaining -= skip;
                        ended = !chunked && remaining == 0;
                    } else if (!chunked) {
                        ended = true;
                    } else {
                        String line = connection.bufferedLine();
                        if (line == null) {
                            return false;
                        }
                        advanceChunk(line);
                    }
                }
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }
}

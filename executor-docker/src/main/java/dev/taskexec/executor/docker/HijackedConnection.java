package dev.taskexec.executor.docker;

import com.github.dockerjava.api.exception.DockerException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One connection to the engine taken over by an upgraded ("hijacked") request, such as an attach:
 * after the engine's {@code 101} answer, the socket carries raw bytes both ways.
 *
 * <p>docker-java can hijack a connection too, but it never half-closes it when its input ends, so
 * the engine cannot learn that standard input has ended; this connection can
 * ({@link #shutdownOutput()}). It uses a socket of its own, outside the executor's pool: an
 * attached input lasts as long as the task, and should not hold a pooled connection meanwhile.
 *
 * <p>Unix sockets and plain TCP go through a {@link SocketChannel}, so that an interrupted
 * blocking call closes the channel at once; TLS goes through an {@link SSLSocket}. Not thread-safe
 * for concurrent writes: its owner serialises them.
 */
final class HijackedConnection implements AutoCloseable {

    /** Longest response head or error body read from the engine. */
    private static final int MAX_HEAD = 64 * 1024;

    private final AutoCloseable socket;
    private final InputStream in;
    private final OutputStream out;
    private final IoAction shutdownOutput;

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    private HijackedConnection(
            AutoCloseable socket, InputStream in, OutputStream out, IoAction shutdownOutput) {
        this.socket = socket;
        this.in = in;
        this.out = out;
        this.shutdownOutput = shutdownOutput;
    }

    /**
     * Connects to the engine, sends {@code POST path} asking for an upgrade, and reads the answer.
     *
     * @param engine the engine, for its address, TLS setting and the translation of failures
     * @param path the request's path and query, such as {@code /containers/x/attach?stream=1&stdin=1}
     * @param action what is being done, starting error messages
     * @return the upgraded connection, owned by the caller
     * @throws EngineException if the engine refused the request (its status and message)
     * @throws InterruptedException if interrupted
     * @throws Exception a temporary failure if the engine cannot be reached
     */
    static HijackedConnection open(Engine engine, String path, String action) throws Exception {
        HijackedConnection c;
        try {
            c = connect(engine);
        } catch (Exception e) {
            throw engine.translate(action, e);
        }
        boolean ok = false;
        try {
            URI host = engine.options().host();
            String hostHeader =
                    "unix".equals(host.getScheme())
                            ? "docker"
                            : host.getHost() + ":" + host.getPort();
            String request =
                    "POST "
                            + path
                            + " HTTP/1.1\r\n"
                            + "Host: "
                            + hostHeader
                            + "\r\n"
                            + "User-Agent: taskexec\r\n"
                            + "Content-Type: text/plain\r\n"
                            + "Content-Length: 0\r\n"
                            + "Connection: Upgrade\r\n"
                            + "Upgrade: tcp\r\n"
                            + "\r\n";
            c.out.write(request.getBytes(StandardCharsets.US_ASCII));
            c.out.flush();
            String head = readHead(c.in);
            int status = statusCode(head);
            if (status != 101 && status != 200) { // 200: an engine that streams without upgrading
                String body = readBody(c.in, head);
                throw engine.translate(
                        action, new DockerException("Status " + status + ": " + body, status));
            }
            ok = true;
            return c;
        } catch (IOException | RuntimeException e) {
            throw engine.translate(action, e);
        } finally {
            if (!ok) {
                c.close();
            }
        }
    }

    private static HijackedConnection connect(Engine engine) throws Exception {
        URI host = engine.options().host();
        if ("unix".equals(host.getScheme())) {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            return channel(ch, () -> ch.connect(UnixDomainSocketAddress.of(host.getPath())));
        }
        SSLContext tls = engine.sslContext();
        InetSocketAddress address = new InetSocketAddress(host.getHost(), host.getPort());
        if (tls == null) {
            SocketChannel ch = SocketChannel.open();
            return channel(
                    ch,
                    () -> {
                        ch.socket()
                                .connect(
                                        address,
                                        (int) engine.options().connectTimeout().toMillis());
                        ch.socket().setTcpNoDelay(true); // keystrokes go out as they are typed
                    });
        }
        Socket plain = new Socket();
        try {
            plain.connect(address, (int) engine.options().connectTimeout().toMillis());
            plain.setTcpNoDelay(true);
            SSLSocket s =
                    (SSLSocket)
                            tls.getSocketFactory()
                                    .createSocket(plain, host.getHost(), host.getPort(), true);
            s.startHandshake();
            return new HijackedConnection(
                    s, s.getInputStream(), s.getOutputStream(), s::shutdownOutput);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    private static HijackedConnection channel(SocketChannel ch, IoAction connect)
            throws IOException {
        try {
            connect.run();
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return new HijackedConnection(
                ch, Channels.newInputStream(ch), Channels.newOutputStream(ch), ch::shutdownOutput);
    }

    /** The response's status line and headers, up to the empty line. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0; // of "\r\n\r\n"
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the engine closed the connection before answering");
            }
            if (head.size() >= MAX_HEAD) {
                throw new IOException(
                        "the engine's answer has no end of headers within " + MAX_HEAD + " bytes");
            }
            head.write(b);
            matched =
                    (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1)
                            ? matched + 1
                            : b == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** The status code of a response head. */
    static int statusCode(String head) throws IOException {
        String[] first = head.lines().findFirst().orElse("").split(" ", 3);
        if (first.length < 2 || !first[0].startsWith("HTTP/")) {
            throw new IOException(
                    "the engine's answer is not HTTP: " + head.lines().findFirst().orElse(""));
        }
        try {
            return Integer.parseInt(first[1]);
        } catch (NumberFormatException e) {
            throw new IOException("the engine's answer has no status code: " + first[1], e);
        }
    }

    /** The value of a header, or null. */
    static String header(String head, String name) {
        for (String line : head.lines().skip(1).toList()) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    /**
     * The body of an error answer, bounded: by its length, or its first chunk. The connection is
     * dropped afterwards, so the rest of a longer body does not matter.
     */
    static String readBody(InputStream in, String head) throws IOException {
        long length;
        String declared = header(head, "Content-Length");
        if (declared != null) {
            try {
                length = Long.parseLong(declared);
            } catch (NumberFormatException e) {
                length = 0;
            }
        } else if ("chunked".equalsIgnoreCase(header(head, "Transfer-Encoding"))) {
            String size = readLine(in);
            try {
                length = Long.parseLong(size.split(";", 2)[0].strip(), 16);
            } catch (NumberFormatException e) {
                length = 0;
            }
        } else {
            length = in.available(); // neither: take what has arrived rather than wait for a close
        }
        return new String(in.readNBytes((int) Math.min(length, MAX_HEAD)), StandardCharsets.UTF_8)
                .strip();
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\n' && line.length() < MAX_HEAD; b = in.read()) {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    /** What is written to the engine, after the upgrade. */
    OutputStream output() {
        return out;
    }

    /** Tells the engine no more bytes come (a half-close); what was written is still delivered. */
    void shutdownOutput() throws IOException {
        shutdownOutput.run();
    }

    /** Drops the connection. Idempotent. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (Exception ignored) {
            // dropping the connection: nothing is left to release
        }
    }
}

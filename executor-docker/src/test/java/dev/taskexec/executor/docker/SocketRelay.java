package dev.taskexec.executor.docker;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A byte relay between a Unix socket of its own and the real engine's socket: the executor under
 * test talks to the real engine through it, and the test can cut every connection and refuse new
 * ones, as a daemon restart does. It does not look at or change the bytes.
 */
final class SocketRelay implements AutoCloseable {

    private final Path socket;
    private final UnixDomainSocketAddress engine;

    /** The directory made for the socket, deleted on close. */
    private final Path directory;

    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private volatile ServerSocketChannel server;

    private SocketRelay(Path socket, Path engineSocket, Path directory) {
        this.socket = socket;
        this.engine = UnixDomainSocketAddress.of(engineSocket);
        this.directory = directory;
    }

    /**
     * A relay, up, in front of the engine the tests use ({@link DockerOptions#defaults()}), on a socket
     * in a temporary directory of its own; closing it takes it down and deletes the directory. The set-up
     * every outage test shares.
     */
    static SocketRelay toTestEngine() throws IOException {
        Path dir = Files.createTempDirectory("taskexec-relay");
        SocketRelay relay =
                new SocketRelay(
                        dir.resolve("engine.sock"),
                        Path.of(DockerOptions.defaults().host().getPath()),
                        dir);
        try {
            relay.up();
        } catch (IOException | RuntimeException e) {
            try {
                relay.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return relay;
    }

    /** The address to give the executor. */
    String host() {
        return "unix://" + socket;
    }

    /** Starts accepting; idempotent while up. */
    synchronized void up() throws IOException {
        if (server != null) {
            return;
        }
        Files.deleteIfExists(socket);
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(socket));
        server = s;
        Thread.ofVirtual().start(() -> accept(s));
    }

    /** Stops accepting, cuts every open connection and removes the socket file. */
    synchronized void down() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
        for (SocketChannel c : connections) {
            c.close();
        }
        connections.clear();
        Files.deleteIfExists(socket);
    }

    private void accept(ServerSocketChannel s) {
        while (s.isOpen()) {
            try {
                SocketChannel client = s.accept();
                SocketChannel upstream = SocketChannel.open(engine);
                connections.add(client);
                connections.add(upstream);
                Thread.ofVirtual().start(() -> pump(client, upstream));
                Thread.ofVirtual().start(() -> pump(upstream, client));
            } catch (IOException e) {
                return; // closed by down()
            }
        }
    }

    private void pump(SocketChannel from, SocketChannel to) {
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
        } catch (IOException e) {
            // cut by down(), or the other side went away
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // already closed
            }
            connections.remove(from);
            connections.remove(to);
        }
    }

    @Override
    public void close() throws IOException {
        down();
        Files.deleteIfExists(directory);
    }
}

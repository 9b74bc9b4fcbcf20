package dev.taskexec.executor.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The Unix socket transport against the real engine, and against a server that drops connections. */
class UnixSocketTransportTest {

    @RegisterExtension static final EngineRequired ENGINE = new EngineRequired();

    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    private static UnixSocketTransport transport(int maxConnections) {
        return new UnixSocketTransport(
                Path.of(URI.create(DockerOptions.DEFAULT_HOST).getPath()), maxConnections);
    }

    private static Response get(UnixSocketTransport http, String path) {
        return http.send("GET", path, Map.of(), null, null);
    }

    private static String text(Response r) throws IOException {
        return new String(r.getBody().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void keepsOneConnectionAliveAcrossRequestsAndDockerJavasPartialReads() throws Exception {
        try (UnixSocketTransport http = transport(4)) {
            for (int i = 0; i < 50; i++) {
                try (Response r = get(http, "/_ping")) {
                    assertEquals(200, r.getStatusCode());
                    assertEquals("OK", text(r));
                }
            }
            assertEquals(1, http.openConnections(), "every ping reused the one connection");
            // docker-java's JSON reader stops at the end of the value, before the answer's end
            DockerClient client =
                    DockerClientImpl.getInstance(
                            DefaultDockerClientConfig.createDefaultConfigBuilder()
                                    .withDockerHost(DockerOptions.DEFAULT_HOST)
                                    .build(),
                            Engine.overUnixSocket(http));
            for (int i = 0; i < 20; i++) {
                assertTrue(
                        client.inspectImageCmd(DockerTestEnvironment.IMAGE).exec().getId() != null);
                assertTrue(client.versionCmd().exec().getApiVersion() != null);
            }
            assertEquals(1, http.openConnections(), "JSON answers left their connection reusable");
        }
    }

    @Test
    void anEngineRefusalIsAnAnswerWithItsStatusAndMessage() throws Exception {
        try (UnixSocketTransport http = transport(2);
                Response r = get(http, "/containers/taskexec-no-such-container/json")) {
            assertEquals(404, r.getStatusCode());
            assertTrue(text(r).contains("No such container"));
        }
    }

    @Test
    void aStreamClosedFromAnotherThreadEndsTheBlockedReadAndFreesItsConnection() throws Exception {
        try (UnixSocketTransport http = transport(1)) {
            Response events = get(http, "/events");
            assertEquals(200, events.getStatusCode());
            CompletableFuture<Throwable> reader = new CompletableFuture<>();
            Thread.ofVirtual()
                    .start(
                            () -> {
                                try {
                                    events.getBody().read(new byte[1024]);
                                    reader.complete(null);
                                } catch (Throwable t) {
                                    reader.complete(t);
                                }
                            });
            events.close();
            assertTrue(
                    reader.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS) instanceof IOException,
                    "the blocked read ends with an I/O failure");
            // the one connection is free again: a new request does not wait for it
            try (Response r = get(http, "/_ping")) {
                assertEquals(200, r.getStatusCode());
            }
        }
    }

    @Test
    void anInterruptEndsABlockedReadAndAWaitForAConnection() throws Exception {
        try (UnixSocketTransport http = transport(1)) {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            CompletableFuture<Void> blocked = new CompletableFuture<>();
            Thread t =
                    Thread.ofVirtual()
                            .start(
                                    () -> {
                                        try (Response r = get(http, "/events")) {
                                            blocked.complete(null);
                                            r.getBody().read(new byte[1024]);
                                            outcome.complete(null);
                                        } catch (Throwable e) {
                                            outcome.complete(e);
                                        }
                                    });
            blocked.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS);
            t.interrupt();
            Throwable failure = outcome.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS);
            assertTrue(
                    Engine.interruption(failure),
                    "an interruption, as Engine reads it: " + failure);

            // a request waiting for the pool's only connection: interrupted too
            Response held = get(http, "/events");
            CompletableFuture<Throwable> waiting = new CompletableFuture<>();
            Thread w =
                    Thread.ofVirtual()
                            .start(
                                    () -> {
                                        try (Response r = get(http, "/_ping")) {
                                            waiting.complete(
                                                    new AssertionError(
                                                            "answered "
                                                                    + r.getStatusCode()
                                                                    + " without a free"
                                                                    + " connection"));
                                        } catch (Throwable e) {
                                            waiting.complete(e);
                                        }
                                    });
            w.interrupt();
            Throwable waited = waiting.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS);
            assertTrue(Engine.interruption(waited), "interrupted waiting: " + waited);
            held.close();
        }
    }

    @Test
    void blockedReadsDoNotPinTheCarriersOfVirtualThreads() throws Exception {
        // More blocked readers than carriers: a read pinning its carrier would leave none for
        // the last virtual thread.
        int readers = Runtime.getRuntime().availableProcessors() + 2;
        try (UnixSocketTransport http = transport(readers + 1)) {
            List<Response> streams = new ArrayList<>();
            AtomicInteger blocked = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            try {
                for (int i = 0; i < readers; i++) {
                    Response r = get(http, "/events");
                    streams.add(r);
                    threads.add(
                            Thread.ofVirtual()
                                    .start(
                                            () -> {
                                                blocked.incrementAndGet();
                                                try {
                                                    r.getBody().read(new byte[1024]);
                                                } catch (IOException ignored) {
                                                    // closed at the end of the test
                                                }
                                            }));
                }
                CompletableFuture<Integer> ping = new CompletableFuture<>();
                Thread.ofVirtual()
                        .start(
                                () -> {
                                    while (blocked.get() < readers) {
                                        Thread.onSpinWait();
                                    }
                                    try (Response r = get(http, "/_ping")) {
                                        ping.complete(r.getStatusCode());
                                    } catch (Throwable e) {
                                        ping.completeExceptionally(e);
                                    }
                                });
                assertEquals(200, ping.get(PROMPTLY.toSeconds(), TimeUnit.SECONDS));
            } finally {
                streams.forEach(Response::close);
                for (Thread t : threads) {
                    assertTrue(t.join(PROMPTLY), "a reader ended once its stream was closed");
                }
            }
        }
    }

    @Test
    void aStreamedRequestBodyIsSentChunked() throws Exception {
        String name = "taskexec-chunked-" + System.nanoTime();
        byte[] json =
                ("{\"Image\":\""
                                + DockerTestEnvironment.IMAGE
                                + "\",\"Cmd\":[\"true\"],"
                                + "\"Labels\":{\"dev.taskexec.task.id\":\"chunked\"}}")
                        .getBytes(StandardCharsets.UTF_8);
        try (UnixSocketTransport http = transport(2)) {
            InputStream body = new ByteArrayInputStream(json);
            try (Response r =
                    http.send(
                            "POST",
                            "/containers/create?name=" + name,
                            Map.of("Content-Type", "application/json"),
                            null,
                            body)) {
                assertEquals(201, r.getStatusCode(), text(r));
            }
            try (Response r =
                    http.send("DELETE", "/containers/" + name + "?force=1", Map.of(), null, null)) {
                assertEquals(204, r.getStatusCode());
            }
        }
    }

    @Test
    void aKeptAliveConnectionTheServerClosedIsReplacedForTheNextRequest(@TempDir Path dir)
            throws Exception {
        Path socket = dir.resolve("one-answer.sock");
        AtomicInteger accepted = new AtomicInteger();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread serving =
                    Thread.ofVirtual()
                            .start(
                                    () -> {
                                        // one answer per connection, then close: a kept-alive
                                        // connection goes stale behind the client's back
                                        while (!Thread.currentThread().isInterrupted()) {
                                            try (SocketChannel c = server.accept()) {
                                                accepted.incrementAndGet();
                                                readHead(c);
                                                c.write(
                                                        ByteBuffer.wrap(
                                                                "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                                                                        .getBytes(
                                                                                StandardCharsets
                                                                                        .US_ASCII)));
                                            } catch (IOException e) {
                                                return;
                                            }
                                        }
                                    });
            try (UnixSocketTransport http = new UnixSocketTransport(socket, 1)) {
                for (int i = 0; i < 3; i++) {
                    try (Response r = get(http, "/anything")) {
                        assertEquals("ok", text(r));
                    }
                }
            } finally {
                serving.interrupt();
            }
            assertEquals(3, accepted.get(), "each request after the first needed a new connection");
        }
        // and a transport that is closed refuses further requests
        UnixSocketTransport closed = new UnixSocketTransport(socket, 1);
        closed.close();
        assertThrows(UncheckedIOException.class, () -> get(closed, "/_ping"));
        Files.deleteIfExists(socket);
    }

    /** Reads an HTTP request's head (the test requests have no body). */
    private static void readHead(SocketChannel c) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        int matched = 0; // of "\r\n\r\n"
        while (matched < 4) {
            one.clear();
            if (c.read(one) < 0) {
                throw new IOException("closed");
            }
            byte b = one.get(0);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }
}

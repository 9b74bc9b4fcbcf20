package dev.taskexec.executor.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.taskexec.api.Errors;
import dev.taskexec.api.input.Quote;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One connection pool to one Docker Engine, and the translation of docker-java's failures into
 * the SPI's terms. An engine on a Unix socket is reached through {@link UnixSocketTransport} (the
 * JDK's channels), one on TCP through docker-java's Apache transport.
 *
 * <p>The client leaves the API version unset, so request paths carry none and the engine answers
 * in its own version. The pool is bounded by {@link DockerOptions#maxConnections()}; every request
 * returns its connection when it completes or fails, and every stream is closed by its owner.
 *
 * <p>Failures are translated by {@link #call(String, Supplier)}:
 * <ul>
 *   <li>an interrupted calling thread gives {@link InterruptedException} (the channel under an
 *       interrupted blocking read is closed by the JDK, so no connection is left hanging);</li>
 *   <li>an engine that cannot be reached (no socket, connection refused or reset: an
 *       {@link IOException} underneath) gives a {@linkplain Errors#temporary(Throwable) temporary}
 *       failure, so the lifecycle retries instead of failing a task whose container lives on;</li>
 *   <li>an engine error gives an {@link EngineException} with the engine's own message.</li>
 * </ul>
 * Thread-safe.
 */
final class Engine implements AutoCloseable {

    private static final Pattern MESSAGE =
            Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** Longest engine message kept in an error. */
    private static final int MAX_ENGINE_MESSAGE = 400;

    private final DockerOptions options;
    private final DockerHttpClient http;
    private final DockerClient client;

    /** How TLS connections to the engine are made; null for a plain connection. */
    private final com.github.dockerjava.transport.SSLConfig ssl;

    Engine(DockerOptions options) {
        this(options, options.maxConnections());
    }

    /**
     * An engine connection with a pool of its own size, for a stream held for a long time (which
     * should not take a connection from the pool the tasks' requests share).
     */
    Engine(DockerOptions options, int maxConnections) {
        this.options = options;
        DefaultDockerClientConfig config =
                DefaultDockerClientConfig.createDefaultConfigBuilder()
                        .withDockerHost(options.host().toString())
                        .withApiVersion((String) null)
                        .build();
        this.ssl = config.getSSLConfig();
        this.http =
                "unix".equals(options.host().getScheme())
                        ? overUnixSocket(
                                new UnixSocketTransport(
                                        java.nio.file.Path.of(options.host().getPath()),
                                        maxConnections))
                        : new ApacheDockerHttpClient.Builder()
                                .dockerHost(config.getDockerHost())
                                .sslConfig(config.getSSLConfig())
                                .maxConnections(maxConnections)
                                .connectionTimeout(options.connectTimeout())
                                .build();
        this.client = DockerClientImpl.getInstance(config, http);
    }

    /**
     * docker-java's transport on {@code transport}. (An adapter rather than the transport
     * implementing docker-java's interface: javadoc would then read the annotations of
     * docker-java's request class, whose enum is not on the class path, and warn.)
     */
    static DockerHttpClient overUnixSocket(UnixSocketTransport transport) {
        return new DockerHttpClient() {
            @Override
            public Response execute(Request request) {
                if (request.hijackedInput() != null) {
                    throw new UnsupportedOperationException(
                            "the Unix socket transport does not upgrade connections");
                }
                byte[] body = request.bodyBytes();
                return transport.send(
                        request.method(),
                        request.path(),
                        request.headers(),
                        body,
                        body == null ? request.body() : null);
            }

            @Override
            public void close() {
                transport.close();
            }
        };
    }

    /**
     * Runs {@code call} on a virtual thread of its own, named {@code threadName}, and returns its
     * outcome to come: for a request the caller wants to wait for together with something else.
     * The call is never interrupted by the caller's waiting; it ends when the engine answers.
     */
    static <T> CompletableFuture<T> callAside(String threadName, Callable<T> call) {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        Thread.ofVirtual()
                .name(threadName)
                .start(
                        () -> {
                            try {
                                outcome.complete(call.call());
                            } catch (Throwable t) {
                                outcome.completeExceptionally(t);
                            }
                        });
        return outcome;
    }

    /** The docker-java client; calls made on it directly must go through {@link #call}. */
    DockerClient client() {
        return client;
    }

    /** The engine's address, for messages. */
    String host() {
        return options.host().toString();
    }

    DockerOptions options() {
        return options;
    }

    /**
     * The TLS context for connections made outside the pool ({@link HijackedConnection}), or null
     * when the engine is reached without TLS.
     *
     * @throws Exception if the configured certificates cannot be loaded
     */
    javax.net.ssl.SSLContext sslContext() throws Exception {
        return ssl == null ? null : ssl.getSSLContext();
    }

    /**
     * Runs one request-response call and translates its failure.
     *
     * @param action what is being done, e.g. {@code "inspecting container x"}; starts messages
     * @throws InterruptedException if the thread was interrupted
     * @throws EngineException if the engine refused the request
     * @throws Exception a temporary failure if the engine could not be reached
     */
    <T> T call(String action, Supplier<T> request) throws Exception {
        if (Thread.interrupted()) {
            throw new InterruptedException(action + ": interrupted");
        }
        try {
            return request.get();
        } catch (RuntimeException e) {
            throw translate(action, e);
        }
    }

    /** {@link #call} for requests without a result. */
    void run(String action, Runnable request) throws Exception {
        call(
                action,
                () -> {
                    request.run();
                    return null;
                });
    }

    /**
     * Pulls an image on the calling thread and reads the engine's progress stream to its end.
     *
     * <p>docker-java streams a pull on a thread of its own and can abort it only once the engine
     * has answered; a registry that never responds would keep that thread and its pooled
     * connection busy until the engine gives up. Here the request runs on the caller's thread, so
     * an interrupt closes its channel at once, before or after the answer.
     *
     * @param reference what to pull, with a tag or digest
     * @param registryAuth Docker's {@code X-Registry-Auth} value, or empty for an anonymous pull
     * @param onResponse given the response while its body streams (to let another thread drop
     *     it), then nothing; called on this thread
     * @param onLine given each line of the engine's progress stream, on this thread
     * @return null on success, else the engine's error message
     * @throws InterruptedException if interrupted
     * @throws Exception a temporary failure if the engine cannot be reached
     */
    String pull(
            String reference,
            String registryAuth,
            java.util.function.Consumer<AutoCloseable> onResponse,
            java.util.function.Consumer<String> onLine)
            throws Exception {
        String action = "pulling image " + reference;
        if (Thread.interrupted()) {
            throw new InterruptedException(action + ": interrupted");
        }
        DockerHttpClient.Request request =
                DockerHttpClient.Request.builder()
                        .method(DockerHttpClient.Request.Method.POST)
                        .path(
                                "/images/create?fromImage="
                                        + java.net.URLEncoder.encode(
                                                reference, java.nio.charset.StandardCharsets.UTF_8))
                        .putHeader(
                                "X-Registry-Auth",
                                registryAuth.isEmpty()
                                        ? "e30="
                                        : registryAuth) // "e30=" is "{}": anonymous
                        .build();
        try (DockerHttpClient.Response response = http.execute(request)) {
            onResponse.accept(response);
            boolean refused = response.getStatusCode() / 100 != 2;
            String lastError = null;
            // Progress is one JSON object per line; a failure is a line with "error" and
            // "errorDetail":{"message":...}, a refusal a body {"message":...}.
            try (var lines =
                    new java.io.BufferedReader(
                            new java.io.InputStreamReader(
                                    response.getBody(), java.nio.charset.StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (!refused) {
                        onLine.accept(line);
                    }
                    if (refused || line.contains("\"error")) {
                        Matcher m = MESSAGE.matcher(line);
                        lastError = m.find() ? unescape(m.group(1)) : line.strip();
                    }
                }
            }
            if (refused && lastError == null) {
                return "HTTP status " + response.getStatusCode();
            }
            return lastError;
        } catch (RuntimeException | IOException e) {
            throw translate(action, e);
        }
    }

    private static String unescape(String s) {
        return s.replace("\\\"", "\"").replace("\\\\", "\\").replace("\\n", " ").strip();
    }

    /** Translates a failure of a call or a stream, as described on the class. */
    Exception translate(String action, Throwable failure) {
        if (interruption(failure) || Thread.currentThread().isInterrupted()) {
            Thread.interrupted();
            InterruptedException e = new InterruptedException(action + ": interrupted");
            e.initCause(failure);
            return e;
        }
        if (failure instanceof DockerException de) {
            return new EngineException(de.getHttpStatus(), action + ": " + engineMessage(de), de);
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return Errors.temporary(
                        new EngineException(
                                0,
                                action
                                        + ": Docker Engine at "
                                        + host()
                                        + " is unreachable ("
                                        + describe(t)
                                        + ")",
                                failure));
            }
        }
        if (failure instanceof Exception e && !(failure instanceof RuntimeException)) {
            return e;
        }
        return new EngineException(0, action + ": " + describe(failure), failure);
    }

    /** Whether {@code failure} is an interruption as the JDK or the HTTP client reports one. */
    static boolean interruption(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException
                    || t instanceof InterruptedIOException
                    || t instanceof ClosedByInterruptException) {
                return true;
            }
        }
        return false;
    }

    /** The engine's own message out of docker-java's "Status 404: {"message":"..."}". */
    static String engineMessage(DockerException e) {
        String raw = e.getMessage() == null ? "" : e.getMessage();
        Matcher m = MESSAGE.matcher(raw);
        // the engine's messages may quote the task's values (a user, a directory) whole
        if (m.find()) {
            return Quote.clip(unescape(m.group(1)), MAX_ENGINE_MESSAGE);
        }
        String stripped = raw.replaceFirst("^Status \\d+:\\s*", "").strip();
        return stripped.isEmpty()
                ? "HTTP status " + e.getHttpStatus()
                : Quote.clip(stripped, MAX_ENGINE_MESSAGE);
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** Closes the pool, aborting whatever still uses it. Idempotent. */
    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException | RuntimeException ignored) {
            // Closing is best effort: the pool's sockets are closed either way.
        }
        try {
            http.close();
        } catch (IOException | RuntimeException ignored) {
            // as above
        }
    }
}

package dev.taskexec.executor.docker;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * How a {@link DockerExecutor} reaches its Docker Engine and treats images.
 *
 * @param host the engine's address: {@code unix:///path}, or {@code tcp://host:port}
 * @param pullPolicy when images are pulled
 * @param maxConnections the bound of the HTTP connection pool; every blocked {@code await},
 *     {@code logs} with {@code follow} and health wait holds one connection (and one docker-java
 *     streaming thread) while it blocks, so the bound must exceed the number of tasks awaited at
 *     once; a request finding the pool exhausted waits for a free connection
 * @param connectTimeout how long opening a connection to the engine may take
 * @param owner the value of the {@code dev.taskexec.owner} label on every container this executor
 *     creates; its orphan reaper removes only containers with this owner. Agents sharing one
 *     engine need different owners
 * @param policy what tasks may reach of the host ({@link NodePolicy}; restricted by default)
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record DockerOptions(
        URI host,
        PullPolicy pullPolicy,
        int maxConnections,
        Duration connectTimeout,
        String owner,
        NodePolicy policy) {

    /** Option key: the engine's address. */
    public static final String HOST = "host";

    /** Option key: the pull policy. */
    public static final String PULL = "pull";

    /** Option key: the connection pool's bound. */
    public static final String MAX_CONNECTIONS = "max-connections";

    /** Option key: the connect timeout in milliseconds. */
    public static final String CONNECT_TIMEOUT_MS = "connect-timeout-ms";

    /** Option key: the owner label of this executor's containers. */
    public static final String OWNER = "owner";

    /** The owner when the option is not given. */
    public static final String DEFAULT_OWNER = "taskexec";

    private static final java.util.regex.Pattern OWNER_SYNTAX =
            java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    /** Where the engine is looked for when neither the option nor {@code DOCKER_HOST} says. */
    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    static final int DEFAULT_MAX_CONNECTIONS = 256;
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException naming the option whose value is unusable
     */
    public DockerOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(pullPolicy, "pullPolicy");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(owner, "owner");
        if (!OWNER_SYNTAX.matcher(owner).matches()) {
            throw new IllegalArgumentException(
                    "option "
                            + OWNER
                            + ": \""
                            + owner
                            + "\" is not 1 to 64 letters, digits, '_', '.' or '-' starting with a letter or digit");
        }
        Objects.requireNonNull(policy, "policy");
        String scheme = host.getScheme();
        if (!"unix".equals(scheme) && !"tcp".equals(scheme)) {
            throw new IllegalArgumentException(
                    "option "
                            + HOST
                            + ": \""
                            + host
                            + "\" is not a Docker Engine address; use unix:///path/to/docker.sock or tcp://host:port");
        }
        if ("unix".equals(scheme) && (host.getPath() == null || host.getPath().isEmpty())) {
            throw new IllegalArgumentException(
                    "option " + HOST + ": \"" + host + "\" names no socket path");
        }
        if (maxConnections < 2) {
            throw new IllegalArgumentException(
                    "option " + MAX_CONNECTIONS + ": must be at least 2, was " + maxConnections);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "option "
                            + CONNECT_TIMEOUT_MS
                            + ": must be positive, was "
                            + connectTimeout.toMillis());
        }
    }

    /** Options with the {@linkplain #DEFAULT_OWNER default owner} and the restricted {@link NodePolicy}. */
    public DockerOptions(
            URI host, PullPolicy pullPolicy, int maxConnections, Duration connectTimeout) {
        this(host, pullPolicy, maxConnections, connectTimeout, DEFAULT_OWNER);
    }

    /**
     * Options with the restricted {@link NodePolicy}.
     *
     * @throws IllegalArgumentException as the canonical constructor
     */
    public DockerOptions(
            URI host,
            PullPolicy pullPolicy,
            int maxConnections,
            Duration connectTimeout,
            String owner) {
        this(host, pullPolicy, maxConnections, connectTimeout, owner, NodePolicy.restricted());
    }

    /** The defaults: {@code DOCKER_HOST} or the local socket, pull when missing, the restricted node policy. */
    public static DockerOptions defaults() {
        return parse(Map.of());
    }

    /**
     * Reads the options a user passes to {@link DockerExecutorProvider#create(Map)}.
     *
     * @param options keys from {@link #describe()}; absent keys take their defaults
     * @throws IllegalArgumentException for an unknown key or a bad value, naming the option
     */
    public static DockerOptions parse(Map<String, String> options) {
        for (String key : options.keySet()) {
            if (!describe().containsKey(key)) {
                throw new IllegalArgumentException(
                        "unknown option \""
                                + key
                                + "\" for the docker executor; known: "
                                + String.join(", ", describe().keySet()));
            }
        }
        String hostValue = options.get(HOST);
        if (hostValue == null) {
            String env = System.getenv("DOCKER_HOST");
            hostValue = env == null || env.isBlank() ? DEFAULT_HOST : env;
        }
        URI host;
        try {
            host = URI.create(hostValue.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "option " + HOST + ": \"" + hostValue + "\" is not a URI", e);
        }
        PullPolicy pull =
                PullPolicy.parse(options.getOrDefault(PULL, PullPolicy.MISSING.optionValue()));
        int max = intOption(options, MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS);
        int connectMs =
                intOption(options, CONNECT_TIMEOUT_MS, (int) DEFAULT_CONNECT_TIMEOUT.toMillis());
        return new DockerOptions(
                host,
                pull,
                max,
                Duration.ofMillis(connectMs),
                options.getOrDefault(OWNER, DEFAULT_OWNER).strip(),
                NodePolicy.parse(options));
    }

    /** Every option key with a one-line description, in a stable order. */
    public static Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(
                HOST,
                "Docker Engine address, unix:///path or tcp://host:port (default: $DOCKER_HOST, else "
                        + DEFAULT_HOST
                        + ")");
        d.put(PULL, "image pull policy: missing (default), always or never");
        d.put(
                MAX_CONNECTIONS,
                "bound of the engine connection pool; each awaited task holds one (default "
                        + DEFAULT_MAX_CONNECTIONS
                        + ")");
        d.put(
                CONNECT_TIMEOUT_MS,
                "connect timeout to the engine in milliseconds (default "
                        + DEFAULT_CONNECT_TIMEOUT.toMillis()
                        + ")");
        d.put(
                OWNER,
                "owner label of the containers it creates; orphans are reaped only among these (default "
                        + DEFAULT_OWNER
                        + ")");
        NodePolicy.describe(d);
        return Collections.unmodifiableMap(d);
    }

    private static int intOption(Map<String, String> options, String key, int fallback) {
        String value = options.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "option " + key + ": \"" + value + "\" is not a whole number", e);
        }
    }
}

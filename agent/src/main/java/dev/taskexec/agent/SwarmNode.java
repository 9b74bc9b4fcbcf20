package dev.taskexec.agent;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.google.protobuf.ByteString;
import dev.taskexec.agent.identity.CertificateAuthorityClient;
import dev.taskexec.agent.identity.IdentityStore;
import dev.taskexec.agent.identity.JoinException;
import dev.taskexec.agent.identity.JoinToken;
import dev.taskexec.agent.identity.NodeIdentity;
import dev.taskexec.agent.identity.SwarmIdentity;
import dev.taskexec.agent.runtime.TaskMapping;
import dev.taskexec.agent.session.ManagerChannels;
import dev.taskexec.agent.session.SessionObserver;
import dev.taskexec.agent.session.SwarmSession;
import dev.taskexec.agent.tls.ManagerAddress;
import dev.taskexec.api.Executor;
import dev.taskexec.api.proto.Node;
import dev.taskexec.api.proto.NodeSpec;
import dev.taskexec.api.proto.NodeTLSInfo;
import dev.taskexec.core.TaskStore;
import dev.taskexec.core.Worker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Docker Swarm worker node running its tasks on a taskexec {@link Executor}: the node's identity
 * (join or restart, certificates kept current), a core {@link Worker} on the executor, and the
 * dispatcher session that feeds it.
 *
 * <pre>{@code
 * try (Executor executor = ExecutorRegistry.load().open("process", Map.of());
 *      SwarmNode node = SwarmNode.builder(Path.of("/var/lib/taskexec-node"), executor)
 *              .manager("10.0.0.1:2377")
 *              .token("SWMTKN-1-...")          // only the first time; a restart reuses the identity
 *              .start()) {
 *     node.worker().listen((taskId, status) -> ...);
 *     ...
 * }
 * }</pre>
 *
 * <p>{@link Builder#start()} blocks until the node has its identity (joining takes one round trip
 * to the CA and its signing), then starts the certificate renewer and the session. {@link #close()}
 * stops the session, the renewer and the worker (whose controllers are closed, not removed) and
 * leaves the identity on disk: the swarm marks the node Down once heartbeats stop, and a later start
 * with the same state directory is the same node. Thread-safe.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class SwarmNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SwarmNode.class);

    private final SwarmIdentity identity;
    private final Worker worker;
    private final Executor executor;
    private final String hostname;
    private final NodeConfigurer configurer;
    private final SessionObserver observer;
    private volatile AutoCloseable session;

    private SwarmNode(SwarmIdentity identity, Worker worker, Executor executor, String hostname) {
        this.identity = identity;
        this.worker = worker;
        this.executor = executor;
        this.hostname = hostname;
        this.configurer = new NodeConfigurer(executor);
        this.observer =
                new SessionObserver() {
                    @Override
                    public void sessionStarted(String sessionId, String managerAddress) {
                        identity.sessionStarted(sessionId, managerAddress);
                    }

                    @Override
                    public void nodeUpdated(Node node) {
                        identity.nodeUpdated(node);
                        configurer.nodeUpdated(node);
                    }

                    @Override
                    public void rootCaOffered(ByteString rootCaPem) {
                        identity.rootCaOffered(rootCaPem);
                    }

                    @Override
                    public void sessionEnded(Throwable cause) {
                        identity.sessionEnded(cause);
                    }
                };
    }

    /** A builder for a node whose identity lives in {@code stateDirectory} and whose tasks run on {@code executor}. */
    public static Builder builder(Path stateDirectory, Executor executor) {
        return new Builder(stateDirectory, executor);
    }

    /** The node id (its certificate's CN). */
    public String nodeId() {
        return identity.current().nodeId();
    }

    /** The node's current identity. */
    public NodeIdentity identity() {
        return identity.current();
    }

    /** What the node description's {@code tls_info} must hold now. */
    public NodeTLSInfo tlsInfo() {
        return identity.tlsInfo();
    }

    /** Channels to managers, authenticated as this node with its current certificate. */
    public ManagerChannels channels() {
        return identity.channels();
    }

    /** The managers this node knows, {@code host:port}, preferred first. */
    public List<String> managers() {
        return identity.managers();
    }

    /**
     * Where the session reports what it learns: the identity acts on certificate rotation and a
     * new root CA, and the executor is {@linkplain Executor#configure configured} with the node's
     * record whenever it changes.
     */
    public SessionObserver sessionObserver() {
        return observer;
    }

    /** The worker that runs this node's tasks. */
    public Worker worker() {
        return worker;
    }

    /** The executor the tasks run on. */
    public Executor executor() {
        return executor;
    }

    /** The host name the node advertises ({@code docker node ls} shows it). */
    public String hostname() {
        return hostname;
    }

    /** Whether a session was started. */
    public boolean hasSession() {
        return session != null;
    }

    /** Stops the session, the certificate renewer and the worker; keeps the identity. Idempotent. */
    @Override
    public void close() {
        AutoCloseable running = session;
        session = null;
        if (running != null) {
            try {
                running.close();
            } catch (Exception e) {
                LOG.warn("closing the dispatcher session failed", e);
            }
        }
        configurer.close();
        identity.close();
        worker.close();
    }

    /**
     * Removes the node's identity and state from {@code stateDirectory} (what {@code taskexec node
     * leave} does). The swarm still lists the node until a manager removes it ({@code docker node
     * rm}).
     *
     * @return whether there was an identity to remove
     */
    public static boolean leave(Path stateDirectory) throws IOException {
        return new IdentityStore(stateDirectory).delete();
    }

    /** How a node is set up; {@link #start()} makes it. Not thread-safe. */
    public static final class Builder {
        private final Path stateDirectory;
        private final Executor executor;
        private final List<ManagerAddress> managers = new ArrayList<>();
        private Optional<JoinToken> token = Optional.empty();
        private String hostname;
        private NodeSpec.Availability availability = NodeSpec.Availability.ACTIVE;
        private Duration issuanceTimeout = Duration.ofMinutes(2);
        private SessionStarter session;
        private TaskMapping mapping = TaskMapping.passThrough();
        private Clock clock = Clock.systemUTC();
        private TaskStore store;

        private Builder(Path stateDirectory, Executor executor) {
            this.stateDirectory = Objects.requireNonNull(stateDirectory, "stateDirectory");
            this.executor = Objects.requireNonNull(executor, "executor");
        }

        /**
         * Adds a manager's swarm port; repeatable. Optional on a restart (the managers of the last run
         * are remembered).
         *
         * @throws IllegalArgumentException if it is not {@code host:port}
         */
        public Builder manager(String address) {
            managers.add(ManagerAddress.parse(address));
            return this;
        }

        /**
         * The join token; needed only when the state directory holds no identity (ignored otherwise).
         *
         * @throws IllegalArgumentException if it is malformed (the message says how)
         */
        public Builder token(String joinToken) {
            this.token =
                    joinToken == null ? Optional.empty() : Optional.of(JoinToken.parse(joinToken));
            return this;
        }

        /** The host name to advertise; default: this machine's. */
        public Builder hostname(String name) {
            if (name != null && name.isBlank()) {
                throw new IllegalArgumentException("the advertised host name is empty");
            }
            this.hostname = name;
            return this;
        }

        /** The availability a newly joined node starts with (default ACTIVE). */
        public Builder availability(NodeSpec.Availability value) {
            this.availability = Objects.requireNonNull(value, "availability");
            return this;
        }

        /** How long to wait for the CA to issue a certificate (default 2 minutes). */
        public Builder issuanceTimeout(Duration timeout) {
            this.issuanceTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Optional: how to start the dispatcher session; by default a {@link SwarmSession} with this
         * node's channels, managers, worker, executor description, TLS information and observer.
         */
        public Builder session(SessionStarter starter) {
            this.session = starter;
            return this;
        }

        /**
         * How a swarm task becomes the backend's task (with its secret and config files); default
         * {@link TaskMapping#passThrough()}. For a bundled backend use {@code
         * TaskMapping.forBackend(name, TaskFiles.defaultRoot())}.
         */
        public Builder mapping(TaskMapping value) {
            this.mapping = Objects.requireNonNull(value, "mapping");
            return this;
        }

        /**
         * Optional: keep the node's tasks in {@code value}, so that a node started again on the same
         * store takes up its tasks where it left them ({@link Worker#open(Executor, TaskStore)}):
         * tasks still running are awaited, not started twice; tasks that ended meanwhile report
         * their true end; what the backend holds for tasks the store does not know is reaped. The
         * manager's first, complete assignment then settles which tasks stay. Without a store a
         * restarted node knows nothing of its earlier tasks. The caller owns the store: it closes
         * it after the node.
         */
        public Builder store(TaskStore value) {
            this.store = Objects.requireNonNull(value, "store");
            return this;
        }

        /** The clock for certificate renewal. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * Gets the identity (loading it, or joining with the token), then starts the renewer, the
         * worker and the session.
         *
         * @throws JoinException if the node cannot join or renew (the message says why)
         * @throws io.grpc.StatusRuntimeException if no manager answers
         * @throws IOException if the state directory cannot be read or written
         * @throws InterruptedException if interrupted while joining
         * @throws Exception if the session cannot be started
         */
        public SwarmNode start() throws Exception {
            SwarmIdentity identity =
                    SwarmIdentity.open(
                            new IdentityStore(stateDirectory),
                            managers.stream().map(ManagerAddress::toString).toList(),
                            token,
                            availability,
                            new CertificateAuthorityClient(issuanceTimeout),
                            clock);
            SwarmNode node = null;
            try {
                identity.start();
                node =
                        new SwarmNode(
                                identity,
                                store != null
                                        ? Worker.open(executor, store)
                                        : Worker.create(executor),
                                executor,
                                hostname != null ? hostname : localHostname());
                node.session = (session != null ? session : defaultSession(mapping)).start(node);
                return node;
            } catch (Exception | Error e) {
                if (node != null) {
                    node.close();
                } else {
                    identity.close();
                }
                throw e;
            }
        }

        private static SessionStarter defaultSession(TaskMapping mapping) {
            return node -> {
                SwarmSession.Builder builder =
                        SwarmSession.builder()
                                .channels(node.channels())
                                .nodeId(node.nodeId())
                                .managers(node.managers())
                                .worker(node.worker())
                                .description(node.executor()::describe)
                                .tlsInfo(node::tlsInfo)
                                .observer(node.sessionObserver())
                                .hostname(node.hostname())
                                .mapping(mapping);
                SwarmSession started = builder.build();
                started.start();
                return started;
            };
        }

        private static String localHostname() {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("taskexec-node");
            }
        }
    }
}

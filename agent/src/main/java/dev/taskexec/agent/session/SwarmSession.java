package dev.taskexec.agent.session;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.taskexec.agent.runtime.TaskMapping;
import dev.taskexec.api.proto.NodeDescription;
import dev.taskexec.api.proto.NodeTLSInfo;
import dev.taskexec.core.ListenerHandle;
import dev.taskexec.core.Worker;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker node's session with a swarm: it registers with a manager's dispatcher, keeps the
 * registration alive with heartbeats, runs the tasks the manager assigns on a core
 * {@link Worker}, reports their statuses, and re-registers (with another manager if need be)
 * whenever the session breaks, until {@linkplain #close() closed}.
 *
 * <pre>{@code
 * Executor executor = ExecutorRegistry.load("process", Map.of());
 * Worker worker = Worker.create(executor);
 * SwarmSession session = SwarmSession.builder()
 *         .channels(managerChannels)                 // from the identity layer (mutual TLS)
 *         .nodeId(certificateCommonName)             // used as node_id of published logs
 *         .managers(List.of("127.0.0.1:2377"))       // the join address, at least one
 *         .worker(worker)
 *         .description(executor::describe)          // re-read every 20 s
 *         .hostname("java-node")                     // optional; else the executor's
 *         .tlsInfo(identity::tlsInfo)                // optional; current NodeTLSInfo
 *         .observer(identityObserver)                // optional
 *         .mapping(TaskMapping.forBackend("process", TaskFiles.defaultRoot())) // optional
 *         .build();
 * session.start();
 * ...
 * session.close();   // then worker.close(), executor.close()
 * }</pre>
 *
 * <p><b>Registration.</b> The Session stream is opened with the node description (see
 * {@link NodeDescriber}: hostname, the identity layer's {@code tls_info}, no network plugins);
 * the first session message must come within {@link Builder#firstMessageTimeout} (5 s). Its
 * session id is used by every other call; its manager list replaces the list to fail over to.
 * Every session message's node and root CA go to the {@link SessionObserver}.
 *
 * <p><b>Re-registration.</b> Like swarmkit's agent, the session re-registers after any error of
 * any of its calls (the Session stream, a heartbeat, the Assignments stream, a status report,
 * the log broker; notably {@code INVALID_ARGUMENT "session invalid"}, {@code NOT_FOUND "node not
 * registered"} and {@code UNAVAILABLE}), when a stream that should stay open ends, and when the
 * description (checked every 20 s) changed. Before each attempt it waits a random time below a
 * bound that grows from 100 ms to 8 s and is reset by a successful registration, and never makes
 * a fourth attempt within 8 s of three others (a manager refuses that with
 * {@code UNAVAILABLE}); see {@link RegistrationPacer}. An attempt that did not register moves
 * that manager to the back of the list, so the next attempt fails over. Tasks keep running
 * while the node has no session (as with swarmkit: the manager decides their fate).
 *
 * <p><b>Heartbeats</b> run on a dedicated platform thread ({@link Heartbeater}).
 * <b>Assignments</b> are applied as {@link AssignmentSet} describes, with
 * {@code applies_to}/{@code results_in} chaining checked on each stream.
 * <b>Statuses</b> go through a coalescing, batching {@link StatusSender}; every status is re-sent
 * on each new session. <b>Logs</b>: each session listens for log subscriptions and serves each
 * on a {@code PublishLogs} stream of its own ({@link LogBrokerService}, {@link LogPublication}),
 * with {@code node_id} = {@link Builder#nodeId}.
 *
 * <p><b>Ownership.</b> The session closes neither the worker nor the channels: the caller does,
 * after {@link #close()}. Thread-safe.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class SwarmSession implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SwarmSession.class);

    private final SessionSettings settings;
    private final Worker worker;
    private final RegistrationPacer pacer;
    private final StatusSender statuses;
    private final Object lock = new Object();
    private Thread thread;
    private ListenerHandle listener;
    private ManagerSession current;
    private boolean closed;

    private SwarmSession(Builder b) {
        this.worker = b.worker;
        this.statuses = new StatusSender(b.rpcTimeout);
        this.pacer = new RegistrationPacer(b.clock, b.random);
        this.settings =
                new SessionSettings(
                        b.channels,
                        new ManagerList(b.managers),
                        new NodeDescriber(b.description, b.hostname, b.tlsInfo),
                        b.observer,
                        statuses,
                        new AssignmentSet(b.worker, statuses, b.mapping, b.clock),
                        b.logs != null ? b.logs : new LogBrokerService(b.worker, b.nodeId),
                        b.firstMessageTimeout,
                        b.rpcTimeout,
                        b.descriptionCheckPeriod);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts registering, on a thread of the session's own; returns at once.
     *
     * @throws IllegalStateException if already started or closed
     */
    public void start() {
        synchronized (lock) {
            if (thread != null || closed) {
                throw new IllegalStateException(
                        closed ? "the session is closed" : "the session is already started");
            }
            statuses.start();
            listener = worker.listen(statuses);
            thread = Thread.ofPlatform().daemon().name("taskexec-swarm-session").start(this::run);
        }
    }

    private void run() {
        String previous = "";
        try {
            while (true) {
                Thread.sleep(pacer.delay());
                String address = settings.managers().next();
                ManagerSession session;
                synchronized (lock) {
                    if (closed) {
                        return;
                    }
                    pacer.attempted();
                    try {
                        session = new ManagerSession(settings, address);
                    } catch (RuntimeException e) {
                        log.warn("no channel to manager {}: {}", address, e.toString());
                        settings.managers().failed(address);
                        pacer.failed();
                        continue;
                    }
                    current = session;
                }
                Throwable cause = session.run(previous, settings.describer().describe());
                boolean stopped;
                synchronized (lock) {
                    current = null;
                    stopped = closed;
                }
                if (session.registered()) {
                    previous = session.sessionId();
                    pacer.registered();
                } else {
                    settings.managers().failed(address);
                }
                settings.notify(o -> o.sessionEnded(cause));
                if (stopped) {
                    return;
                }
                pacer.failed();
                log.warn(
                        "session with manager {} ended ({}); registering again within {} ms",
                        address,
                        cause,
                        pacer.boundMillis());
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** The manager addresses the session fails over across, the next one to try first. */
    public List<String> managers() {
        return settings.managers().snapshot();
    }

    /**
     * Stops the session: ends the current registration (the manager marks the node down after
     * its heartbeat grace period), stops reporting, and returns once the session's threads have
     * stopped. Tasks keep running on the worker. Idempotent.
     */
    @Override
    public void close() {
        Thread t;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            t = thread;
            if (current != null) {
                current.end(new SessionEndedException("the node is leaving"));
            } else if (t != null) {
                t.interrupt(); // waiting out a backoff
            }
        }
        if (t != null) {
            try {
                t.join(Duration.ofSeconds(10));
                if (t.isAlive()) {
                    t.interrupt();
                    t.join(Duration.ofSeconds(5));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (listener != null) {
            listener.close();
        }
        statuses.close();
    }

    /** Builds a {@link SwarmSession}; every setter without "optional" must be called. */
    public static final class Builder {
        private ManagerChannels channels;
        private String nodeId;
        private List<String> managers;
        private Worker worker;
        private Callable<NodeDescription> description;
        private String hostname;
        private Supplier<NodeTLSInfo> tlsInfo = () -> null;
        private SessionObserver observer = new SessionObserver() {};
        private Clock clock = Clock.systemUTC();
        private RandomGenerator random = new Random();
        private Duration firstMessageTimeout = Duration.ofSeconds(5);
        private Duration rpcTimeout = Duration.ofSeconds(5);
        private Duration descriptionCheckPeriod = Duration.ofSeconds(20);
        private TaskMapping mapping = TaskMapping.passThrough();
        private LogService logs;

        private Builder() {}

        /** Where connections to managers come from. */
        public Builder channels(ManagerChannels channels) {
            this.channels = Objects.requireNonNull(channels, "channels");
            return this;
        }

        /** This node's id: the common name of its certificate. */
        public Builder nodeId(String nodeId) {
            this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
            return this;
        }

        /**
         * The managers to register with first ({@code host:port}), until a session message names
         * the swarm's managers.
         *
         * @throws IllegalArgumentException if the list is empty or an address is not host:port
         */
        public Builder managers(List<String> addresses) {
            List<String> copy = List.copyOf(addresses);
            new ManagerList(copy); // validates
            this.managers = copy;
            return this;
        }

        /** Runs the assigned tasks; its statuses are reported. */
        public Builder worker(Worker worker) {
            this.worker = Objects.requireNonNull(worker, "worker");
            return this;
        }

        /** The executor's description of the node, e.g. {@code executor::describe}. */
        public Builder description(Callable<NodeDescription> description) {
            this.description = Objects.requireNonNull(description, "description");
            return this;
        }

        /** Optional: the hostname to register with, instead of the executor's. */
        public Builder hostname(String hostname) {
            this.hostname = hostname;
            return this;
        }

        /** Optional: the node's current TLS info (may return null while it has none). */
        public Builder tlsInfo(Supplier<NodeTLSInfo> tlsInfo) {
            this.tlsInfo = Objects.requireNonNull(tlsInfo, "tlsInfo");
            return this;
        }

        /** Optional: told about sessions, the node record and the root CA. */
        public Builder observer(SessionObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /** Optional: the clock of the registration rate limit; the system UTC clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Optional: randomness of the backoff. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** Optional: how long to wait for the first session message; 5 s (swarmkit's). */
        public Builder firstMessageTimeout(Duration timeout) {
            this.firstMessageTimeout = positive(timeout, "firstMessageTimeout");
            return this;
        }

        /** Optional: the deadline of heartbeats and status reports; 5 s (swarmkit's). */
        public Builder rpcTimeout(Duration timeout) {
            this.rpcTimeout = positive(timeout, "rpcTimeout");
            return this;
        }

        /** Optional: how often the description is re-read for changes; 20 s (swarmkit's). */
        public Builder descriptionCheckPeriod(Duration period) {
            this.descriptionCheckPeriod = positive(period, "descriptionCheckPeriod");
            return this;
        }

        /**
         * Optional: how a swarm task becomes the backend's task, with its secret and config files;
         * {@link TaskMapping#passThrough()} by default. Use
         * {@code TaskMapping.forBackend(providerName, TaskFiles.defaultRoot())} for the bundled
         * backends.
         */
        public Builder mapping(TaskMapping mapping) {
            this.mapping = Objects.requireNonNull(mapping, "mapping");
            return this;
        }

        Builder logs(LogService logs) {
            this.logs = logs;
            return this;
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }

        /**
         * @throws IllegalStateException if a required setting is missing
         */
        public SwarmSession build() {
            require(channels, "channels");
            require(nodeId, "nodeId");
            require(managers, "managers");
            require(worker, "worker");
            require(description, "description");
            return new SwarmSession(this);
        }

        private static void require(Object value, String name) {
            if (value == null) {
                throw new IllegalStateException(name + " is required");
            }
        }

        String nodeId() {
            return nodeId;
        }
    }
}

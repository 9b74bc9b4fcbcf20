package dev.taskexec.agent.identity;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.google.protobuf.ByteString;
import dev.taskexec.agent.session.ManagerChannels;
import dev.taskexec.agent.session.SessionObserver;
import dev.taskexec.agent.tls.ManagerAddress;
import dev.taskexec.agent.tls.NodeTls;
import dev.taskexec.agent.tls.TlsManagerChannels;
import dev.taskexec.api.proto.IssuanceStatus;
import dev.taskexec.api.proto.Node;
import dev.taskexec.api.proto.NodeSpec;
import dev.taskexec.api.proto.NodeTLSInfo;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's identity over its life: joining (or loading what an earlier run stored), the
 * channels to managers that authenticate as it, and keeping its certificate current.
 *
 * <p>Certificates over time:
 * <ul>
 *   <li><b>Routine renewal</b> at a random point between 50 % and 80 % of the certificate's lifetime
 *       ({@link RenewalSchedule}); a renewal is {@code IssueNodeCertificate} with a new key,
 *       presenting the current certificate and no token. Failed renewals retry with backoff from
 *       5 s to 1 h, as swarmkit's renewer.
 *   <li><b>Forced renewal</b> when the manager's record of this node says {@code ROTATE} (a root
 *       rotation in progress), seen through {@link #nodeUpdated}.
 *   <li><b>A new root</b> offered by the session ({@link #rootCaOffered}): if the current
 *       certificate chains to it, it is trusted at once; otherwise the certificate is renewed first
 *       (trusting old and new roots for that call) and the new root installed with it.
 * </ul>
 * Every change is saved to the {@link IdentityStore} before it is used, then handed to the
 * {@linkplain #channels() channels} and to the listeners ({@link #onChange}), which run on the
 * renewal thread.
 *
 * <p>As a {@link SessionObserver} it only schedules work: its callbacks return at once.
 * Thread-safe.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class SwarmIdentity implements SessionObserver, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SwarmIdentity.class);
    private static final long RETRY_BASE_MILLIS = 5_000;
    private static final long RETRY_MAX_MILLIS = 3_600_000;

    /** How long a join keeps trying managers that do not answer. */
    static final Duration JOIN_PATIENCE = Duration.ofSeconds(30);

    private final IdentityStore store;
    private final CertificateAuthorityClient ca;
    private final Clock clock;
    private final TlsManagerChannels channels;
    private final List<Consumer<NodeIdentity>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService renewer;
    private final Object lock = new Object();
    private volatile NodeIdentity identity;
    private volatile List<ManagerAddress> managers;
    private ScheduledFuture<?> next;
    private boolean renewing;
    private long retryMillis = RETRY_BASE_MILLIS;

    private SwarmIdentity(
            IdentityStore store,
            NodeIdentity identity,
            List<ManagerAddress> managers,
            CertificateAuthorityClient ca,
            Clock clock) {
        this.store = store;
        this.identity = identity;
        this.managers = List.copyOf(managers);
        this.ca = ca;
        this.clock = clock;
        this.channels = new TlsManagerChannels(identity);
        this.renewer =
                Executors.newSingleThreadScheduledExecutor(
                        runnable -> {
                            Thread thread = new Thread(runnable, "swarm-certificate-renewer");
                            thread.setDaemon(true);
                            return thread;
                        });
    }

    /**
     * The identity in {@code store}, or, when there is none, a new one got by joining the swarm with
     * {@code token} through the first of {@code managers} that answers.
     *
     * <p>A stored identity wins over a token (a restarted node is the same node); the managers saved
     * with it are used when {@code managers} is empty.
     *
     * @param managers the managers' swarm ports, {@code host:port} (an IPv6 host in brackets)
     * @throws JoinException if there is no stored identity and no token, or the join is refused (wrong
     *     digest, wrong token, ...)
     * @throws StatusRuntimeException if no manager could be reached
     * @throws IllegalArgumentException if one of {@code managers} is not {@code host:port}
     * @throws IllegalStateException if the stored identity is damaged
     */
    public static SwarmIdentity open(
            IdentityStore store,
            List<String> managers,
            Optional<JoinToken> token,
            NodeSpec.Availability availability,
            CertificateAuthorityClient ca,
            Clock clock)
            throws JoinException, IOException, InterruptedException {
        List<ManagerAddress> addresses = new ArrayList<>();
        for (String manager : managers) {
            addresses.add(ManagerAddress.parse(manager));
        }
        Optional<NodeIdentity> stored = store.load();
        if (addresses.isEmpty()) {
            for (String saved : store.managers()) {
                addresses.add(ManagerAddress.parse(saved));
            }
        }
        if (addresses.isEmpty()) {
            throw new JoinException(
                    "no manager address given, and none saved in " + store.directory());
        }
        NodeIdentity identity;
        if (stored.isPresent()) {
            identity = stored.get();
            LOG.info("node {} loaded from {}", identity.nodeId(), store.directory());
        } else {
            JoinToken joinToken =
                    token.orElseThrow(
                            () ->
                                    new JoinException(
                                            "this node has not joined a swarm ("
                                                    + store.directory()
                                                    + " holds no identity): give a join token (`docker swarm join-token worker`)"));
            identity = join(addresses, joinToken, availability, ca);
            store.save(identity);
            LOG.info("joined the swarm as node {} ({})", identity.nodeId(), identity.role());
        }
        store.saveManagers(addresses.stream().map(ManagerAddress::toString).toList());
        return new SwarmIdentity(store, identity, addresses, ca, clock);
    }

    /**
     * Joins through the first manager that answers, trying them in turn until one admits the node
     * or {@link #JOIN_PATIENCE} passes: a manager that was just started, or a JVM whose first TLS
     * handshake is slow on a loaded machine, can miss the 5 s deadline of a single call.
     */
    private static NodeIdentity join(
            List<ManagerAddress> managers,
            JoinToken token,
            NodeSpec.Availability availability,
            CertificateAuthorityClient ca)
            throws JoinException, InterruptedException {
        long deadline = System.nanoTime() + JOIN_PATIENCE.toNanos();
        long backoff = 500;
        while (true) {
            StatusRuntimeException last = null;
            for (ManagerAddress manager : managers) {
                try {
                    return joinThrough(manager, token, availability, ca);
                } catch (StatusRuntimeException e) {
                    LOG.debug("joining through {} failed: {}", manager, e.getStatus());
                    last = e;
                }
            }
            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff) > deadline) {
                throw Objects.requireNonNull(last);
            }
            TimeUnit.MILLISECONDS.sleep(backoff);
            backoff = Math.min(backoff * 2, 5_000);
        }
    }

    private static NodeIdentity joinThrough(
            ManagerAddress manager,
            JoinToken token,
            NodeSpec.Availability availability,
            CertificateAuthorityClient ca)
            throws JoinException, InterruptedException {
        TrustRoots roots;
        ManagedChannel bootstrap = NodeTls.bootstrap(manager);
        try {
            roots = ca.fetchRoots(bootstrap, token);
        } finally {
            bootstrap.shutdownNow();
        }
        ManagedChannel joining = NodeTls.joining(manager, roots);
        try {
            return ca.requestCertificate(joining, Optional.of(token), roots, availability);
        } finally {
            joining.shutdownNow();
        }
    }

    /** Starts the routine renewal schedule (and renews at once when the certificate is due). */
    public void start() {
        synchronized (lock) {
            scheduleRoutine();
        }
    }

    /** The current identity. */
    public NodeIdentity current() {
        return identity;
    }

    /** The TLS information for the node description, from the current identity. */
    public NodeTLSInfo tlsInfo() {
        return identity.tlsInfo();
    }

    /** The managers this node knows, {@code host:port}, in preference order. */
    public List<String> managers() {
        return managers.stream().map(ManagerAddress::toString).toList();
    }

    /** Channels to managers that authenticate as the current identity. */
    public ManagerChannels channels() {
        return channels;
    }

    /** Calls {@code listener} with every new identity (on the renewal thread). */
    public void onChange(Consumer<NodeIdentity> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Renews now, unless a renewal is already under way; returns at once. */
    public void renewSoon(String reason) {
        synchronized (lock) {
            if (renewing || renewer.isShutdown()) {
                return;
            }
            renewing = true;
            if (next != null) {
                next.cancel(false);
            }
            LOG.info("renewing the node certificate: {}", reason);
            next = renewer.schedule(() -> renew(Optional.empty()), 0, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void sessionStarted(String sessionId, String managerAddress) {
        try {
            ManagerAddress manager = ManagerAddress.parse(managerAddress);
            List<ManagerAddress> ordered = new ArrayList<>();
            ordered.add(manager);
            managers.stream().filter(m -> !m.equals(manager)).forEach(ordered::add);
            managers = List.copyOf(ordered);
        } catch (IllegalArgumentException e) {
            LOG.debug(
                    "session manager address {} not usable for renewals: {}",
                    managerAddress,
                    e.getMessage());
        }
    }

    @Override
    public void nodeUpdated(Node node) {
        if (node.getCertificate().getStatus().getState() == IssuanceStatus.State.ROTATE) {
            renewSoon("the manager asked for a rotation");
        }
    }

    @Override
    public void rootCaOffered(ByteString rootCaPem) {
        if (rootCaPem.isEmpty() || Arrays.equals(rootCaPem.toByteArray(), identity.roots().pem())) {
            return;
        }
        TrustRoots roots;
        try {
            roots = TrustRoots.parse(rootCaPem.toByteArray());
        } catch (IllegalArgumentException e) {
            LOG.warn("ignoring the root CA the manager sent: {}", e.getMessage());
            return;
        }
        synchronized (lock) {
            if (renewer.isShutdown()) {
                return;
            }
            renewer.execute(() -> adoptRoots(roots));
        }
    }

    private void adoptRoots(TrustRoots roots) {
        NodeIdentity current = identity;
        if (current.roots().equals(roots)) {
            return;
        }
        NodeIdentity candidate = current.withRoots(roots);
        try {
            CertificateAuthorityClient.verifyChain(candidate);
            LOG.info("trusting the swarm's new root CA (sha256:{})", roots.sha256Hex());
            install(candidate);
        } catch (IOException e) {
            LOG.warn(
                    "cannot save the swarm's new root CA in {}: {}",
                    store.directory(),
                    e.getMessage());
        } catch (JoinException e) {
            LOG.info(
                    "the swarm has a new root CA that did not issue this node's certificate; renewing");
            synchronized (lock) {
                if (renewing) {
                    return;
                }
                renewing = true;
                if (next != null) {
                    next.cancel(false);
                }
            }
            renew(Optional.of(roots));
        }
    }

    /** Renews; on success installs the result, on failure schedules a retry. Runs on the renewer. */
    private void renew(Optional<TrustRoots> newRoots) {
        NodeIdentity current = identity;
        TrustRoots trust =
                newRoots.map(roots -> union(current.roots(), roots)).orElse(current.roots());
        NodeIdentity presenting = current.withRoots(trust);
        Exception failure = null;
        for (ManagerAddress manager : managers) {
            ManagedChannel channel = NodeTls.mutual(manager, presenting);
            try {
                NodeIdentity renewed =
                        ca.requestCertificate(
                                channel, Optional.empty(), trust, NodeSpec.Availability.ACTIVE);
                NodeIdentity result = renewed.withRoots(newRoots.orElse(current.roots()));
                CertificateAuthorityClient.verifyChain(result);
                if (!result.nodeId().equals(current.nodeId())) {
                    throw new JoinException(
                            "the CA renewed the certificate for node "
                                    + result.nodeId()
                                    + " instead of "
                                    + current.nodeId());
                }
                LOG.info("node certificate renewed, valid until {}", result.notAfter());
                install(result);
                synchronized (lock) {
                    renewing = false;
                    retryMillis = RETRY_BASE_MILLIS;
                    scheduleRoutine();
                }
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (JoinException | StatusRuntimeException | IOException e) {
                failure = e;
                LOG.debug("renewal through {} failed: {}", manager, e.getMessage());
            } finally {
                channel.shutdownNow();
            }
        }
        synchronized (lock) {
            long delay = ThreadLocalRandom.current().nextLong(retryMillis / 2, retryMillis + 1);
            retryMillis = Math.min(retryMillis * 2, RETRY_MAX_MILLIS);
            LOG.warn(
                    "renewing the node certificate failed ({}); retrying in {}s",
                    failure == null ? "no manager known" : failure.getMessage(),
                    delay / 1000);
            if (!renewer.isShutdown()) {
                next = renewer.schedule(() -> renew(newRoots), delay, TimeUnit.MILLISECONDS);
            }
        }
    }

    private void install(NodeIdentity newIdentity) throws IOException {
        store.save(newIdentity);
        identity = newIdentity;
        channels.update(newIdentity);
        for (Consumer<NodeIdentity> listener : listeners) {
            try {
                listener.accept(newIdentity);
            } catch (RuntimeException e) {
                LOG.warn("identity listener failed", e);
            }
        }
    }

    private void scheduleRoutine() {
        if (renewer.isShutdown()) {
            return;
        }
        if (next != null) {
            next.cancel(false);
        }
        NodeIdentity current = identity;
        Duration delay =
                RenewalSchedule.delay(
                        current.notBefore(),
                        current.notAfter(),
                        clock.instant(),
                        ThreadLocalRandom.current());
        LOG.debug("next routine certificate renewal in {}", delay);
        next =
                renewer.schedule(
                        () -> {
                            synchronized (lock) {
                                if (renewing) {
                                    return;
                                }
                                renewing = true;
                            }
                            renew(Optional.empty());
                        },
                        delay.toMillis(),
                        TimeUnit.MILLISECONDS);
    }

    private static TrustRoots union(TrustRoots a, TrustRoots b) {
        byte[] first = a.pem();
        byte[] second = b.pem();
        byte[] both = Arrays.copyOf(first, first.length + 1 + second.length);
        both[first.length] = '\n';
        System.arraycopy(second, 0, both, first.length + 1, second.length);
        return TrustRoots.parse(both);
    }

    /** Stops renewing and closes the channels. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            renewer.shutdownNow();
        }
        channels.close();
    }
}

package dev.taskexec.executor.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.LogContainerCmd;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.WaitContainerCondition;
import com.github.dockerjava.api.model.WaitResponse;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UnsafeByteOperations;
import dev.taskexec.api.ContainerStatuser;
import dev.taskexec.api.Controller;
import dev.taskexec.api.ControllerClosedException;
import dev.taskexec.api.ControllerLogs;
import dev.taskexec.api.ControllerStdin;
import dev.taskexec.api.ExitException;
import dev.taskexec.api.LogPublisher;
import dev.taskexec.api.PortStatuser;
import dev.taskexec.api.TaskAlreadyPreparedException;
import dev.taskexec.api.TaskAlreadyStartedException;
import dev.taskexec.api.TaskUpdateRejectedException;
import dev.taskexec.api.input.Quote;
import dev.taskexec.api.proto.ContainerStatus;
import dev.taskexec.api.proto.LogContext;
import dev.taskexec.api.proto.LogMessage;
import dev.taskexec.api.proto.LogStream;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import dev.taskexec.api.proto.PortConfig;
import dev.taskexec.api.proto.PortStatus;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.support.ExitMessages;
import dev.taskexec.api.support.InvalidTaskException;
import dev.taskexec.api.support.LogSelection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one task as one container, following swarmkit's {@code dockerexec} controller.
 *
 * <p>Every engine call addresses the container by its name, which is unique to the task
 * ({@link ContainerPlan#containerName}); the controller keeps no container id, so a new controller
 * for the same task (after an agent restart) picks up the container where the old one left it.
 *
 * <ul>
 *   <li>{@code prepare} makes the image available according to the pull policy, then creates the
 *       container. A name conflict means the container exists: {@link TaskAlreadyPreparedException}.
 *       The pull runs on the calling thread: an interrupted {@code prepare} aborts it at once
 *       (also before the engine answered) and leaves no connection behind; the next
 *       {@code prepare} pulls again. {@code shutdown}, {@code terminate}, {@code remove} and
 *       {@code close} drop a pull whose progress is streaming.</li>
 *   <li>{@code start} throws {@link TaskAlreadyStartedException} for a container that was ever
 *       started; with a health check it returns once the container is healthy. A container this
 *       controller has just created is started without inspecting it first (one controller per
 *       task at a time, as the agent guarantees), so the happy path costs the engine no more calls
 *       than a direct client makes.</li>
 *   <li>{@code await} uses the engine's wait endpoint; the exit code, pid and OOM flag come from
 *       inspecting the container afterwards.</li>
 *   <li>{@code shutdown} is {@code docker stop} with the task's grace period (the stop signal was
 *       set at create); {@code terminate} is {@code docker kill}; {@code remove} stops and removes
 *       the container with its anonymous volumes. Missing or stopped containers are success.</li>
 * </ul>
 *
 * <p>Thread-safe. Blocking calls throw {@link InterruptedException} promptly when interrupted and
 * close the streams they opened, with one exception: the create in {@code prepare} is seen to its
 * end (bounded by {@link #CREATE_AFTER_INTERRUPT}), since the engine finishes it anyway and a
 * container made after the caller stopped looking would outlive its {@code remove}; the interrupt
 * flag is then set again. An unreachable engine is a temporary failure.
 */
final class DockerController implements Controller, ControllerLogs, ContainerStatuser, PortStatuser, ControllerStdin {

    private static final Logger LOG = LoggerFactory.getLogger(DockerController.class);

    /** How long an interrupted {@code prepare} still waits for the engine to answer its create. */
    static final java.time.Duration CREATE_AFTER_INTERRUPT = java.time.Duration.ofSeconds(30);

    private final Engine engine;
    private final PullPolicy pullPolicy;
    private final ContainerPlan plan;
    private final String name;
    private final AtomicReference<Task> task;
    /** Streams open right now (waits, event watches, log reads), closed by {@link #close()}. */
    private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private volatile boolean exited;
    /** {@code terminate} was called: the task is to end at once, so remove skips the graceful stop. */
    private volatile boolean terminating;
    /** This controller created the container and has not asked the engine to start it yet. */
    private volatile boolean createdHere;
    private volatile boolean startAttempted;
    /** This controller's start request succeeded: the container has run. */
    private volatile boolean startedHere;
    /** Whether the image defines a health check, from the image inspect in prepare; null if unknown. */
    private volatile Boolean imageHealthCheck;

    /** {@link #stdin()} handed the task's input out (once per controller, as the contract says). */
    private final java.util.concurrent.atomic.AtomicBoolean stdinTaken = new java.util.concurrent.atomic.AtomicBoolean();

    private final AtomicReference<AutoCloseable> pullResponse = new AtomicReference<>();
    private volatile String pullFailure;

    /** Where the progress of this controller's pulls goes. */
    private final PullReporter pullProgress;

    DockerController(Engine engine, PullPolicy pullPolicy, Task task, ContainerPlan plan, PullListener pullListener) {
        this.pullProgress = new PullReporter(task.getId(), pullListener);
        this.engine = engine;
        this.pullPolicy = pullPolicy;
        this.plan = plan;
        this.name = plan.name();
        this.task = new AtomicReference<>(task);
    }

    /** How many streams (waits, event watches, log reads) are open right now; for tests. */
    int openStreams() {
        return open.size();
    }

    /** The container's name on the engine. */
    String containerName() {
        return name;
    }

    @Override
    public void update(Task update) throws Exception {
        checkClosed();
        Task current = task.get();
        if (!update.getId().equals(current.getId())) {
            throw new TaskUpdateRejectedException("update is for task " + update.getId() + ", this controller runs task " + current.getId());
        }
        if (hasExited()) {
            return;
        }
        if (!update.getSpec().equals(current.getSpec())) {
            throw new TaskUpdateRejectedException("a running container's spec cannot change (changed: "
                    + changedFields(current.getSpec(), update.getSpec()) + ")");
        }
        if (!update.getEndpoint().equals(current.getEndpoint())) {
            throw new TaskUpdateRejectedException("a running container's published ports cannot change (changed: endpoint)");
        }
        task.set(update);
    }

    private boolean hasExited() {
        if (exited) {
            return true;
        }
        try {
            InspectContainerResponse c = engine.client().inspectContainerCmd(name).exec();
            return isExited(c);
        } catch (RuntimeException e) {
            return false; // not created or not reachable: nothing has exited yet as far as we know
        }
    }

    private static String changedFields(com.google.protobuf.Message a, com.google.protobuf.Message b) {
        List<String> changed = new ArrayList<>();
        for (FieldDescriptor f : a.getDescriptorForType().getFields()) {
            if (!a.getField(f).equals(b.getField(f)) || (f.hasPresence() && a.hasField(f) != b.hasField(f))) {
                changed.add(f.getName());
            }
        }
        return changed.isEmpty() ? "unknown fields" : String.join(", ", changed);
    }

    @Override
    public void prepare() throws Exception {
        checkClosed();
        if (plan.needsSelinux() && !engineHasSelinux()) {
            throw new InvalidTaskException("container.privileges.selinux_context", "this engine does not run with"
                    + " SELinux, so the labels asked for would be ignored");
        }
        ensureImage();
        for (ContainerPlan.HostPort p : plan.hostPorts()) {
            if (p.publishedPort() != 0 && "unix".equals(engine.options().host().getScheme())
                    && HostPortProbe.inUse(p.publishedPort(), p.protocol())) {
                if (inspectOrNull("preparing") != null) {
                    throw new TaskAlreadyPreparedException("container " + name + " already exists");
                }
                throw new InvalidTaskException("task.endpoint", "host port " + p.publishedPort() + "/"
                        + p.protocol().name().toLowerCase(java.util.Locale.ROOT) + " is already in use on this host");
            }
        }
        try {
            createToItsEnd();
            createdHere = true;
        } catch (EngineException e) {
            if (e.statusCode() == 409) {
                // The name is taken: the container exists, made by an earlier prepare.
                inspect("preparing");
                throw new TaskAlreadyPreparedException("container " + name + " already exists");
            }
            String pulled = pullFailure;
            if (e.statusCode() == 404 && pulled != null) {
                throw new EngineException(404, e.getMessage() + " (pulling it failed: " + pulled + ")", e);
            }
            throw e;
        }
    }

    /**
     * Creates the container, and finishes doing so even when interrupted: the engine completes a
     * create whose client went away, so an abandoned create could make a container after a
     * {@code remove} had found none, and nothing would ever remove it. The create runs on a thread
     * of its own; an interrupt is kept for the caller (set again on return), and waited through for
     * at most {@link #CREATE_AFTER_INTERRUPT}, after which the create is abandoned after all
     * ({@link InterruptedException}).
     */
    private void createToItsEnd() throws Exception {
        FutureTask<Object> create = new FutureTask<>(() -> engine.call("creating container " + name,
                () -> plan.applyTo(engine.client().createContainerCmd(plan.image())).withName(name).exec()));
        Thread.ofVirtual().name("taskexec-create-" + name).start(create);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (interrupted) {
                        create.get(CREATE_AFTER_INTERRUPT.toMillis(), TimeUnit.MILLISECONDS);
                    } else {
                        create.get();
                    }
                    return;
                } catch (InterruptedException e) {
                    if (interrupted) {
                        continue; // already counting down the bound
                    }
                    interrupted = true;
                } catch (TimeoutException e) {
                    create.cancel(true);
                    throw new InterruptedException("creating container " + name + ": interrupted, and the engine did "
                            + "not answer within " + CREATE_AFTER_INTERRUPT);
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean engineHasSelinux() throws Exception {
        var info = engine.call("reading engine info", () -> engine.client().infoCmd().exec());
        List<String> options = info.getSecurityOptions() == null ? List.of() : info.getSecurityOptions();
        return options.stream().anyMatch(o -> o.contains("name=selinux"));
    }

    private void ensureImage() throws Exception {
        switch (pullPolicy) {
            case NEVER -> {
                if (!imagePresent()) {
                    throw new InvalidTaskException("container.image", Quote.of(plan.image()) + " is not present on the engine and the pull policy is never");
                }
            }
            case MISSING -> {
                if (!imagePresent()) {
                    pullImage();
                }
            }
            case ALWAYS -> pullImage();
        }
    }

    private boolean imagePresent() throws Exception {
        try {
            var image = engine.call("inspecting image " + plan.image(), () -> engine.client().inspectImageCmd(plan.image()).exec());
            HealthCheck hc = image.getConfig() == null ? null : image.getConfig().getHealthcheck();
            imageHealthCheck = effective(hc);
            return true;
        } catch (EngineException e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Pulls the image on the calling thread, so that interrupting it aborts the request even
     * before the engine has answered (a registry that never responds holds the engine's answer
     * back). A failed pull is logged and remembered for the create's message; the create
     * decides, as in swarmkit. An unreachable engine is thrown (temporary).
     */
    private void pullImage() throws Exception {
        String reference = plan.imageReference().pullReference();
        pullFailure = null;
        String outcome = "the pull did not finish"; // what the pull listener is told; null: pulled
        try {
            pullFailure = engine.pull(reference, plan.registryAuth(), this::pulling, pullProgress.lines(reference));
            outcome = pullFailure;
        } catch (EngineException e) {
            pullFailure = e.getMessage();
            outcome = pullFailure;
        } catch (Exception e) {
            outcome = e instanceof InterruptedException ? "interrupted" : e.getMessage();
            throw e;
        } finally {
            pulling(null);
            pullProgress.ended(reference, outcome);
        }
        if (pullFailure != null) {
            LOG.warn("pulling image {} for task {} failed: {}", plan.image(), task.get().getId(), pullFailure);
        }
    }

    /** Notes the response of the pull in progress, so {@link #cancelPull()} can drop it. */
    private void pulling(AutoCloseable response) {
        AutoCloseable previous = pullResponse.getAndSet(response);
        if (response != null && closed) {
            cancelPull();
        }
        if (previous != null && response == null) {
            open.remove(previous);
        } else if (response != null) {
            open.add(response);
        }
    }

    private void cancelPull() {
        AutoCloseable response = pullResponse.getAndSet(null);
        if (response != null) {
            open.remove(response);
            try {
                response.close();
            } catch (Exception ignored) {
                // the pull's connection is being dropped
            }
        }
    }

    @Override
    public void start() throws Exception {
        checkClosed();
        // A container this controller just created needs no inspect: nobody else starts it, and
        // the spec and the image say whether it has a health check. Otherwise ask the engine.
        Boolean health = createdHere && !startAttempted ? plannedHealthCheck() : null;
        if (health == null) {
            InspectContainerResponse before = inspect("starting");
            if (!"created".equals(before.getState().getStatus())) {
                throw new TaskAlreadyStartedException("container " + name + " was already started");
            }
            health = hasHealthCheck(before);
        }
        if (!health) {
            startContainer();
            return;
        }
        // Subscribe before starting, so no health event can slip past.
        ContainerEvents events = track(ContainerEvents.open(engine, name));
        try {
            startContainer();
            awaitHealthy(events);
        } finally {
            untrack(events);
        }
    }

    /** Whether the container will have a health check, from the spec and the image; null if unknown. */
    private Boolean plannedHealthCheck() {
        var spec = task.get().getSpec().getContainer();
        if (spec.hasHealthcheck() && spec.getHealthcheck().getTestCount() > 0) {
            return !"NONE".equals(spec.getHealthcheck().getTest(0));
        }
        return imageHealthCheck; // an empty test inherits the image's check
    }

    private void startContainer() throws Exception {
        startAttempted = true;
        try {
            engine.run("starting container " + name, () -> engine.client().startContainerCmd(name).exec());
            startedHere = true;
        } catch (EngineException e) {
            if (e.statusCode() == 304) {
                throw new TaskAlreadyStartedException("container " + name + " was already started");
            }
            if (e.statusCode() == 404) {
                throw new ContainerGoneException("starting container " + name + ": it no longer exists");
            }
            throw e;
        }
    }

    private static boolean hasHealthCheck(InspectContainerResponse c) {
        return effective(c.getConfig() == null ? null : c.getConfig().getHealthcheck());
    }

    private static boolean effective(HealthCheck hc) {
        if (hc == null || hc.getTest() == null || hc.getTest().isEmpty()) {
            return false; // no check, or one that would stay "starting" forever
        }
        return !"NONE".equals(hc.getTest().get(0));
    }

    private void awaitHealthy(ContainerEvents events) throws Exception {
        while (true) {
            InspectContainerResponse c = inspect("waiting for health");
            if (!Boolean.TRUE.equals(c.getState().getRunning())) {
                exited = true;
                throwIfFailed(c);
                return; // exited 0 before being healthy: await reports the success
            }
            String health = c.getState().getHealth() == null ? "" : c.getState().getHealth().getStatus();
            if ("healthy".equals(health)) {
                return;
            }
            if ("unhealthy".equals(health)) {
                shutdown();
                throw new UnhealthyContainerException("container " + name + " is unhealthy" + lastHealthOutput(c));
            }
            String action = events.next();
            if ("destroy".equals(action)) {
                throw new ContainerGoneException("container " + name + " was removed while starting");
            }
            // die and health_status: re-inspect, which is the authority on the state.
        }
    }

    private static String lastHealthOutput(InspectContainerResponse c) {
        var health = c.getState().getHealth();
        if (health == null || health.getLog() == null || health.getLog().isEmpty()) {
            return "";
        }
        var last = health.getLog().get(health.getLog().size() - 1);
        String out = last.getOutput() == null ? "" : last.getOutput().strip();
        return ": last check exited " + last.getExitCodeLong() + (out.isEmpty() ? "" : " with \"" + out + "\"");
    }

    @Override
    public void await() throws Exception {
        checkClosed();
        // The wait endpoint first, then one inspect for the exit code, pid and OOM flag: the
        // same two calls a direct client makes. "not-running" returns at once for a container
        // that already exited (or was never started: then the next exit is awaited).
        WaitContainerCondition condition = WaitContainerCondition.NOT_RUNNING;
        while (true) {
            if (!exited) {
                Integer code = waitFor(condition);
                if (code != null && code == 0 && startedHere && condition == WaitContainerCondition.NOT_RUNNING) {
                    // This controller started it, so "not running" means it ran and exited 0:
                    // nothing to report. A failure is inspected for its pid and OOM flag.
                    exited = true;
                    return;
                }
            }
            InspectContainerResponse c = inspectOrNull("waiting for exit");
            if (c == null) {
                throw new ContainerGoneException("container " + name + " was removed before it exited");
            }
            if (isExited(c)) {
                exited = true;
                throwIfFailed(c);
                return;
            }
            condition = "created".equals(c.getState().getStatus())
                    ? WaitContainerCondition.NEXT_EXIT : WaitContainerCondition.NOT_RUNNING;
        }
    }

    /** Blocks on the wait endpoint; returns the status code the engine reported, or null. */
    private Integer waitFor(WaitContainerCondition condition) throws Exception {
        AtomicReference<Integer> code = new AtomicReference<>();
        StreamCall<WaitResponse> wait = track(new StreamCall<>(response -> code.set(response.getStatusCode())));
        try {
            engine.run("waiting for container " + name, () -> engine.client().waitContainerCmd(name)
                    .withCondition(condition).exec(wait));
            wait.await();
            return code.get();
        } catch (InterruptedException e) {
            throw e;
        } catch (Throwable t) {
            Exception failure = t instanceof EngineException ee ? ee : engine.translate("waiting for container " + name, t);
            if (failure instanceof EngineException ee && ee.statusCode() == 404) {
                throw new ContainerGoneException("container " + name + " was removed before it exited");
            }
            if (closed) {
                throw new ControllerClosedException("controller for " + name + " was closed while waiting");
            }
            throw failure;
        } finally {
            untrack(wait);
        }
    }

    private static boolean isExited(InspectContainerResponse c) {
        String status = c.getState().getStatus();
        return "exited".equals(status) || "dead".equals(status);
    }

    private void throwIfFailed(InspectContainerResponse c) throws ExitException {
        var state = c.getState();
        long code = state.getExitCodeLong() == null ? 0 : state.getExitCodeLong();
        if (code == 0) {
            return;
        }
        StringBuilder cause = new StringBuilder();
        if (Boolean.TRUE.equals(state.getOOMKilled())) {
            Long limit = c.getHostConfig() == null ? null : c.getHostConfig().getMemory();
            cause.append("killed by the kernel's OOM killer");
            if (limit != null && limit > 0) {
                cause.append(" (memory limit ").append(limit).append(" bytes)");
            }
        }
        if (state.getError() != null && !state.getError().isEmpty()) {
            cause.append(cause.isEmpty() ? "" : ": ").append(state.getError());
        }
        throw new ExitException((int) code, ExitMessages.nonZeroExit((int) code, cause.toString()), status(c));
    }

    private static ContainerStatus status(InspectContainerResponse c) {
        var state = c.getState();
        return ContainerStatus.newBuilder()
                .setContainerId(c.getId())
                .setPid(state.getPidLong() == null ? 0 : state.getPidLong().intValue())
                .setExitCode(state.getExitCodeLong() == null ? 0 : state.getExitCodeLong().intValue())
                .build();
    }

    @Override
    public void shutdown() throws Exception {
        checkClosed();
        cancelPull();
        try {
            engine.run("stopping container " + name,
                    () -> engine.client().stopContainerCmd(name).withTimeout(plan.stopGraceSeconds()).exec());
        } catch (EngineException e) {
            if (e.statusCode() != 304 && e.statusCode() != 404) {
                throw e;
            }
        }
    }

    @Override
    public void terminate() throws Exception {
        checkClosed();
        terminating = true;
        cancelPull();
        try {
            engine.run("killing container " + name, () -> engine.client().killContainerCmd(name).exec());
        } catch (EngineException e) {
            if (e.statusCode() == 404) {
                return;
            }
            if (e.statusCode() != 409) { // 409: not running
                throw e;
            }
        }
        // A kill is a signal: wait for the container to be gone from the running set.
        StreamCall<WaitResponse> wait = track(new StreamCall<>(response -> { }));
        try {
            engine.run("waiting for container " + name + " to die", () -> engine.client().waitContainerCmd(name)
                    .withCondition(WaitContainerCondition.NOT_RUNNING).exec(wait));
            wait.await();
        } catch (InterruptedException e) {
            throw e;
        } catch (Throwable t) {
            Exception failure = engine.translate("waiting for container " + name + " to die", t);
            if (!(failure instanceof EngineException ee && ee.statusCode() == 404)) {
                throw failure;
            }
        } finally {
            untrack(wait);
        }
    }

    @Override
    public void remove() throws Exception {
        checkClosed();
        cancelPull();
        try {
            // The remove is forced anyway; stopping first is for a graceful end, unless the task was
            // terminated (a terminate that could not reach the engine must not turn into a grace period).
            if (!exited && !terminating) {
                shutdown();
            }
        } catch (InterruptedException e) {
            throw e;
        } catch (EngineException e) {
            LOG.debug("stopping container {} before removing it failed: {}", name, e.getMessage());
        }
        try {
            engine.run("removing container " + name,
                    () -> engine.client().removeContainerCmd(name).withForce(true).withRemoveVolumes(true).exec());
        } catch (EngineException e) {
            if (e.statusCode() != 404 && !(e.statusCode() == 409 && e.getMessage().contains("already in progress"))) {
                throw e;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        cancelPull();
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception ignored) {
                // Streams close by dropping their connection; there is nothing left to report.
            }
        }
        open.clear();
    }

    /**
     * The container's standard input, attached through the engine (see {@link AttachedStdin});
     * see {@link ControllerStdin#stdin()}. A container that has already exited gives a stream
     * whose writes fail.
     */
    @Override
    public java.io.OutputStream stdin() throws Exception {
        checkClosed();
        String taskId = task.get().getId();
        if (!plan.openStdin()) {
            throw new IllegalStateException("task " + taskId + ": its container spec does not set open_stdin");
        }
        // asked even when this controller started it: an exited container can still be attached
        // to, and writes would then vanish into the socket until the engine drops it
        InspectContainerResponse c = exited ? null : inspectOrNull("attaching standard input");
        if (!exited && c == null) {
            throw new ContainerGoneException("attaching standard input: container " + name + " does not exist");
        }
        if (c != null && "created".equals(c.getState().getStatus())) {
            throw new IllegalStateException("task " + taskId + ": not started yet");
        }
        if (!stdinTaken.compareAndSet(false, true)) {
            throw new IllegalStateException("task " + taskId + ": its standard input was already taken");
        }
        if (c == null || isExited(c)) {
            return AttachedStdin.exited(name);
        }
        AttachedStdin[] attached = new AttachedStdin[1];
        AutoCloseable abort = () -> attached[0].abort();
        try {
            attached[0] = AttachedStdin.attach(engine, name, plan.tty(), () -> open.remove(abort));
        } catch (EngineException e) {
            if (e.statusCode() == 409 && isExited(inspect("attaching standard input"))) {
                return AttachedStdin.exited(name);
            }
            stdinTaken.set(false); // not handed out: a later call may try again
            if (e.statusCode() == 404) {
                throw new ContainerGoneException("attaching standard input: container " + name + " does not exist");
            }
            throw e;
        } catch (Exception e) {
            stdinTaken.set(false);
            throw e;
        }
        track(abort);
        return attached[0];
    }

    @Override
    public Optional<ContainerStatus> containerStatus() throws Exception {
        checkClosed();
        InspectContainerResponse c = inspectOrNull("reading status");
        return c == null ? Optional.empty() : Optional.of(status(c));
    }

    @Override
    public Optional<PortStatus> portStatus() throws Exception {
        checkClosed();
        if (plan.hostPorts().isEmpty()) {
            return Optional.empty(); // only the plan's ports are ever published
        }
        InspectContainerResponse c = inspectOrNull("reading ports");
        if (c == null || c.getNetworkSettings() == null || c.getNetworkSettings().getPorts() == null) {
            return Optional.empty();
        }
        PortStatus.Builder status = PortStatus.newBuilder();
        for (Map.Entry<ExposedPort, Ports.Binding[]> e : c.getNetworkSettings().getPorts().getBindings().entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            PortConfig.Protocol protocol = switch (e.getKey().getProtocol()) {
                case UDP -> PortConfig.Protocol.UDP;
                case SCTP -> PortConfig.Protocol.SCTP;
                default -> PortConfig.Protocol.TCP;
            };
            for (Ports.Binding b : e.getValue()) {
                int published;
                try {
                    published = Integer.parseInt(b.getHostPortSpec());
                } catch (NumberFormatException | NullPointerException ex) {
                    continue;
                }
                PortConfig port = PortConfig.newBuilder()
                        .setProtocol(protocol)
                        .setTargetPort(e.getKey().getPort())
                        .setPublishedPort(published)
                        .setPublishMode(PortConfig.PublishMode.HOST)
                        .build();
                // The engine lists a binding per address family; a port is one PortConfig.
                if (!status.getPortsList().contains(port)) {
                    status.addPorts(port);
                }
            }
        }
        return status.getPortsCount() == 0 ? Optional.empty() : Optional.of(status.build());
    }

    @Override
    public void logs(LogPublisher publisher, LogSubscriptionOptions options) throws Exception {
        checkClosed();
        if (!awaitReadyForLogs(options.getFollow())) {
            return;
        }
        LogSelection selection = LogSelection.of(options);
        boolean stdout = selection.selects(LogStream.LOG_STREAM_STDOUT);
        boolean stderr = selection.selects(LogStream.LOG_STREAM_STDERR);
        if (!stdout && !stderr) {
            return;
        }
        Task current = task.get();
        LogContext context = LogContext.newBuilder()
                .setTaskId(current.getId())
                .setServiceId(current.getServiceId())
                .setNodeId(current.getNodeId())
                .build();
        LogSelection.Pass pass = selection.newPass();
        LogResume resume = new LogResume(selection.since().orElse(null));
        // The selection decides the tail, never the engine: Docker's tail counts the lines of every
        // stream before its since. A negative tail keeps the last of the past, so the past is read to
        // its end first (a request without follow), and only then followed; otherwise one request does.
        boolean past = selection.tail() < 0;
        boolean follow = options.getFollow();
        long lostAt = 0;
        while (true) {
            Throwable failure = readLogs(publisher, context, stdout, stderr, follow && !past, resume, past, pass);
            if (failure == null) {
                if (past) {
                    pass.endOfPast(publisher);
                    past = false;
                    if (follow) {
                        continue;
                    }
                }
                if (!follow) {
                    return;
                }
                // the engine ended a followed stream: the container stopped, or a proxy closed the
                // connection cleanly; a running container means the latter, so read on
                InspectContainerResponse c = inspectOrNull("reading logs");
                if (c == null || !Boolean.TRUE.equals(c.getState().getRunning())) {
                    return;
                }
                LOG.debug("container {}: the log stream ended while it runs; resuming after {}", name, resume.last());
                continue;
            }
            checkClosed();
            Exception translated = engine.translate("reading logs of container " + name, failure);
            if (translated instanceof InterruptedException) {
                throw translated;
            }
            if (translated instanceof EngineException ee && ee.statusCode() == 404) {
                throw new ContainerGoneException("reading logs: container " + name + " does not exist");
            }
            if (!follow) {
                throw translated;
            }
            // the connection was lost (an engine restart with live-restore, a cut socket): the messages are
            // still in the engine's log, so wait for it and read on from the last one read
            if (lostAt == 0) {
                lostAt = System.nanoTime();
            }
            follow = awaitEngineForLogs(translated, lostAt);
            LOG.debug("container {}: log stream lost ({}); resuming after {}", name, translated.getMessage(), resume.last());
        }
    }

    /** How long a follower waits for the engine to answer again after its stream was lost. */
    static final Duration LOG_RESUME_WINDOW = Duration.ofSeconds(60);

    /**
     * Waits (polling) until the engine answers about the container again, within
     * {@link #LOG_RESUME_WINDOW} of {@code lostAt}; whether the container still runs (so the
     * resumed read follows) or not (one last read of what remains).
     *
     * @throws Exception {@code lost} once the window passed, or {@link ContainerGoneException}
     */
    private boolean awaitEngineForLogs(Exception lost, long lostAt) throws Exception {
        long pause = 50;
        while (true) {
            checkClosed();
            try {
                InspectContainerResponse c = inspectOrNull("reading logs");
                if (c == null) {
                    throw new ContainerGoneException("reading logs: container " + name + " was removed");
                }
                return Boolean.TRUE.equals(c.getState().getRunning());
            } catch (InterruptedException | ContainerGoneException | ControllerClosedException e) {
                throw e;
            } catch (Exception e) {
                if (System.nanoTime() - lostAt > LOG_RESUME_WINDOW.toNanos()) {
                    lost.addSuppressed(e);
                    throw lost;
                }
            }
            Thread.sleep(pause); // polling an engine that is away: there is nothing to wait on
            pause = Math.min(1000, pause * 2);
        }
    }

    /**
     * One log request from where {@code resume} stands; returns how the stream ended: null when the
     * engine ended it, else the failure.
     */
    private Throwable readLogs(LogPublisher publisher, LogContext context, boolean stdout, boolean stderr,
            boolean follow, LogResume resume, boolean past, LogSelection.Pass pass) throws Exception {
        resume.begin();
        LogContainerCmd cmd = engine.client().logContainerCmd(name)
                .withStdOut(stdout)
                .withStdErr(stderr)
                .withTimestamps(true)
                .withFollowStream(follow)
                .withTailAll();
        Instant from = resume.from();
        if (from != null) {
            // the engine takes whole seconds and includes the bound: the exact since is the selection's
            cmd.withSince((int) Math.min(from.getEpochSecond(), Integer.MAX_VALUE));
        }
        LogDecoder decoder = new LogDecoder((stream, timestamp, data) -> {
            if (resume.take(timestamp)) {
                resume.read(timestamp);
                LogMessage message = LogMessage.newBuilder()
                        .setContext(context)
                        .setTimestamp(Timestamp.newBuilder().setSeconds(timestamp.getEpochSecond()).setNanos(timestamp.getNano()))
                        .setStream(stream)
                        .setData(UnsafeByteOperations.unsafeWrap(data))
                        .build();
                if (past) {
                    pass.past(message, publisher);
                } else {
                    pass.live(message, publisher);
                }
            }
        });
        FrameQueue frames = track(new FrameQueue());
        try {
            try {
                engine.run("reading logs of container " + name, () -> cmd.exec(frames));
            } catch (InterruptedException | ControllerClosedException e) {
                throw e;
            } catch (Exception e) {
                return e; // the engine is unreachable, or refused: the caller decides whether to wait and resume
            }
            while (true) {
                FrameQueue.Item item = frames.take();
                if (item instanceof FrameQueue.Chunk chunk) {
                    decoder.feed(chunk.type(), chunk.bytes(), chunk.bytes().length);
                } else if (item instanceof FrameQueue.End end) {
                    if (end.failure() == null) {
                        decoder.finish();
                    }
                    // after a failure, a partial last line is dropped: the resumed read delivers it whole
                    return end.failure();
                }
            }
        } finally {
            frames.close();
            untrack(frames);
        }
    }

    /**
     * With {@code follow}, waits until the container has been started (its logs are empty before);
     * without it, reports whether there can be any logs at all.
     */
    private boolean awaitReadyForLogs(boolean follow) throws Exception {
        InspectContainerResponse c = inspectOrNull("reading logs");
        if (c == null) {
            if (follow) {
                throw new ContainerGoneException("reading logs: container " + name + " does not exist");
            }
            return false;
        }
        if (!"created".equals(c.getState().getStatus())) {
            return true;
        }
        if (!follow) {
            return false;
        }
        ContainerEvents events = track(ContainerEvents.open(engine, name));
        try {
            while (true) {
                String action = events.next();
                if ("start".equals(action) || "die".equals(action)) {
                    return true;
                }
                if ("destroy".equals(action)) {
                    throw new ContainerGoneException("reading logs: container " + name + " was removed before it started");
                }
            }
        } finally {
            untrack(events);
        }
    }

    private InspectContainerResponse inspect(String during) throws Exception {
        InspectContainerResponse c = inspectOrNull(during);
        if (c == null) {
            throw new ContainerGoneException(during + ": container " + name + " does not exist");
        }
        return c;
    }

    private InspectContainerResponse inspectOrNull(String during) throws Exception {
        try {
            return engine.call(during + ": inspecting container " + name, () -> engine.client().inspectContainerCmd(name).exec());
        } catch (EngineException e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    private <T extends AutoCloseable> T track(T stream) throws ControllerClosedException {
        open.add(stream);
        if (closed) {
            open.remove(stream);
            try {
                stream.close();
            } catch (Exception ignored) {
                // being discarded
            }
            throw new ControllerClosedException("controller for container " + name + " is closed");
        }
        return stream;
    }

    private void untrack(AutoCloseable stream) {
        open.remove(stream);
        try {
            stream.close();
        } catch (Exception ignored) {
            // already ended
        }
    }

    private void checkClosed() throws ControllerClosedException {
        if (closed) {
            throw new ControllerClosedException("controller for container " + name + " is closed");
        }
    }
}

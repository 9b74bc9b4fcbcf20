package dev.taskexec.executor.docker;

import static dev.taskexec.executor.docker.ContainerInspector.isExited;
import static dev.taskexec.executor.docker.ContainerInspector.status;
import static dev.taskexec.executor.docker.ContainerInspector.throwIfFailed;

import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.WaitContainerCondition;
import com.github.dockerjava.api.model.WaitResponse;
import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.taskexec.api.ContainerStatuser;
import dev.taskexec.api.Controller;
import dev.taskexec.api.ControllerClosedException;
import dev.taskexec.api.ControllerLogs;
import dev.taskexec.api.ControllerStdin;
import dev.taskexec.api.LogPublisher;
import dev.taskexec.api.PortStatuser;
import dev.taskexec.api.TaskAlreadyPreparedException;
import dev.taskexec.api.TaskAlreadyStartedException;
import dev.taskexec.api.TaskUpdateRejectedException;
import dev.taskexec.api.proto.ContainerStatus;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import dev.taskexec.api.proto.PortStatus;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.support.InvalidTaskException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
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
 *       container; under policy {@code missing} the image inspect runs beside the create, and an
 *       image the create finds absent is pulled before a second create. A name conflict means the
 *       container exists: {@link TaskAlreadyPreparedException}.
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
 *       inspecting the container afterwards. An exit 0 of a container this controller started is
 *       taken from the engine's {@code die} event ({@link ExitEvents}) when that comes first, as
 *       it does by 50 to 100 ms: the engine holds back its wait and inspect answers while it
 *       handles the exit.</li>
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
 *
 * <p>This class keeps the lifecycle and delegates the rest, one concept a class:
 * {@link ImagePuller} (the ensure-image step), {@link HealthWait} (health checks and the wait for
 * one), {@link ContainerLogReader} (reading and following logs), {@link OpenStreams} (the streams
 * {@code close} drops), {@link ContainerInspector} (inspecting the container and reading the
 * answer) and {@link PublishedPorts} (the port status).
 */
final class DockerController
        implements Controller, ControllerLogs, ContainerStatuser, PortStatuser, ControllerStdin {

    private static final Logger LOG = LoggerFactory.getLogger(DockerController.class);

    /** How long an interrupted {@code prepare} still waits for the engine to answer its create. */
    static final java.time.Duration CREATE_AFTER_INTERRUPT = java.time.Duration.ofSeconds(30);

    private final Engine engine;
    private final ExitEvents exits;
    private final ContainerPlan plan;
    private final String name;
    private final AtomicReference<Task> task;

    /** Streams open right now (waits, event watches, log reads), closed by {@link #close()}. */
    private final OpenStreams streams;

    private final ContainerInspector inspector;
    private final ImagePuller images;
    private final HealthWait healthWait;
    private final ContainerLogReader logReader;
    private volatile boolean exited;

    /** {@code terminate} was called: the task is to end at once, so remove skips the graceful stop. */
    private volatile boolean terminating;

    private volatile boolean startAttempted;

    /** This controller's start request succeeded: the container has run. */
    private volatile boolean startedHere;

    /**
     * The id of the container this controller created; null if it did not (or removed it). With
     * {@link #exitStatus}, what spares a round trip to the engine on the task's path: the id tells
     * start() that nobody else started the container, and is containerStatus()'s answer until a
     * start is attempted (no pid, no exit code); the status seen at the exit is its answer after
     * (final). Between the two only the engine knows the running container's pid. Both are
     * cleared by remove().
     */
    private volatile String createdId;

    /** The container's status once this controller saw it exit; null before. */
    private volatile ContainerStatus exitStatus;

    /**
     * The exit code the engine's {@code die} event tells for the container this controller created
     * and started; null when not watched. See {@link #answeredBeforeExitZero}.
     */
    private volatile CompletableFuture<Integer> exitEvent;

    /** {@link #stdin()} handed the task's input out (once per controller, as the contract says). */
    private final AtomicBoolean stdinTaken = new AtomicBoolean();

    DockerController(
            Engine engine,
            ExitEvents exits,
            PullPolicy pullPolicy,
            Task task,
            ContainerPlan plan,
            PullListener pullListener) {
        this.engine = engine;
        this.exits = exits;
        this.plan = plan;
        this.name = plan.name();
        this.task = new AtomicReference<>(task);
        this.streams = new OpenStreams(name);
        this.inspector = new ContainerInspector(engine, name);
        this.images =
                new ImagePuller(engine, pullPolicy, plan, task.getId(), streams, pullListener);
        this.healthWait = new HealthWait(inspector, name);
        this.logReader =
                new ContainerLogReader(
                        engine,
                        name,
                        inspector,
                        streams,
                        this.task::get,
                        () -> startedHere || exited);
    }

    /** How many streams (waits, event watches, log reads) are open right now; for tests. */
    int openStreams() {
        return streams.size();
    }

    /** The exit code the engine's event told, as far as it did; null when not watched; for tests. */
    CompletableFuture<Integer> exitEventForTests() {
        return exitEvent;
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
            throw new TaskUpdateRejectedException(
                    "update is for task "
                            + update.getId()
                            + ", this controller runs task "
                            + current.getId());
        }
        if (hasExited()) {
            return;
        }
        if (!update.getSpec().equals(current.getSpec())) {
            throw new TaskUpdateRejectedException(
                    "a running container's spec cannot change (changed: "
                            + changedFields(current.getSpec(), update.getSpec())
                            + ")");
        }
        if (!update.getEndpoint().equals(current.getEndpoint())) {
            throw new TaskUpdateRejectedException(
                    "a running container's published ports cannot change (changed: endpoint)");
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

    private static String changedFields(
            com.google.protobuf.Message a, com.google.protobuf.Message b) {
        List<String> changed = new ArrayList<>();
        for (FieldDescriptor f : a.getDescriptorForType().getFields()) {
            if (!a.getField(f).equals(b.getField(f))
                    || (f.hasPresence() && a.hasField(f) != b.hasField(f))) {
                changed.add(f.getName());
            }
        }
        return changed.isEmpty() ? "unknown fields" : String.join(", ", changed);
    }

    @Override
    public void prepare() throws Exception {
        checkClosed();
        if (plan.needsSelinux() && !engineHasSelinux()) {
            throw new InvalidTaskException(
                    "container.privileges.selinux_context",
                    "this engine does not run with"
                            + " SELinux, so the labels asked for would be ignored");
        }
        images.beforeCreate();
        for (ContainerPlan.HostPort p : plan.hostPorts()) {
            if (p.publishedPort() != 0
                    && "unix".equals(engine.options().host().getScheme())
                    && HostPortProbe.inUse(p.publishedPort(), p.protocol())) {
                if (inspectOrNull("preparing") != null) {
                    throw new TaskAlreadyPreparedException("container " + name + " already exists");
                }
                throw new InvalidTaskException(
                        "task.endpoint",
                        "host port "
                                + p.publishedPort()
                                + "/"
                                + p.protocol().name().toLowerCase(java.util.Locale.ROOT)
                                + " is already in use on this host");
            }
        }
        while (true) {
            try {
                FutureTask<CreateContainerResponse> create = startCreate();
                images.besideCreate();
                createToItsEnd(create);
                images.awaitInspect();
                return;
            } catch (EngineException e) {
                if (e.statusCode() == 409) {
                    // The name is taken: the container exists, made by an earlier prepare.
                    inspect("preparing");
                    throw new TaskAlreadyPreparedException("container " + name + " already exists");
                }
                if (e.statusCode() == 404 && images.pullRefusedImage()) {
                    continue; // the image was missing and is pulled now: create again
                }
                throw images.explainRefusal(e);
            }
        }
    }

    /**
     * Sends the create on a thread of its own; {@link #createToItsEnd} waits for its answer. A
     * {@link FutureTask} rather than {@link Engine#callAside}: an abandoned create is cancelled
     * with an interrupt, which a {@code CompletableFuture} does not pass on.
     */
    private FutureTask<CreateContainerResponse> startCreate() {
        FutureTask<CreateContainerResponse> create =
                new FutureTask<>(
                        () ->
                                engine.call(
                                        "creating container " + name,
                                        () ->
                                                plan.applyTo(
                                                                engine.client()
                                                                        .createContainerCmd(
                                                                                plan.image()))
                                                        .withName(name)
                                                        .exec()));
        Thread.ofVirtual().name("taskexec-create-" + name).start(create);
        return create;
    }

    /**
     * Waits for the create {@link #startCreate} sent, to its end even when interrupted: the engine
     * completes a create whose client went away, so an abandoned create could make a container
     * after a {@code remove} had found none, and nothing would ever remove it. The create runs on a
     * thread of its own; an interrupt is kept for the caller (set again on return), and waited
     * through for at most {@link #CREATE_AFTER_INTERRUPT}, after which the create is abandoned
     * after all ({@link InterruptedException}).
     */
    private void createToItsEnd(FutureTask<CreateContainerResponse> create) throws Exception {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    CreateContainerResponse created =
                            interrupted
                                    ? create.get(
                                            CREATE_AFTER_INTERRUPT.toMillis(),
                                            TimeUnit.MILLISECONDS)
                                    : create.get();
                    createdId = created == null ? null : created.getId();
                    return;
                } catch (InterruptedException e) {
                    if (interrupted) {
                        continue; // already counting down the bound
                    }
                    interrupted = true;
                } catch (TimeoutException e) {
                    create.cancel(true);
                    throw new InterruptedException(
                            "creating container "
                                    + name
                                    + ": interrupted, and the engine did "
                                    + "not answer within "
                                    + CREATE_AFTER_INTERRUPT);
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
        List<String> options =
                info.getSecurityOptions() == null ? List.of() : info.getSecurityOptions();
        return options.stream().anyMatch(o -> o.contains("name=selinux"));
    }

    @Override
    public void start() throws Exception {
        checkClosed();
        // A container this controller just created needs no inspect: nobody else starts it, and
        // the spec and the image say whether it has a health check. Otherwise ask the engine.
        Boolean health =
                createdId != null && !startAttempted
                        ? HealthWait.planned(
                                task.get().getSpec().getContainer(), images.imageHealthCheck())
                        : null;
        if (health == null) {
            InspectContainerResponse before = inspect("starting");
            if (!"created".equals(before.getState().getStatus())) {
                throw new TaskAlreadyStartedException("container " + name + " was already started");
            }
            health = HealthWait.hasHealthCheck(before);
        }
        if (!health) {
            startContainer();
            return;
        }
        // Subscribe before starting, so no health event can slip past.
        ContainerEvents events = streams.track(ContainerEvents.open(engine, name));
        try {
            startContainer();
            InspectContainerResponse exit = healthWait.awaitHealthy(events, this::shutdown);
            if (exit != null) {
                exited = true;
                exitStatus = status(exit);
                throwIfFailed(exit); // exited 0 before being healthy: await reports the success
            }
        } finally {
            streams.untrack(events);
        }
    }

    private void startContainer() throws Exception {
        startAttempted = true;
        String id = createdId;
        if (id != null && exitEvent == null) {
            exitEvent = exits.watch(id); // before the start, so that no exit can come first
        }
        try {
            engine.run(
                    "starting container " + name,
                    () -> engine.client().startContainerCmd(name).exec());
            startedHere = true;
        } catch (EngineException e) {
            if (e.statusCode() == 304) {
                throw new TaskAlreadyStartedException("container " + name + " was already started");
            }
            if (e.statusCode() == 404) {
                throw new ContainerGoneException(
                        "starting container " + name + ": it no longer exists");
            }
            throw e;
        }
    }

    @Override
    public void await() throws Exception {
        checkClosed();
        // The wait endpoint first, then one inspect for the exit code, pid and OOM flag: the
        // same two calls a direct client makes. "not-running" returns at once for a container
        // that already exited (or was never started: then the next exit is awaited).
        ContainerStatus known = exitStatus;
        if (known != null && known.getExitCode() == 0) {
            return; // seen exiting 0 already (by a status read, or waiting to be healthy)
        }
        WaitContainerCondition condition = WaitContainerCondition.NOT_RUNNING;
        while (true) {
            if (!exited) {
                Integer code = waitFor(condition);
                if (code != null
                        && code == 0
                        && startedHere
                        && condition == WaitContainerCondition.NOT_RUNNING) {
                    // This controller started it, so "not running" means it ran and exited 0:
                    // nothing to report. A failure is inspected for its pid and OOM flag.
                    exitedZero();
                    return;
                }
            }
            InspectContainerResponse c = inspectOrNull("waiting for exit");
            if (c == null) {
                throw new ContainerGoneException(
                        "container " + name + " was removed before it exited");
            }
            if (isExited(c)) {
                exited = true;
                exitStatus = status(c);
                throwIfFailed(c);
                return;
            }
            condition =
                    "created".equals(c.getState().getStatus())
                            ? WaitContainerCondition.NEXT_EXIT
                            : WaitContainerCondition.NOT_RUNNING;
        }
    }

    /** Blocks on the wait endpoint; returns the status code the engine reported, or null. */
    private Integer waitFor(WaitContainerCondition condition) throws Exception {
        AtomicReference<Integer> code = new AtomicReference<>();
        StreamCall<WaitResponse> wait =
                track(new StreamCall<>(response -> code.set(response.getStatusCode())));
        try {
            engine.run(
                    "waiting for container " + name,
                    () ->
                            engine.client()
                                    .waitContainerCmd(name)
                                    .withCondition(condition)
                                    .exec(wait));
            if (!answeredBeforeExitZero(wait.done())) {
                return 0;
            }
            wait.await();
            return code.get();
        } catch (InterruptedException e) {
            throw e;
        } catch (Throwable t) {
            Exception failure =
                    t instanceof EngineException ee
                            ? ee
                            : engine.translate("waiting for container " + name, t);
            if (failure instanceof EngineException ee && ee.statusCode() == 404) {
                throw new ContainerGoneException(
                        "container " + name + " was removed before it exited");
            }
            if (streams.closed()) {
                throw new ControllerClosedException(
                        "controller for " + name + " was closed while waiting");
            }
            throw failure;
        } finally {
            untrack(wait);
        }
    }

    @Override
    public void shutdown() throws Exception {
        checkClosed();
        images.cancel();
        try {
            engine.run(
                    "stopping container " + name,
                    () ->
                            engine.client()
                                    .stopContainerCmd(name)
                                    .withTimeout(plan.stopGraceSeconds())
                                    .exec());
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
        images.cancel();
        try {
            engine.run(
                    "killing container " + name,
                    () -> engine.client().killContainerCmd(name).exec());
        } catch (EngineException e) {
            if (e.statusCode() == 404) {
                return;
            }
            if (e.statusCode() != 409) { // 409: not running
                throw e;
            }
        }
        // A kill is a signal: wait for the container to be gone from the running set.
        StreamCall<WaitResponse> wait = track(new StreamCall<>(response -> {}));
        try {
            engine.run(
                    "waiting for container " + name + " to die",
                    () ->
                            engine.client()
                                    .waitContainerCmd(name)
                                    .withCondition(WaitContainerCondition.NOT_RUNNING)
                                    .exec(wait));
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
        images.cancel();
        // the container is going: only the engine can say what is left of it
        forgetExitEvent();
        createdId = null;
        exitStatus = null;
        try {
            // The remove is forced anyway; stopping first is for a graceful end, unless the task
            // was
            // terminated (a terminate that could not reach the engine must not turn into a grace
            // period).
            if (!exited && !terminating) {
                shutdown();
            }
        } catch (InterruptedException e) {
            throw e;
        } catch (EngineException e) {
            LOG.debug("stopping container {} before removing it failed: {}", name, e.getMessage());
        }
        try {
            engine.run(
                    "removing container " + name,
                    () ->
                            engine.client()
                                    .removeContainerCmd(name)
                                    .withForce(true)
                                    .withRemoveVolumes(true)
                                    .exec());
        } catch (EngineException e) {
            if (e.statusCode() != 404
                    && !(e.statusCode() == 409 && e.getMessage().contains("already in progress"))) {
                throw e;
            }
        }
    }

    @Override
    public void close() {
        forgetExitEvent();
        streams.markClosed();
        images.cancel();
        streams.closeAll();
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
            throw new IllegalStateException(
                    "task " + taskId + ": its container spec does not set open_stdin");
        }
        // asked even when this controller started it: an exited container can still be attached
        // to, and writes would then vanish into the socket until the engine drops it
        InspectContainerResponse c = exited ? null : inspectOrNull("attaching standard input");
        if (!exited && c == null) {
            throw new ContainerGoneException(
                    "attaching standard input: container " + name + " does not exist");
        }
        if (c != null && "created".equals(c.getState().getStatus())) {
            throw new IllegalStateException("task " + taskId + ": not started yet");
        }
        if (!stdinTaken.compareAndSet(false, true)) {
            throw new IllegalStateException(
                    "task " + taskId + ": its standard input was already taken");
        }
        if (c == null || isExited(c)) {
            return AttachedStdin.exited(name);
        }
        AttachedStdin[] attached = new AttachedStdin[1];
        AutoCloseable abort = () -> attached[0].abort();
        try {
            attached[0] =
                    AttachedStdin.attach(engine, name, plan.tty(), () -> streams.remove(abort));
        } catch (EngineException e) {
            if (e.statusCode() == 409 && isExited(inspect("attaching standard input"))) {
                return AttachedStdin.exited(name);
            }
            stdinTaken.set(false); // not handed out: a later call may try again
            if (e.statusCode() == 404) {
                throw new ContainerGoneException(
                        "attaching standard input: container " + name + " does not exist");
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
        ContainerStatus exited = exitStatus;
        if (exited != null) {
            return Optional.of(exited);
        }
        String created = createdId;
        if (created != null && !startAttempted) {
            return Optional.of(ContainerStatus.newBuilder().setContainerId(created).build());
        }
        if (!startedHere || exitEvent == null) {
            InspectContainerResponse c = inspectOrNull("reading status");
            return c == null ? Optional.empty() : Optional.of(status(c));
        }
        // The engine holds an inspect back while it handles an exit: ask, but let the exit event
        // answer first when it can.
        CompletableFuture<InspectContainerResponse> inspected =
                Engine.callAside("taskexec-inspect-" + name, () -> inspectOrNull("reading status"));
        ContainerStatus told;
        if (!answeredBeforeExitZero(inspected) && (told = exitStatus) != null) {
            return Optional.of(told); // the inspect, held back by the engine, ends on its own
        }
        InspectContainerResponse c;
        try {
            c = inspected.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        return c == null ? Optional.empty() : Optional.of(status(c));
    }

    /**
     * Waits until {@code answer} is done, unless the engine's event says first that the container
     * this controller started exited 0: then records that exit as {@link #await} would and returns
     * false. An exit with another code is left to the answer, which tells how the container failed
     * (its OOM flag, its error) where the event cannot.
     *
     * @throws InterruptedException if interrupted (the answer is left to its owner)
     */
    private boolean answeredBeforeExitZero(CompletableFuture<?> answer)
            throws InterruptedException {
        CompletableFuture<Integer> exit = exitEvent;
        if (exit == null || !startedHere) {
            waitQuietly(answer);
            return true;
        }
        waitQuietly(CompletableFuture.anyOf(answer, exit));
        if (answer.isDone() || exit.getNow(-1) != 0) {
            waitQuietly(answer);
            return true;
        }
        exitedZero();
        return false;
    }

    /**
     * Records an exit 0 of the container this controller started: its status is what the engine's
     * inspect would say now (its id, no pid, exit code 0); left to the engine when the id is not
     * known.
     */
    private void exitedZero() {
        exited = true;
        String id = createdId;
        if (id != null) {
            exitStatus = ContainerStatus.newBuilder().setContainerId(id).build();
        }
    }

    /** Waits until the future is done, whichever way; the caller reads how. */
    private static void waitQuietly(CompletableFuture<?> future) throws InterruptedException {
        try {
            future.get();
        } catch (ExecutionException | CancellationException e) {
            // done: the caller reads the outcome from the future itself
        }
    }

    @Override
    public Optional<PortStatus> portStatus() throws Exception {
        checkClosed();
        if (plan.hostPorts().isEmpty()) {
            return Optional.empty(); // only the plan's ports are ever published
        }
        return PublishedPorts.of(inspectOrNull("reading ports"));
    }

    @Override
    public void logs(LogPublisher publisher, LogSubscriptionOptions options) throws Exception {
        checkClosed();
        logReader.logs(publisher, options);
    }

    private void forgetExitEvent() {
        String id = createdId;
        if (exitEvent != null && id != null) {
            exits.unwatch(id);
        }
        exitEvent = null;
    }

    private InspectContainerResponse inspect(String during) throws Exception {
        return inspector.inspect(during);
    }

    private InspectContainerResponse inspectOrNull(String during) throws Exception {
        return inspector.inspectOrNull(during);
    }

    private <T extends AutoCloseable> T track(T stream) throws ControllerClosedException {
        return streams.track(stream);
    }

    private void untrack(AutoCloseable stream) {
        streams.untrack(stream);
    }

    private void checkClosed() throws ControllerClosedException {
        streams.checkClosed();
    }
}

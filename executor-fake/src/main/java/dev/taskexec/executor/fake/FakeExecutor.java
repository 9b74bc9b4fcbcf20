package dev.taskexec.executor.fake;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.taskexec.api.Controller;
import dev.taskexec.api.Executor;
import dev.taskexec.api.ReapedResource;
import dev.taskexec.api.RuntimeUnsupportedException;
import dev.taskexec.api.TaskRecovery;
import dev.taskexec.api.proto.EngineDescription;
import dev.taskexec.api.proto.GenericRuntimeSpec;
import dev.taskexec.api.proto.Node;
import dev.taskexec.api.proto.NodeDescription;
import dev.taskexec.api.proto.Platform;
import dev.taskexec.api.proto.Resources;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskSpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * An in-memory executor whose tasks follow a {@link FakeScript}: a real, strict backend that runs
 * no processes, for tests of code that drives executors and for users' own tests.
 *
 * <h2>Where a task's script comes from</h2>
 * When {@link #controller(Task)} meets a task id for the first time (or again after its fake
 * container was removed), it takes, in this order:
 * <ol>
 * <li>the script {@linkplain #script(String, FakeScript) registered} for the task id;
 * <li>the task's {@link dev.taskexec.api.proto.ContainerSpec}: its {@code command} followed by its
 *     {@code args} are the script's words (an empty list is {@link FakeScript#defaults()}: exit 0
 *     at once);
 * <li>the task's {@link GenericRuntimeSpec} of kind {@value FakeScript#GENERIC_KIND}: its payload's
 *     value holds the words, one per line, in UTF-8 ({@link FakeScript#parseLines});
 * <li>for a task with no runtime, the builder's {@linkplain Builder#defaultScript default script}.
 * </ol>
 * A malformed script, a generic runtime of another kind, a network attachment, or a task with no
 * runtime and no default script is refused with {@link RuntimeUnsupportedException}, whose message
 * names the offending word or kind. A container spec's {@code stop_signal} and
 * {@code stop_grace_period} are checked as on every backend
 * ({@link dev.taskexec.api.support.TaskSpecDefaults}): a wrong one is refused with an
 * {@link dev.taskexec.api.support.InvalidTaskException} that names the field. While a task's fake
 * container exists, every controller made for it drives that container and its script; see
 * {@link FakeController}.
 *
 * <h2>Observing and disturbing</h2>
 * The executor records every call of every controller it made ({@link #calls()},
 * {@link FakeController#calls()}), injects one-shot faults into a task's next calls
 * ({@link #inject}), emits log lines into a live task ({@link #emit}), and reports what was not
 * cleaned up ({@link #leaks()}). {@link Builder#interceptor} and {@link Builder#wrapControllers}
 * let a test alter how calls work, for example to build a deliberately broken backend.
 *
 * <h2>Surviving the agent</h2>
 * The fake containers stand for the node's runtime, which outlives the agent. {@link #successor()}
 * makes a new executor on the same fake containers, as a new agent process on the same node would
 * get: it re-adopts what this one started (a {@link TaskRecovery}: prepare and start answer that it
 * already happened, await gives the true exit code, the logs are still there), and its
 * {@link #reapOrphans} stops and removes the fake containers no task claims. Drop this executor
 * without closing its controllers to play a crashed agent.
 *
 * <p>Thread-safe. Nothing blocks except the controllers' calls (see {@link FakeController}).
 * Per task it keeps one small object and no thread or timer, so thousands of tasks are cheap; what
 * it records is kept until the executor is dropped, unless {@link Builder#history} is off.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class FakeExecutor implements Executor, TaskRecovery {

    private final Duration latency;
    private final String hostname;
    private final Clock clock;
    private final FakeScript defaultScript;
    private final List<Interceptor> interceptors;
    private final Function<? super FakeController, ? extends Controller> wrapper;
    private final boolean history;
    private final ManualClock manualClock;

    /**
     * The first executor built for each {@linkplain Builder#runtime named runtime}; later ones share
     * its fake containers. Kept for the life of the JVM, like a node's runtime outliving agents.
     */
    private static final ConcurrentHashMap<String, FakeExecutor> NAMED_RUNTIMES =
            new ConcurrentHashMap<>();

    // The node's runtime: shared with successors.
    private final ConcurrentHashMap<String, FakeScript> registered;
    private final ConcurrentHashMap<String, Injections> injections;
    private final ConcurrentHashMap<String, FakeInstance> live;
    private final ConcurrentHashMap<FakeInstance, Integer> timedWaiters;
    private final AtomicLong sequence;
    private final AtomicInteger pids;
    private final Builder config;

    // This executor's own.
    private final ConcurrentSkipListMap<Long, FakeController> controllers =
            new ConcurrentSkipListMap<>();
    private final AtomicLong controllerIds = new AtomicLong();
    private volatile Node node;
    private volatile boolean closed;

    private FakeExecutor(Builder b, FakeExecutor predecessor) {
        this.config = b;
        if (predecessor == null && b.runtime != null) {
            predecessor = NAMED_RUNTIMES.putIfAbsent(b.runtime, this);
        }
        if (predecessor == null) {
            this.registered = new ConcurrentHashMap<>();
            this.injections = new ConcurrentHashMap<>();
            this.live = new ConcurrentHashMap<>();
            this.timedWaiters = new ConcurrentHashMap<>();
            this.sequence = new AtomicLong();
            this.pids = new AtomicInteger(1000);
        } else {
            this.registered = predecessor.registered;
            this.injections = predecessor.injections;
            this.live = predecessor.live;
            this.timedWaiters = predecessor.timedWaiters;
            this.sequence = predecessor.sequence;
            this.pids = predecessor.pids;
        }
        this.latency = b.latency;
        this.hostname = b.hostname;
        this.clock = b.clock;
        this.defaultScript = b.defaultScript;
        this.interceptors = List.copyOf(b.interceptors);
        this.wrapper = b.wrapper;
        this.history = b.history;
        this.manualClock = b.clock instanceof ManualClock m ? m : null;
        if (manualClock != null) {
            manualClock.register(this);
        }
    }

    /** An executor with no latency, hostname {@code fake} and the system UTC clock. */
    public static FakeExecutor create() {
        return builder().build();
    }

    /**
     * A new executor, configured like this one, on the same fake containers: what a new agent
     * process on the same node would find after this one died. It re-adopts this one's tasks (see
     * the class documentation). Its controllers, call records and closed flag are its own;
     * registered scripts and injected faults are shared, as they describe the tasks. This
     * executor keeps working, though a test playing a crash simply stops using it.
     */
    public FakeExecutor successor() {
        return new FakeExecutor(config, this);
    }

    /**
     * Kills and removes every fake container that was prepared, is not removed, and belongs to a
     * task not in {@code claimedTaskIds}; the task's script is not consulted (the runtime reaps,
     * not the task's controller). Fake containers never prepared hold nothing and are forgotten.
     */
    @Override
    public List<ReapedResource> reapOrphans(Set<String> claimedTaskIds) {
        Objects.requireNonNull(claimedTaskIds, "claimedTaskIds");
        List<FakeInstance> instances = new ArrayList<>(live.values());
        instances.sort(Comparator.comparing(FakeInstance::taskId));
        List<ReapedResource> reaped = new ArrayList<>();
        for (FakeInstance instance : instances) {
            if (claimedTaskIds.contains(instance.taskId())) {
                continue;
            }
            boolean allocated = instance.allocated();
            FakeInstance.State was = instance.state();
            instance.terminate();
            instance.remove();
            if (allocated) {
                reaped.add(
                        new ReapedResource(
                                instance.taskId(),
                                "fake container of task "
                                        + instance.taskId()
                                        + " (was "
                                        + was
                                        + ")"));
            }
        }
        return reaped;
    }

    /** A builder of executors. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A node description: the builder's hostname, this JVM's operating system and architecture
     * and processor count and maximum heap, and engine version {@code fake}.
     */
    @Override
    public NodeDescription describe() {
        return NodeDescription.newBuilder()
                .setHostname(hostname)
                .setPlatform(
                        Platform.newBuilder()
                                .setOs(System.getProperty("os.name", "").toLowerCase(Locale.ROOT))
                                .setArchitecture(System.getProperty("os.arch", "")))
                .setResources(
                        Resources.newBuilder()
                                .setNanoCpus(
                                        Runtime.getRuntime().availableProcessors() * 1_000_000_000L)
                                .setMemoryBytes(Runtime.getRuntime().maxMemory()))
                .setEngine(EngineDescription.newBuilder().setEngineVersion("fake"))
                .build();
    }

    /** Remembers the node; its id becomes the node id of log messages of tasks that have none. */
    @Override
    public void configure(Node node) {
        this.node = Objects.requireNonNull(node, "node");
    }

    /** The node last given to {@link #configure}. */
    public Optional<Node> node() {
        return Optional.ofNullable(node);
    }

    /**
     * A controller for the task; see the class documentation for how its script is found.
     *
     * @return a {@link FakeController}, or what the builder's
     *     {@linkplain Builder#wrapControllers wrapper} made of one
     * @throws RuntimeUnsupportedException if the task carries no usable script
     * @throws IllegalArgumentException if the task has no id; an
     *     {@link dev.taskexec.api.support.InvalidTaskException} if its {@code stop_signal} or
     *     {@code stop_grace_period} is wrong
     * @throws IllegalStateException if this executor is closed
     */
    @Override
    public Controller controller(Task task) throws RuntimeUnsupportedException {
        Objects.requireNonNull(task, "task");
        if (closed) {
            throw new IllegalStateException("fake: the executor is closed");
        }
        if (task.getId().isEmpty()) {
            throw new IllegalArgumentException("fake: the task has no id");
        }
        FakeInstance instance = live.get(task.getId());
        if (instance == null) {
            FakeInstance created = new FakeInstance(this, task, scriptFor(task));
            instance = live.putIfAbsent(task.getId(), created);
            if (instance == null) {
                instance = created;
            }
        }
        FakeController controller =
                new FakeController(controllerIds.incrementAndGet(), this, instance, task);
        controllers.put(controller.id(), controller);
        return wrapper == null
                ? controller
                : Objects.requireNonNull(
                        wrapper.apply(controller), "the controller wrapper returned null");
    }

    private FakeScript scriptFor(Task task) throws RuntimeUnsupportedException {
        FakeScript script = registered.get(task.getId());
        if (script != null) {
            return script;
        }
        TaskSpec spec = task.getSpec();
        try {
            switch (spec.getRuntimeCase()) {
                case CONTAINER -> {
                    List<String> words = new ArrayList<>(spec.getContainer().getCommandList());
                    words.addAll(spec.getContainer().getArgsList());
                    return FakeScript.parse(words);
                }
                case GENERIC -> {
                    GenericRuntimeSpec generic = spec.getGeneric();
                    if (!generic.getKind().equals(FakeScript.GENERIC_KIND)) {
                        throw new RuntimeUnsupportedException(
                                "fake: cannot run a generic runtime of"
                                        + " kind \""
                                        + generic.getKind()
                                        + "\" (only \""
                                        + FakeScript.GENERIC_KIND
                                        + "\")");
                    }
                    return FakeScript.parseLines(
                            generic.getPayload().getValue().toString(StandardCharsets.UTF_8));
                }
                case ATTACHMENT ->
                        throw new RuntimeUnsupportedException(
                                "fake: cannot run a network attachment task");
                default -> {
                    if (defaultScript != null) {
                        return defaultScript;
                    }
                    throw new RuntimeUnsupportedException(
                            "fake: task "
                                    + task.getId()
                                    + " has no runtime; give it a container spec whose command is script"
                                    + " words, a generic runtime of kind fake, or register a script");
                }
            }
        } catch (IllegalArgumentException malformed) {
            throw new RuntimeUnsupportedException(malformed.getMessage(), malformed);
        }
    }

    /**
     * Marks the executor closed: {@link #controller} then fails. Controllers already made keep
     * working and are still reported by {@link #leaks()}. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Makes the task with this id follow {@code script} when its fake container is next created,
     * whatever its spec says. Replaces an earlier registration; does not change a container that
     * exists already.
     */
    public void script(String taskId, FakeScript script) {
        registered.put(
                Objects.requireNonNull(taskId, "taskId"), Objects.requireNonNull(script, "script"));
    }

    /**
     * Makes the next call of this kind on any controller of the task behave as {@code behavior},
     * once, instead of the script's step (which is then not used up: the script's sequence
     * continues where it was). Several injections for one call are used in the order given. May be
     * called before the task has a controller, and from any thread.
     *
     * @throws IllegalArgumentException for {@link Call#CLOSE}
     */
    public void inject(String taskId, Call call, Behavior behavior) {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(behavior, "behavior");
        if (!call.scriptable()) {
            throw new IllegalArgumentException(call + " cannot be scripted");
        }
        injections.computeIfAbsent(taskId, id -> new Injections()).add(call, behavior);
    }

    /**
     * Writes one more line of output for the task, as if its workload printed it now; followers
     * of its logs receive it.
     *
     * @throws IllegalStateException if the task's workload is not running (no controller yet, not
     *     started, exited, or removed)
     */
    public void emit(String taskId, LogLine line) {
        Objects.requireNonNull(line, "line");
        FakeInstance instance = live.get(Objects.requireNonNull(taskId, "taskId"));
        if (instance == null) {
            throw new IllegalStateException("fake: task " + taskId + " has no fake container");
        }
        instance.emit(line);
    }

    /**
     * Every controller this executor made, in the order it made them; without
     * {@linkplain Builder#history history}, only those not yet closed.
     */
    public List<FakeController> controllers() {
        return List.copyOf(controllers.values());
    }

    /** {@link #controllers()} of one task. */
    public List<FakeController> controllers(String taskId) {
        List<FakeController> out = new ArrayList<>();
        for (FakeController c : controllers.values()) {
            if (c.taskId().equals(taskId)) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * Every call on every controller, in the order they started; empty without
     * {@linkplain Builder#history history}.
     */
    public List<CallRecord> calls() {
        List<CallRecord> out = new ArrayList<>();
        for (FakeController c : controllers.values()) {
            out.addAll(c.calls());
        }
        out.sort(Comparator.comparingLong(CallRecord::sequence));
        return out;
    }

    /**
     * What was not cleaned up, one sentence per problem, empty when all is well: every controller
     * that was not closed, and every task whose fake container was prepared and not removed (a
     * container that was never prepared holds nothing, as with a real backend).
     */
    public List<String> leaks() {
        List<String> out = new ArrayList<>();
        for (FakeController c : controllers.values()) {
            if (!c.isClosed()) {
                out.add("controller c" + c.id() + " of task " + c.taskId() + " was not closed");
            }
        }
        List<FakeInstance> instances = new ArrayList<>(live.values());
        instances.sort(Comparator.comparing(FakeInstance::taskId));
        for (FakeInstance i : instances) {
            if (i.allocated()) {
                out.add(
                        "task "
                                + i.taskId()
                                + " was prepared but not removed (its fake container is "
                                + i.state()
                                + ")");
            }
        }
        return out;
    }

    /**
     * Fails if {@link #leaks()} reports anything.
     *
     * @throws AssertionError listing every leak
     */
    public void assertNoLeaks() {
        List<String> leaks = leaks();
        if (!leaks.isEmpty()) {
            throw new AssertionError("the fake executor leaked:\n  " + String.join("\n  ", leaks));
        }
    }

    @Override
    public String toString() {
        return "FakeExecutor["
                + controllers.size()
                + " controllers, "
                + live.size()
                + " fake containers"
                + (closed ? ", closed" : "")
                + "]";
    }

    // ---- for controllers and instances ----

    Duration latency() {
        return latency;
    }

    Clock clock() {
        return clock;
    }

    String nodeId() {
        Node n = node;
        return n == null ? "" : n.getId();
    }

    List<Interceptor> interceptors() {
        return interceptors;
    }

    /** The reading deadlines are measured on: the monotonic clock, or a manual clock's. */
    long nanoTime() {
        return manualClock == null ? System.nanoTime() : manualClock.nanos();
    }

    boolean manualTime() {
        return manualClock != null;
    }

    void timeAdvanced() {
        for (FakeInstance instance : timedWaiters.keySet()) {
            instance.wake();
        }
    }

    /** Counts the calls of an instance waiting for manual time, so that advances wake them. */
    void timedWaiter(FakeInstance instance, boolean waiting) {
        manualClock.timedWait(waiting ? 1 : -1);
        timedWaiters.compute(
                instance,
                (i, n) -> {
                    int next = (n == null ? 0 : n) + (waiting ? 1 : -1);
                    return next <= 0 ? null : next;
                });
    }

    boolean keepsHistory() {
        return history;
    }

    void closed(FakeController controller) {
        if (!history) {
            controllers.remove(controller.id(), controller);
        }
    }

    long nextSequence() {
        return sequence.incrementAndGet();
    }

    int nextPid() {
        return pids.incrementAndGet();
    }

    Behavior takeInjected(String taskId, Call call) {
        Injections i = injections.get(taskId);
        return i == null ? null : i.take(call);
    }

    void forget(FakeInstance instance) {
        live.remove(instance.taskId(), instance);
    }

    /** One task's pending one-shot faults. */
    private static final class Injections {
        private final EnumMap<Call, ArrayDeque<Behavior>> byCall = new EnumMap<>(Call.class);

        synchronized void add(Call call, Behavior behavior) {
            byCall.computeIfAbsent(call, c -> new ArrayDeque<>()).add(behavior);
        }

        synchronized Behavior take(Call call) {
            ArrayDeque<Behavior> q = byCall.get(call);
            return q == null ? null : q.poll();
        }
    }

    /** Configures a {@link FakeExecutor}; not thread-safe. */
    public static final class Builder {
        private Duration latency = Duration.ZERO;
        private String hostname = "fake";
        private Clock clock = Clock.systemUTC();
        private FakeScript defaultScript;
        private final List<Interceptor> interceptors = new ArrayList<>();
        private Function<? super FakeController, ? extends Controller> wrapper;
        private boolean history = true;
        private String runtime;

        private Builder() {}

        /**
         * Makes the executor share its fake containers with every other executor built with the
         * same runtime name in this JVM (provider option {@code runtime}), as agents restarted on
         * one node share its container runtime: an executor built later re-adopts what an earlier
         * one started, as {@link FakeExecutor#successor()} does. The first executor built with a
         * name fixes the runtime; a name lives as long as the JVM, so tests use a fresh name
         * each. Default: none (the executor's containers are its own).
         *
         * @throws IllegalArgumentException if {@code name} is blank
         */
        public Builder runtime(String name) {
            if (Objects.requireNonNull(name, "name").isBlank()) {
                throw new IllegalArgumentException("fake: the runtime name is blank");
            }
            this.runtime = name;
            return this;
        }

        /**
         * The time every call takes before its behaviour, unless a script sets its own (provider
         * option {@code latency}). Default zero.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder latency(Duration latency) {
            if (latency.isNegative()) {
                throw new IllegalArgumentException("negative latency " + latency);
            }
            this.latency = latency;
            return this;
        }

        /** The hostname {@link FakeExecutor#describe()} reports. Default {@code fake}. */
        public Builder hostname(String hostname) {
            this.hostname = Objects.requireNonNull(hostname, "hostname");
            return this;
        }

        /**
         * The clock that stamps log messages and call records. Waiting (latency, delays, run
         * times, grace periods) uses the JVM's monotonic clock, unless this is a
         * {@link ManualClock}: then waiting follows it too, and time passes only when the test
         * advances it. Default {@link Clock#systemUTC()}.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The script of tasks that have no runtime at all; null (the default) refuses them. */
        public Builder defaultScript(FakeScript script) {
            this.defaultScript = script;
            return this;
        }

        /**
         * Adds an interceptor around every scriptable call; the first added is the outermost.
         */
        public Builder interceptor(Interceptor interceptor) {
            interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /**
         * Makes {@link FakeExecutor#controller} return {@code wrapper.apply(fakeController)}
         * instead of the fake controller itself, for example a {@link ForwardingController}
         * subclass. The executor keeps tracking the fake controller it made.
         */
        public Builder wrapControllers(
                Function<? super FakeController, ? extends Controller> wrapper) {
            this.wrapper = Objects.requireNonNull(wrapper, "wrapper");
            return this;
        }

        /**
         * Whether to keep every call record and every controller until the executor is dropped
         * (the default). Without history, calls are not recorded and closed controllers are
         * forgotten, so memory stays bounded in long runs such as benchmarks; {@link #leaks()}
         * still reports unclosed controllers and unremoved containers.
         */
        public Builder history(boolean keep) {
            this.history = keep;
            return this;
        }

        /** The executor. */
        public FakeExecutor build() {
            return new FakeExecutor(copy(), null);
        }

        /** A snapshot, so that later changes to this builder do not reach successors. */
        private Builder copy() {
            Builder b = new Builder();
            b.latency = latency;
            b.hostname = hostname;
            b.clock = clock;
            b.defaultScript = defaultScript;
            b.interceptors.addAll(interceptors);
            b.wrapper = wrapper;
            b.history = history;
            b.runtime = runtime;
            return b;
        }
    }
}

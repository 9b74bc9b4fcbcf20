package dev.taskexec.executor.fake;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.taskexec.api.ContainerStatuser;
import dev.taskexec.api.Controller;
import dev.taskexec.api.ControllerClosedException;
import dev.taskexec.api.ControllerLogs;
import dev.taskexec.api.LogPublisher;
import dev.taskexec.api.PortStatuser;
import dev.taskexec.api.proto.ContainerStatus;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import dev.taskexec.api.proto.PortStatus;
import dev.taskexec.api.proto.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A controller of the {@link FakeExecutor}: drives one task's fake workload by its
 * {@link FakeScript}, strictly, and records every call.
 *
 * <h2>What each call does</h2>
 * Every call but {@link #close()} goes through the same steps: it is recorded; it passes through
 * the executor's {@link Interceptor}s; it throws {@link ControllerClosedException} if this
 * controller is closed; it takes the latency; its {@link Behavior} runs (a fault
 * {@linkplain FakeExecutor#inject injected} for the task, else the script's next step for that
 * call); and if that returned normally, the call has its effect, as a real backend would:
 * <ul>
 * <li>{@link #update}: ignored once the workload exited or the task was removed;
 *     {@link dev.taskexec.api.TaskUpdateRejectedException} if the task id or the runtime spec
 *     (container, generic or attachment) differs; otherwise the controller uses the new task (for
 *     example in log contexts).
 * <li>{@link #prepare}: creates the fake container; {@link dev.taskexec.api.TaskAlreadyPreparedException}
 *     if it exists (whether prepared, running or exited).
 * <li>{@link #start}: runs the workload; {@link CallOutOfOrderException} before prepare,
 *     {@link dev.taskexec.api.TaskAlreadyStartedException} if it was ever started.
 * <li>{@link #await}: blocks until the workload exits; normal return for exit code 0, else an
 *     {@link dev.taskexec.api.ExitException} with the code and the container status.
 *     {@link CallOutOfOrderException} before start. Repeats the outcome without blocking once
 *     exited. A scripted exit code on {@code start} or {@code await} (see
 *     {@link Behavior#exit(int, String)}) also ends the workload with that code.
 * <li>{@link #shutdown}: stops a running workload gracefully (see {@link FakeScript}); a workload
 *     that ignores the stop signal is killed after the grace period, during which this blocks.
 *     Otherwise nothing to do.
 * <li>{@link #terminate}: kills a running workload (exit code 137); otherwise nothing to do.
 * <li>{@link #remove}: kills a running workload and frees the fake container; idempotent.
 *     Afterwards {@code prepare}, {@code start}, {@code await} and {@code logs} throw
 *     {@link CallOutOfOrderException}, {@code update} is ignored, and {@code shutdown},
 *     {@code terminate} and {@code remove} have nothing to do.
 * <li>{@link #logs}: publishes the task's output; see the method.
 * </ul>
 *
 * <h2>Shared state</h2>
 * A task's fake container belongs to the executor, keyed by task id, not to a controller: every
 * controller made for the task before it is removed drives the same container, as Docker
 * controllers find their container by name. Closing a controller frees nothing of the task's.
 *
 * <h2>Blocking, interruption, closing</h2>
 * Each call blocks only in its behaviour (delay, block), in its latency, in {@code await}, in the
 * grace period of a {@code shutdown}, and in {@code logs} with follow. All of these end promptly
 * when the calling thread is interrupted ({@link InterruptedException}, interrupt flag cleared) or
 * when this controller is closed ({@link ControllerClosedException}). The controller is
 * thread-safe: {@code shutdown}, {@code terminate} and {@code close} may run while {@code await}
 * blocks in another thread, and they wake it.
 *
 * <p>Instances are made only by {@link FakeExecutor#controller}; to change how one call works,
 * use an {@link Interceptor}, or wrap the controller (for example in a
 * {@link ForwardingController}) with {@link FakeExecutor.Builder#wrapControllers}.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class FakeController
        implements Controller, ControllerLogs, ContainerStatuser, PortStatuser {

    private final long id;
    private final FakeExecutor executor;
    private final FakeInstance instance;
    private final Task createdFor;
    private volatile boolean closed;
    private final List<Entry> entries;

    FakeController(long id, FakeExecutor executor, FakeInstance instance, Task task) {
        this.id = id;
        this.executor = executor;
        this.instance = instance;
        this.createdFor = task;
        this.entries = new ArrayList<>(executor.keepsHistory() ? 8 : 0);
    }

    /** This controller's number: 1 for the executor's first, then counting up. */
    public long id() {
        return id;
    }

    /** The id of the task it controls. */
    public String taskId() {
        return instance.taskId();
    }

    /** The task as last given by {@code controller} or an accepted {@link #update}. */
    public Task task() {
        return instance.task();
    }

    /** The task this controller was made for, as passed to {@link FakeExecutor#controller}. */
    public Task createdFor() {
        return createdFor;
    }

    /** The script the task's fake container follows. */
    public FakeScript script() {
        return instance.script();
    }

    /** The executor that made it. */
    public FakeExecutor executor() {
        return executor;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Whether the task's fake container was removed (by this or another controller of the task),
     * so that nothing of it remains.
     */
    public boolean isRemoved() {
        return instance.state() == FakeInstance.State.REMOVED;
    }

    /**
     * Every call made on this controller so far, in the order they started; empty when the
     * executor keeps no {@linkplain FakeExecutor.Builder#history history}.
     */
    public List<CallRecord> calls() {
        synchronized (entries) {
            List<CallRecord> out = new ArrayList<>(entries.size());
            for (Entry e : entries) {
                out.add(e.snapshot());
            }
            return out;
        }
    }

    /** The calls made so far, in start order, without their outcomes: {@code [PREPARE, START]}. */
    public List<Call> callSequence() {
        synchronized (entries) {
            List<Call> out = new ArrayList<>(entries.size());
            for (Entry e : entries) {
                out.add(e.call);
            }
            return out;
        }
    }

    /** How many calls of this kind were made so far (0 when the executor keeps no history). */
    public int count(Call call) {
        synchronized (entries) {
            int n = 0;
            for (Entry e : entries) {
                if (e.call == call) {
                    n++;
                }
            }
            return n;
        }
    }

    @Override
    public void update(Task task) throws Exception {
        Objects.requireNonNull(task, "task");
        invoke(Call.UPDATE, task, () -> instance.update(task));
    }

    @Override
    public void prepare() throws Exception {
        invoke(Call.PREPARE, null, () -> instance.prepare());
    }

    @Override
    public void start() throws Exception {
        invoke(Call.START, null, () -> instance.start());
    }

    @Override
    public void await() throws Exception {
        invoke(Call.AWAIT, null, () -> instance.await(this));
    }

    @Override
    public void shutdown() throws Exception {
        invoke(Call.SHUTDOWN, null, () -> instance.shutdown(this));
    }

    @Override
    public void terminate() throws Exception {
        invoke(Call.TERMINATE, null, () -> instance.terminate());
    }

    @Override
    public void remove() throws Exception {
        invoke(Call.REMOVE, null, () -> instance.remove());
    }

    /**
     * Publishes the task's log messages: the scripted output written at start and lines
     * {@linkplain FakeExecutor#emit emitted} since, one {@link dev.taskexec.api.proto.LogMessage}
     * per line, oldest first, selected by {@link dev.taskexec.api.support.LogSelection} as on every
     * backend: {@code streams} (empty for all), {@code since} (strictly after), then swarmkit's
     * {@code tail}: 0 all, {@code n > 0} skips the first n (going on into followed messages if
     * fewer were present), {@code n < 0} keeps the last {@code -n-1} of those present when the call
     * began. Without {@code follow} it returns after the last present message. With it, it
     * then publishes new messages as they come, and returns once the workload has exited (or the
     * task was removed) and everything was published; it ends early when interrupted
     * ({@link InterruptedException}) or closed ({@link ControllerClosedException}). Before start,
     * a follow waits for the workload to start and write. A failure of the publisher ends the call
     * with that failure.
     *
     * @throws CallOutOfOrderException after the task was removed
     */
    @Override
    public void logs(LogPublisher publisher, LogSubscriptionOptions options) throws Exception {
        Objects.requireNonNull(publisher, "publisher");
        Objects.requireNonNull(options, "options");
        invoke(Call.LOGS, null, () -> instance.logs(this, publisher, options));
    }

    /**
     * The fake container's id ({@code fake-<task id>}), its pid while running, and its exit code
     * once exited; empty before prepare and after remove. Never blocks; works after close.
     */
    @Override
    public Optional<ContainerStatus> containerStatus() {
        return instance.containerStatus();
    }

    /**
     * The scripted ports while the workload runs; empty otherwise, and when none are scripted.
     * Never blocks; works after close.
     */
    @Override
    public Optional<PortStatus> portStatus() {
        return instance.portStatus();
    }

    /**
     * Marks this controller closed and wakes its blocked calls, which throw
     * {@link ControllerClosedException}. Frees nothing of the task's (see {@link #remove()}).
     * Idempotent; every call is recorded.
     */
    @Override
    public void close() {
        Entry e = begin(Call.CLOSE);
        closed = true;
        instance.wake();
        executor.closed(this);
        if (e != null) {
            e.end(null);
        }
    }

    @Override
    public String toString() {
        return "FakeController c" + id + " for " + instance + (closed ? ", closed" : "");
    }

    // ---- the call pipeline ----

    @FunctionalInterface
    interface Effect {
        void run() throws Exception;
    }

    private void invoke(Call call, Task update, Effect effect) throws Exception {
        Entry e = begin(call);
        try {
            List<Interceptor> interceptors = executor.interceptors();
            if (interceptors.isEmpty()) {
                perform(call, effect);
            } else {
                new Chain(call, update, effect, interceptors, 0).proceed();
            }
            if (e != null) {
                e.end(null);
            }
        } catch (Exception | Error failure) {
            if (e != null) {
                e.end(failure);
            }
            throw failure;
        }
    }

    private void perform(Call call, Effect effect) throws Exception {
        if (closed) {
            throw new ControllerClosedException(
                    "fake: "
                            + call.word()
                            + " on the closed controller c"
                            + id
                            + " of task "
                            + instance.taskId());
        }
        Context context = new Context(call);
        Duration latency = instance.latency();
        if (!latency.isZero()) {
            context.sleep(latency);
        }
        Behavior injected = executor.takeInjected(instance.taskId(), call);
        Behavior behavior = injected != null ? injected : instance.nextBehavior(call);
        try {
            behavior.perform(context);
        } catch (Exception scripted) {
            instance.scriptedFailure(call, scripted);
            throw scripted;
        }
        effect.run();
    }

    /** Records the start of a call; null when the executor keeps no history. */
    private Entry begin(Call call) {
        if (!executor.keepsHistory()) {
            return null;
        }
        Thread t = Thread.currentThread();
        String thread = t.getName().isEmpty() ? "#" + t.threadId() : t.getName();
        Entry e = new Entry(executor.nextSequence(), call, thread, executor.clock().instant());
        synchronized (entries) {
            entries.add(e);
        }
        return e;
    }

    /** A call in progress or done; mutable only by the thread making the call. */
    private final class Entry {
        final long sequence;
        final Call call;
        final String thread;
        final Instant startedAt;
        final long startNanos = System.nanoTime();
        volatile boolean done;
        volatile long elapsedNanos;
        volatile Throwable failure;

        Entry(long sequence, Call call, String thread, Instant startedAt) {
            this.sequence = sequence;
            this.call = call;
            this.thread = thread;
            this.startedAt = startedAt;
        }

        void end(Throwable failure) {
            this.elapsedNanos = System.nanoTime() - startNanos;
            this.failure = failure;
            this.done = true;
        }

        CallRecord snapshot() {
            if (!done) {
                return new CallRecord(
                        sequence,
                        id,
                        call,
                        thread,
                        startedAt,
                        CallRecord.Outcome.IN_PROGRESS,
                        null,
                        null);
            }
            Throwable f = failure;
            return new CallRecord(
                    sequence,
                    id,
                    call,
                    thread,
                    startedAt,
                    f == null ? CallRecord.Outcome.SUCCEEDED : CallRecord.Outcome.FAILED,
                    Duration.ofNanos(elapsedNanos),
                    f);
        }
    }

    private final class Context implements BehaviorContext {
        private final Call call;

        Context(Call call) {
            this.call = call;
        }

        @Override
        public Call call() {
            return call;
        }

        @Override
        public String taskId() {
            return instance.taskId();
        }

        @Override
        public Optional<ContainerStatus> containerStatus() {
            return instance.containerStatus();
        }

        @Override
        public void sleep(Duration duration)
                throws InterruptedException, ControllerClosedException {
            instance.sleep(FakeController.this, duration);
        }

        @Override
        public void block() throws InterruptedException, ControllerClosedException {
            instance.block(FakeController.this);
        }
    }

    private final class Chain implements Invocation {
        private final Call call;
        private final Task update;
        private final Effect effect;
        private final List<Interceptor> interceptors;
        private final int index;

        Chain(Call call, Task update, Effect effect, List<Interceptor> interceptors, int index) {
            this.call = call;
            this.update = update;
            this.effect = effect;
            this.interceptors = interceptors;
            this.index = index;
        }

        @Override
        public Call call() {
            return call;
        }

        @Override
        public FakeController controller() {
            return FakeController.this;
        }

        @Override
        public Task task() {
            return update != null ? update : instance.task();
        }

        @Override
        public void proceed() throws Exception {
            if (index == interceptors.size()) {
                perform(call, effect);
            } else {
                interceptors
                        .get(index)
                        .intercept(new Chain(call, update, effect, interceptors, index + 1));
            }
        }
    }
}

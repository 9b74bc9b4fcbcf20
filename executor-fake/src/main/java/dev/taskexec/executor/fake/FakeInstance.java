package dev.taskexec.executor.fake;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.taskexec.api.ControllerClosedException;
import dev.taskexec.api.Errors;
import dev.taskexec.api.ExitCoder;
import dev.taskexec.api.ExitException;
import dev.taskexec.api.LogPublisher;
import dev.taskexec.api.TaskAlreadyPreparedException;
import dev.taskexec.api.TaskAlreadyStartedException;
import dev.taskexec.api.TaskUpdateRejectedException;
import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.ContainerStatus;
import dev.taskexec.api.proto.LogContext;
import dev.taskexec.api.proto.LogMessage;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import dev.taskexec.api.proto.PortStatus;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskSpec;
import dev.taskexec.api.support.ExitMessages;
import dev.taskexec.api.support.LogSelection;
import dev.taskexec.api.support.TaskSpecDefaults;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The fake "container" of one task: what a real backend would find by the task's id (Docker finds
 * its container by name). Every controller made for the task while it exists shares it, so a new
 * controller for a running task sees it running, as after an agent restart.
 *
 * <p>All state is guarded by {@link #lock}; every change signals {@link #changed}, on which every
 * waiting call waits (await, an ignored stop's grace period, behaviours' sleeps, log followers),
 * each rechecking its own condition, its controller's closed flag and its interruption. The
 * workload's own exit is not a timer: it is noticed lazily by {@link #refresh()} whenever the
 * state is looked at, which keeps an idle task free of threads and timers.
 */
final class FakeInstance {

    enum State {
        CREATED,
        PREPARED,
        RUNNING,
        EXITED,
        REMOVED
    }

    private static final long NEVER = Long.MAX_VALUE;

    private final FakeExecutor executor;
    private final String taskId;
    private final FakeScript script;
    private final TaskSpec runtimeSpec;
    private final Duration grace;
    private final Duration latency;
    private final String containerId;
    private final Optional<PortStatus> ports;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    // Guarded by lock.
    private Task task;
    private State state = State.CREATED;
    private final int[] callCounts = new int[Call.values().length];
    private int pid;
    private long exitAtNanos = NEVER;
    private int exitCode;
    private String exitReason;
    private ContainerStatus exitStatus;
    private boolean everPrepared;
    private List<LogMessage> logs;
    // Built once per state change, so that polling the status allocates nothing.
    private Optional<ContainerStatus> status = Optional.empty();

    FakeInstance(FakeExecutor executor, Task task, FakeScript script) {
        this.executor = executor;
        this.taskId = task.getId();
        this.task = task;
        this.script = script;
        this.runtimeSpec = runtimeOf(task);
        // the task's stop fields are checked as on every backend, even where the script overrides
        // them
        ContainerSpec container = task.getSpec().getContainer();
        TaskSpecDefaults.stopSignal(container);
        Duration taskGrace = TaskSpecDefaults.stopGracePeriod(container);
        this.grace = script.grace().orElse(taskGrace);
        this.latency = script.latency().orElse(executor.latency());
        this.containerId = "fake-" + taskId;
        this.ports =
                script.ports().isEmpty()
                        ? Optional.empty()
                        : Optional.of(PortStatus.newBuilder().addAllPorts(script.ports()).build());
    }

    /** The part of a task that must not change on update: its runtime. */
    private static TaskSpec runtimeOf(Task task) {
        TaskSpec spec = task.getSpec();
        TaskSpec.Builder b = TaskSpec.newBuilder();
        switch (spec.getRuntimeCase()) {
            case CONTAINER -> b.setContainer(spec.getContainer());
            case GENERIC -> b.setGeneric(spec.getGeneric());
            case ATTACHMENT -> b.setAttachment(spec.getAttachment());
            default -> {}
        }
        return b.build();
    }

    String taskId() {
        return taskId;
    }

    FakeScript script() {
        return script;
    }

    Duration latency() {
        return latency;
    }

    Task task() {
        lock.lock();
        try {
            return task;
        } finally {
            lock.unlock();
        }
    }

    State state() {
        lock.lock();
        try {
            refresh();
            return state;
        } finally {
            lock.unlock();
        }
    }

    /** Whether it holds resources a remove must free: prepared at some point, not yet removed. */
    boolean allocated() {
        lock.lock();
        try {
            return everPrepared && state != State.REMOVED;
        } finally {
            lock.unlock();
        }
    }

    /** The scripted behaviour for the next call of this kind, advancing the call's sequence. */
    Behavior nextBehavior(Call call) {
        int n;
        lock.lock();
        try {
            n = callCounts[call.ordinal()];
            if (n < Integer.MAX_VALUE) {
                callCounts[call.ordinal()] = n + 1;
            }
        } finally {
            lock.unlock();
        }
        return script.behavior(call, n);
    }

    /** Wakes every waiter so it rechecks its condition (a controller was closed). */
    void wake() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ---- lifecycle effects, called after the call's behaviour returned normally ----

    void update(Task newTask) throws TaskUpdateRejectedException {
        lock.lock();
        try {
            refresh();
            if (state == State.EXITED || state == State.REMOVED) {
                return;
            }
            if (!newTask.getId().equals(taskId)) {
                throw new TaskUpdateRejectedException(
                        "fake: update for task \""
                                + newTask.getId()
                                + "\" given to the controller of task \""
                                + taskId
                                + "\"");
            }
            if (!runtimeOf(newTask).equals(runtimeSpec)) {
                throw new TaskUpdateRejectedException(
                        "fake: task " + taskId + ": the runtime spec cannot change on a live task");
            }
            task = newTask;
        } finally {
            lock.unlock();
        }
    }

    void prepare() throws Exception {
        lock.lock();
        try {
            refresh();
            switch (state) {
                case CREATED -> {
                    setState(State.PREPARED);
                    everPrepared = true;
                    changed.signalAll();
                }
                case PREPARED, RUNNING, EXITED ->
                        throw new TaskAlreadyPreparedException(
                                "fake: task " + taskId + " is already prepared");
                case REMOVED -> throw removed(Call.PREPARE);
            }
        } finally {
            lock.unlock();
        }
    }

    void start() throws Exception {
        lock.lock();
        try {
            refresh();
            switch (state) {
                case CREATED ->
                        throw new CallOutOfOrderException(
                                "fake: start before prepare for task " + taskId);
                case PREPARED -> {
                    pid = executor.nextPid();
                    setState(State.RUNNING);
                    exitAtNanos =
                            script.runFor()
                                    .map(d -> executor.nanoTime() + saturatedNanos(d))
                                    .orElse(NEVER);
                    for (LogLine line : script.output()) {
                        appendLog(line);
                    }
                    changed.signalAll();
                    refresh();
                }
                case RUNNING, EXITED ->
                        throw new TaskAlreadyStartedException(
                                "fake: task " + taskId + " was already started");
                case REMOVED -> throw removed(Call.START);
            }
        } finally {
            lock.unlock();
        }
    }

    void await(FakeController caller) throws Exception {
        lock.lock();
        try {
            refresh();
            if (state == State.CREATED || state == State.PREPARED) {
                throw new CallOutOfOrderException("fake: await before start for task " + taskId);
            }
            if (state == State.REMOVED) {
                throw removed(Call.AWAIT);
            }
            while (state == State.RUNNING) {
                waitLocked(caller, NEVER);
                refresh();
            }
            if (exitCode != 0) {
                throw new ExitException(exitCode, exitReason, exitStatus);
            }
        } finally {
            lock.unlock();
        }
    }

    void shutdown(FakeController caller) throws Exception {
        lock.lock();
        try {
            refresh();
            if (state != State.RUNNING) {
                return;
            }
            if (!script.ignoresStop()) {
                exit(
                        script.stopExitCode(),
                        "fake: task " + taskId + " stopped, exit code " + script.stopExitCode());
                return;
            }
            long killAt = executor.nanoTime() + saturatedNanos(grace);
            while (state == State.RUNNING) {
                if (executor.nanoTime() - killAt >= 0) {
                    exit(
                            FakeScript.KILL_EXIT_CODE,
                            "fake: task "
                                    + taskId
                                    + " ignored the stop signal and was killed after its grace period");
                    break;
                }
                waitLocked(caller, killAt);
                refresh();
            }
        } finally {
            lock.unlock();
        }
    }

    void terminate() {
        lock.lock();
        try {
            refresh();
            if (state == State.RUNNING) {
                exit(FakeScript.KILL_EXIT_CODE, "fake: task " + taskId + " was killed");
            }
        } finally {
            lock.unlock();
        }
    }

    void remove() {
        lock.lock();
        try {
            refresh();
            if (state == State.REMOVED) {
                return;
            }
            if (state == State.RUNNING) {
                exit(FakeScript.KILL_EXIT_CODE, "fake: task " + taskId + " was killed by remove");
            }
            setState(State.REMOVED);
            logs = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        executor.forget(this);
    }

    /**
     * Keeps the workload consistent with a scripted exit code: a start that fails with one means
     * the workload ran and died at once, an await that fails with one means it exited with it, so
     * the container status reports that code afterwards too. Other failures change nothing.
     */
    void scriptedFailure(Call call, Exception failure) {
        if (call != Call.START && call != Call.AWAIT) {
            return;
        }
        Optional<ExitCoder> exit = Errors.find(failure, ExitCoder.class);
        if (exit.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            refresh();
            if (call == Call.START && state == State.PREPARED) {
                pid = executor.nextPid();
                setState(State.RUNNING);
                exit(exit.get().exitCode(), failure.getMessage());
            } else if (call == Call.AWAIT && state == State.RUNNING) {
                exit(exit.get().exitCode(), failure.getMessage());
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- behaviours' waiting ----

    void sleep(FakeController caller, Duration d)
            throws InterruptedException, ControllerClosedException {
        long until = executor.nanoTime() + saturatedNanos(d);
        lock.lock();
        try {
            while (executor.nanoTime() - until < 0) {
                waitLocked(caller, until);
            }
        } finally {
            lock.unlock();
        }
    }

    void block(FakeController caller) throws InterruptedException, ControllerClosedException {
        lock.lock();
        try {
            while (true) {
                waitLocked(caller, NEVER);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * One wait on {@link #changed}, bounded by {@code deadline} and by the workload's own exit.
     * Spurious and unrelated wake-ups are fine: every caller loops on its own condition.
     */
    private void waitLocked(FakeController caller, long deadline)
            throws InterruptedException, ControllerClosedException {
        if (caller.isClosed()) {
            throw new ControllerClosedException(
                    "fake: controller of task " + taskId + " is closed");
        }
        long until = Math.min(deadline, state == State.RUNNING ? exitAtNanos : NEVER);
        if (until == NEVER) {
            changed.await();
            return;
        }
        if (executor.manualTime()) {
            // Manual time moves only by ManualClock.advance, which wakes the registered waiters.
            // Registering before reading the time means an advance cannot slip in unnoticed.
            executor.timedWaiter(this, true);
            try {
                if (until - executor.nanoTime() > 0) {
                    changed.await();
                } else if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            } finally {
                executor.timedWaiter(this, false);
            }
            return;
        }
        long left = until - executor.nanoTime();
        if (left > 0) {
            changed.awaitNanos(left);
        } else if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    // ---- status ----

    Optional<ContainerStatus> containerStatus() {
        lock.lock();
        try {
            refresh();
            return status;
        } finally {
            lock.unlock();
        }
    }

    private void setState(State next) {
        state = next;
        status =
                switch (next) {
                    case CREATED, REMOVED -> Optional.empty();
                    case PREPARED ->
                            Optional.of(
                                    ContainerStatus.newBuilder()
                                            .setContainerId(containerId)
                                            .build());
                    case RUNNING ->
                            Optional.of(
                                    ContainerStatus.newBuilder()
                                            .setContainerId(containerId)
                                            .setPid(pid)
                                            .build());
                    case EXITED ->
                            Optional.of(
                                    ContainerStatus.newBuilder()
                                            .setContainerId(containerId)
                                            .setExitCode(exitCode)
                                            .build());
                };
        changed.signalAll();
    }

    Optional<PortStatus> portStatus() {
        if (ports.isEmpty()) {
            return ports;
        }
        lock.lock();
        try {
            refresh();
            return state == State.RUNNING ? ports : Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    // ---- logs ----

    void emit(LogLine line) {
        lock.lock();
        try {
            refresh();
            if (state != State.RUNNING) {
                throw new IllegalStateException(
                        "fake: task "
                                + taskId
                                + " has no running workload"
                                + " to write output (its fake container is "
                                + state
                                + ")");
            }
            appendLog(line);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void appendLog(LogLine line) {
        if (logs == null) {
            logs = new ArrayList<>(Math.max(4, script.output().size()));
        }
        Instant now = executor.clock().instant();
        String nodeId = task.getNodeId().isEmpty() ? executor.nodeId() : task.getNodeId();
        logs.add(
                LogMessage.newBuilder()
                        .setContext(
                                LogContext.newBuilder()
                                        .setServiceId(task.getServiceId())
                                        .setNodeId(nodeId)
                                        .setTaskId(taskId))
                        .setTimestamp(
                                Timestamp.newBuilder()
                                        .setSeconds(now.getEpochSecond())
                                        .setNanos(now.getNano()))
                        .setStream(line.stream())
                        .setData(ByteString.copyFrom(line.text(), StandardCharsets.UTF_8))
                        .build());
    }

    void logs(FakeController caller, LogPublisher publisher, LogSubscriptionOptions options)
            throws Exception {
        LogSelection.Pass pass = LogSelection.of(options).newPass();
        List<LogMessage> batch = new ArrayList<>();
        int cursor;
        lock.lock();
        try {
            if (state == State.REMOVED) {
                throw removed(Call.LOGS);
            }
            cursor = logs == null ? 0 : logs.size();
            for (int i = 0; i < cursor; i++) {
                pass.past(logs.get(i), batch::add);
            }
            pass.endOfPast(batch::add);
        } finally {
            lock.unlock();
        }
        // published outside the lock: a slow publisher must not hold up the workload
        publishAll(batch, publisher);
        if (!options.getFollow()) {
            return;
        }
        while (true) {
            lock.lock();
            try {
                refresh();
                while (logs == null || logs.size() == cursor) {
                    if (outputEnded()) {
                        return;
                    }
                    waitLocked(caller, NEVER);
                    refresh();
                }
                for (int i = cursor; i < logs.size(); i++) {
                    pass.live(logs.get(i), batch::add);
                }
                cursor = logs.size();
            } finally {
                lock.unlock();
            }
            publishAll(batch, publisher);
        }
    }

    private static void publishAll(List<LogMessage> batch, LogPublisher publisher)
            throws Exception {
        for (LogMessage m : batch) {
            publisher.publish(m);
        }
        batch.clear();
    }

    /** Whether the workload can write nothing more: it exited, or the task was removed. */
    private boolean outputEnded() {
        return state == State.EXITED || state == State.REMOVED;
    }

    // ---- internals ----

    /** Notices that a running workload's time is up. */
    private void refresh() {
        if (state == State.RUNNING
                && exitAtNanos != NEVER
                && executor.nanoTime() - exitAtNanos >= 0) {
            exit(script.exitCode(), null);
        }
    }

    private void exit(int code, String reason) {
        exitCode = code;
        setState(State.EXITED);
        exitStatus = status.orElseThrow();
        exitReason = reason != null ? reason : ExitMessages.nonZeroExit(code);
        exitAtNanos = NEVER;
        changed.signalAll();
    }

    private CallOutOfOrderException removed(Call call) {
        return new CallOutOfOrderException(
                "fake: " + call.word() + " after task " + taskId + " was removed");
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2;
        }
    }

    @Override
    public String toString() {
        return "task " + taskId + " (" + state() + ")";
    }
}

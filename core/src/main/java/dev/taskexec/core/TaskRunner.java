package dev.taskexec.core;

import static org.apiguardian.api.API.Status.STABLE;

import dev.taskexec.api.Controller;
import dev.taskexec.api.Errors;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskStatus;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one task at its desired state: swarmkit's task manager.
 *
 * <p>A runner owns one thread (virtual by default, see {@link RunnerOptions#threadFactory()}),
 * started by {@link #start}. On it, the runner calls {@link Lifecycle#step} until the step is a
 * {@link Step.Outcome#NOOP NOOP}, puts each returned status back on the task, reports every status
 * that differs from the previous one to its {@link StatusReporter}, and then parks until an
 * {@link #update(Task) update} or {@link #close() close} arrives. A
 * {@link Step.Outcome#RETRY RETRY} is stepped again after a delay drawn from the
 * {@link BackoffPolicy} (exponential, full jitter), waited out through the {@link Sleeper}.
 *
 * <p><b>Interruption.</b> An accepted update interrupts the runner's thread while a controller
 * operation or a backoff is in progress (a blocking {@code await}, typically), so the new desired
 * state is acted on at once instead of after the operation ends: the interrupted step comes back
 * as RETRY, which the runner re-drives immediately, without backoff, after giving the controller
 * the new task. An update that changes nothing but the status or the meta interrupts nothing. The
 * thread is never interrupted while it reports, so a reporter sees an interrupt only from
 * {@link #close()}.
 *
 * <p><b>Reporting.</b> The reporter is called on the runner's thread, in order. A reporter that
 * throws is logged and ignored; one that blocks delays this task only (every runner has its own
 * thread) until it returns or {@link #close()} interrupts it.
 *
 * <p><b>Ownership.</b> The runner drives the controller but does not own it: it never calls
 * {@link Controller#remove()} or {@link Controller#close()}; whoever made the controller does,
 * after closing the runner ({@link Worker} does this for its tasks).
 *
 * <p><b>Threads.</b> All methods are thread-safe. Controller calls run on the runner's virtual
 * thread, so a backend must block in ways that unmount it (locks, conditions, futures, sockets,
 * {@code Process} streams), not in native calls that pin the carrier: with one carrier per core,
 * a few pinned threads stall every runner of the JVM, including their interruption by updates and
 * {@link #close()}.
 */
@API(status = STABLE, since = "0.1")
public final class TaskRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);

    /** What the runner's thread is doing: decides whether an update or close may interrupt it. */
    private enum Phase {
        IDLE,
        OPERATING,
        BACKING_OFF,
        REPORTING
    }

    private final String taskId;
    private final Controller controller;
    private final StatusReporter reporter;
    private final RunnerOptions options;
    private final Thread thread;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();

    /** The canonical task, status included; written by the runner's thread only. */
    private volatile Task task;

    /** An accepted update the runner's thread has not taken yet. Guarded by {@link #lock}. */
    private Task pending;

    /** Guarded by {@link #lock}. */
    private Phase phase = Phase.IDLE;

    /** Guarded by {@link #lock}. */
    private boolean closing;

    private TaskRunner(
            Task task, Controller controller, StatusReporter reporter, RunnerOptions options) {
        this.taskId = task.getId();
        this.task = task;
        this.controller = controller;
        this.reporter = reporter;
        this.options = options;
        Thread t = options.threadFactory().newThread(this::run);
        if (t == null) {
            throw new IllegalStateException(
                    "the thread factory refused to make a thread for task " + taskId);
        }
        t.setName("taskexec-task-" + taskId);
        this.thread = t;
    }

    /**
     * Starts driving {@code task} with {@link RunnerOptions#defaults() default options}.
     *
     * @see #start(Task, Controller, StatusReporter, RunnerOptions)
     */
    public static TaskRunner start(Task task, Controller controller, StatusReporter reporter) {
        return start(task, controller, reporter, RunnerOptions.defaults());
    }

    /**
     * Starts a thread that drives {@code task} towards its desired state with {@code controller}.
     * Returns at once; the task's current status (the one it carries) is not reported again.
     *
     * @param task the task, carrying its current status (for a fresh task, the status
     *     {@link Lifecycle#resolve} returned); its id must not be empty
     * @param controller the task's controller, still owned by the caller
     * @param reporter receives every new status
     * @param options backoff, clock, jitter, sleeper and thread factory
     * @return the running runner; close it to stop
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if the task's id is empty
     * @throws IllegalStateException if the thread factory makes no thread
     */
    public static TaskRunner start(
            Task task, Controller controller, StatusReporter reporter, RunnerOptions options) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(controller, "controller");
        Objects.requireNonNull(reporter, "reporter");
        Objects.requireNonNull(options, "options");
        if (task.getId().isEmpty()) {
            throw new IllegalArgumentException("task id must not be empty");
        }
        TaskRunner runner = new TaskRunner(task, controller, reporter, options);
        runner.thread.start();
        return runner;
    }

    /** The id of the task this runner drives. */
    public String taskId() {
        return taskId;
    }

    /** The latest status of the task: the last one a step returned, reported or about to be. */
    public TaskStatus status() {
        return task.getStatus();
    }

    /**
     * The task as the runner currently drives it: the last update it has taken, with the latest
     * status. An update accepted but not yet taken by the runner's thread is not in it.
     */
    public Task task() {
        return task;
    }

    /**
     * Gives the runner a newer version of its task. Returns at once; the runner's thread applies
     * it ({@link Controller#update} first, then steps), interrupting an operation or backoff in
     * progress so that a raised desired state takes effect at once.
     *
     * <p>Ignored (and {@code false} returned) when the task has another id or a lower desired
     * state than the latest accepted one (both logged, as they point at a confused caller), when
     * it equals that one apart from its status and meta (which interrupts nothing), or when the
     * runner is closed. The runner keeps its own status: the status carried by {@code update} is
     * discarded, as the runner's is canonical.
     *
     * @param update the new version of the task
     * @return whether the update was accepted
     * @throws NullPointerException if {@code update} is null
     */
    public boolean update(Task update) {
        Objects.requireNonNull(update, "update");
        if (!update.getId().equals(taskId)) {
            log.warn("task {}: ignoring an update for another task, {}", taskId, update.getId());
            return false;
        }
        lock.lock();
        try {
            if (closing) {
                log.debug("task {}: ignoring an update after close", taskId);
                return false;
            }
            Task latest = pending != null ? pending : task;
            if (update.getDesiredStateValue() < latest.getDesiredStateValue()) {
                log.warn(
                        "task {}: ignoring an update that lowers the desired state from {} to {}",
                        taskId,
                        latest.getDesiredState(),
                        update.getDesiredState());
                return false;
            }
            if (sameApartFromStatus(update, latest)) {
                return false;
            }
            pending = update;
            if (phase == Phase.OPERATING || phase == Phase.BACKING_OFF) {
                thread.interrupt();
            } else {
                wake.signal();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** swarmkit's TasksEqualStable: status and meta (versions, timestamps) do not count. */
    private static boolean sameApartFromStatus(Task a, Task b) {
        if (a.getStatus().equals(b.getStatus()) && a.getMeta().equals(b.getMeta())) {
            return a.equals(b);
        }
        return a.toBuilder()
                .clearStatus()
                .clearMeta()
                .build()
                .equals(b.toBuilder().clearStatus().clearMeta().build());
    }

    /** Whether the runner's thread has ended (after {@link #close()}). */
    public boolean isTerminated() {
        return !thread.isAlive();
    }

    /**
     * Stops the runner: interrupts the operation, backoff or report in progress, and waits until
     * the runner's thread has ended. The controller is left as it is (not shut down, removed or
     * closed). Idempotent; later {@link #update(Task) updates} are ignored.
     *
     * <p>If the calling thread is interrupted while waiting, this stops waiting and returns with
     * the interrupt flag set; the runner's thread still ends as soon as its current call returns.
     * Called from the runner's own thread (from its reporter), this does not wait.
     */
    @Override
    public void close() {
        signalClose();
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops the runner without waiting for it. {@link #close()} then waits; a {@link Worker} that
     * closes many runners signals all of them first so that they stop in parallel.
     */
    void signalClose() {
        lock.lock();
        try {
            if (closing) {
                return;
            }
            closing = true;
            if (phase != Phase.IDLE) {
                thread.interrupt();
            }
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        log.debug("task {}: runner started at {}", taskId, task.getStatus().getState());
        try {
            loop();
        } catch (RuntimeException | Error e) {
            // Lifecycle.step contains every failure of the controller; reaching this is a bug, and
            // a runner that vanished silently would leave its task unattended without a trace.
            log.error("task {}: runner failed and stopped", taskId, e);
            throw e;
        } finally {
            log.debug("task {}: runner stopped at {}", taskId, task.getStatus().getState());
        }
    }

    private void loop() {
        int retries = 0;
        boolean drive = true;
        boolean updated = false;
        while (true) {
            Task current;
            lock.lock();
            try {
                while (true) {
                    if (closing) {
                        return;
                    }
                    if (pending != null) {
                        task = pending.toBuilder().setStatus(task.getStatus()).build();
                        pending = null;
                        updated = true;
                        drive = true;
                        retries = 0;
                    }
                    if (drive) {
                        break;
                    }
                    wake.awaitUninterruptibly();
                }
                phase = Phase.OPERATING;
                current = task;
            } finally {
                lock.unlock();
            }

            Step step = null;
            try {
                if (updated) {
                    updated = !applyUpdate(current);
                }
                if (!updated) {
                    step = Lifecycle.step(current, controller, options.clock());
                }
            } finally {
                enterIdle();
            }
            if (step == null) {
                continue; // the update was interrupted by a newer one, or by close: take it first
            }

            TaskStatus next = step.status();
            if (next != current.getStatus() && !next.equals(current.getStatus())) {
                task = current.toBuilder().setStatus(next).build();
                report(next);
            }

            switch (step.outcome()) {
                case PROGRESSED -> {
                    retries = 0;
                    drive = true;
                }
                case NOOP -> drive = false;
                case RETRY -> {
                    drive = true;
                    backOff(retries);
                    retries = retries == Integer.MAX_VALUE ? retries : retries + 1;
                }
            }
        }
    }

    /**
     * Hands the controller the task after an update.
     *
     * @return whether the runner should go on to step: false only when the update was interrupted
     *     because a newer update or a close arrived, which the loop takes first
     */
    private boolean applyUpdate(Task current) {
        try {
            controller.update(current);
            return true;
        } catch (Exception e) {
            if (interruptedByUs(e)) {
                return false;
            }
            // swarmkit carries on with the step: a raised desired state must still take effect even
            // when the controller refused the rest of the update (an immutable field changed).
            log.warn("task {}: the controller refused the update: {}", taskId, e.toString());
            return true;
        }
    }

    private boolean interruptedByUs(Exception e) {
        lock.lock();
        try {
            return (pending != null || closing)
                    && Errors.find(e, InterruptedException.class).isPresent();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Leaves an interruptible phase. The interrupt flag is cleared under the lock, so an interrupt
     * meant for the finished operation can never hit the reporter or the next park.
     */
    private void enterIdle() {
        lock.lock();
        try {
            phase = Phase.IDLE;
            Thread.interrupted();
        } finally {
            lock.unlock();
        }
    }

    private void report(TaskStatus status) {
        lock.lock();
        try {
            if (closing) {
                return;
            }
            phase = Phase.REPORTING;
        } finally {
            lock.unlock();
        }
        try {
            reporter.report(taskId, status);
        } catch (InterruptedException e) {
            log.debug("task {}: reporting {} interrupted by close", taskId, status.getState());
        } catch (Exception e) {
            log.warn(
                    "task {}: the status reporter failed on {}; ignored",
                    taskId,
                    status.getState(),
                    e);
        } finally {
            enterIdle();
        }
    }

    private void backOff(int retries) {
        Duration delay = options.backoff().delay(retries, options.random());
        lock.lock();
        try {
            if (closing || pending != null) {
                return; // interrupted by an update or close: act on it now, not after a delay
            }
            phase = Phase.BACKING_OFF;
        } finally {
            lock.unlock();
        }
        try {
            log.debug("task {}: retry {} in {}", taskId, retries + 1, delay);
            options.sleeper().sleep(delay);
        } catch (InterruptedException e) {
            // an update or close cut the wait short; the loop takes it
        } catch (RuntimeException e) {
            log.warn("task {}: the sleeper failed; retrying without waiting", taskId, e);
        } finally {
            enterIdle();
        }
    }
}

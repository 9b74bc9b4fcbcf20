package dev.taskexec.core;

import static org.apiguardian.api.API.Status.STABLE;

import dev.taskexec.api.ControllerLogs;
import dev.taskexec.api.LogPublisher;
import dev.taskexec.api.proto.LogMessage;
import dev.taskexec.api.proto.LogSelector;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import dev.taskexec.api.proto.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running log subscription made by
 * {@link Worker#subscribeLogs(LogSelector, LogSubscriptionOptions, LogPublisher)}: the logs of
 * every task the selector matches, streamed to one publisher, until it is done or closed.
 *
 * <p><b>Matching.</b> A task matches when its id is among the selector's {@code task_ids}, or its
 * non-empty service id among {@code service_ids}, or its non-empty node id among
 * {@code node_ids} (swarmkit's rule: any one suffices). An empty selector matches nothing. Tasks
 * whose controller does not implement {@link ControllerLogs}, or whose controller could not be
 * resolved, are skipped.
 *
 * <p><b>Threads.</b> Every matching task streams on a thread of its own (so a task with a slow log
 * does not hold up another), but the publisher is never called concurrently: calls are
 * serialised, in order per task, interleaved between tasks. A publisher that blocks applies
 * back-pressure to every stream of this subscription; it must honour interruption so that
 * {@link #close()} can end it. A publisher or controller that throws ends that task's stream only;
 * the failure is logged.
 *
 * <p><b>End.</b> Without {@code follow}, the subscription covers the tasks that match when it is
 * made and is {@linkplain #isDone() done} once each has published what it had. With
 * {@code follow}, it also picks up matching tasks that start later, and is done only when closed.
 * A task removed from the worker has its stream interrupted. {@link #close()} ends every stream
 * and waits for their threads.
 *
 * <p>Thread-safe.
 */
@API(status = STABLE, since = "0.1")
public final class LogSubscription implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LogSubscription.class);

    private final LogSelector selector;
    private final LogSubscriptionOptions options;
    private final LogPublisher publisher;
    private final ThreadFactory threads;
    private final Consumer<LogSubscription> onClose;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    /** Streams in progress, by task id. Guarded by {@link #lock}. */
    private final Map<String, Thread> streams = new HashMap<>();

    /**
     * Every stream thread that may still be alive. A stream leaves {@link #streams} just before
     * its thread ends, so waiting for "done" also joins these. Guarded by {@link #lock}.
     */
    private final List<Thread> started = new ArrayList<>();

    /** Guarded by {@link #lock}. */
    private int pruneAt = 16;

    /** Whether the initial set of tasks has been attached. Guarded by {@link #lock}. */
    private boolean sealed;

    /** Guarded by {@link #lock}. */
    private boolean closed;

    LogSubscription(
            LogSelector selector,
            LogSubscriptionOptions options,
            LogPublisher publisher,
            ThreadFactory threads,
            Consumer<LogSubscription> onClose) {
        this.selector = selector;
        this.options = options;
        this.publisher = serialised(publisher);
        this.threads = threads;
        this.onClose = onClose;
    }

    /** Calls the user's publisher from one stream at a time, interruptibly. */
    private static LogPublisher serialised(LogPublisher target) {
        ReentrantLock publishing = new ReentrantLock();
        return (LogMessage message) -> {
            publishing.lockInterruptibly();
            try {
                target.publish(message);
            } finally {
                publishing.unlock();
            }
        };
    }

    /** Whether this subscription picks up tasks that start after it was made. */
    public boolean follows() {
        return options.getFollow();
    }

    boolean matches(Task task) {
        return selector.getTaskIdsList().contains(task.getId())
                || (!task.getServiceId().isEmpty()
                        && selector.getServiceIdsList().contains(task.getServiceId()))
                || (!task.getNodeId().isEmpty()
                        && selector.getNodeIdsList().contains(task.getNodeId()));
    }

    /**
     * Starts streaming a task's logs, unless this subscription is closed, no longer takes tasks
     * (without follow, after the initial set), or already streams that task.
     */
    void attach(String taskId, ControllerLogs logs) {
        lock.lock();
        try {
            if (closed || (sealed && !follows()) || streams.containsKey(taskId)) {
                return;
            }
            Thread t = threads.newThread(() -> stream(taskId, logs));
            if (t == null) {
                log.warn("logs of task {}: the thread factory refused a thread; skipped", taskId);
                return;
            }
            t.setName("taskexec-logs-" + taskId);
            streams.put(taskId, t);
            if (started.size() >= pruneAt) { // amortised: a follower may attach to every new task
                started.removeIf(old -> !old.isAlive());
                pruneAt = Math.max(16, 2 * started.size());
            }
            started.add(t);
            t.start();
        } finally {
            lock.unlock();
        }
    }

    /** Marks the end of the initial set of tasks: without follow, no task is added after it. */
    void seal() {
        lock.lock();
        try {
            sealed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Interrupts the stream of a task that left the worker. */
    void detach(String taskId) {
        lock.lock();
        try {
            Thread t = streams.get(taskId);
            if (t != null) {
                t.interrupt();
            }
        } finally {
            lock.unlock();
        }
    }

    private void stream(String taskId, ControllerLogs logs) {
        try {
            logs.logs(publisher, options);
        } catch (InterruptedException e) {
            log.debug("logs of task {}: interrupted", taskId);
        } catch (Exception e) {
            log.warn("logs of task {}: streaming failed", taskId, e);
        } finally {
            lock.lock();
            try {
                streams.remove(taskId);
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Whether the subscription has ended: closed, or (without follow) every task of the initial
     * set has published its logs.
     */
    public boolean isDone() {
        lock.lock();
        try {
            return doneLocked();
        } finally {
            lock.unlock();
        }
    }

    private boolean doneLocked() {
        return (closed || (sealed && !follows())) && streams.isEmpty();
    }

    /**
     * Waits until the subscription {@linkplain #isDone() is done} and its threads have ended, at
     * most {@code timeout}. With {@code follow} this returns {@code true} only after
     * {@link #close()}.
     *
     * @return whether it is done
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    public boolean await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Thread> threads;
        lock.lock();
        try {
            while (!doneLocked()) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                changed.awaitNanos(remaining);
            }
            threads = List.copyOf(started);
        } finally {
            lock.unlock();
        }
        for (Thread t : threads) {
            long remaining = deadline - System.nanoTime();
            if (t != Thread.currentThread()
                    && (remaining <= 0 || !t.join(Duration.ofNanos(remaining)))) {
                return false;
            }
        }
        return true;
    }

    /** Done, and every stream thread has ended: nothing of it is left to close. */
    boolean isFinished() {
        lock.lock();
        try {
            return doneLocked() && started.stream().noneMatch(Thread::isAlive);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the subscription: interrupts every stream, and waits until their threads have ended.
     * Idempotent. If the calling thread is interrupted while waiting, this returns early with the
     * interrupt flag set.
     */
    @Override
    public void close() {
        List<Thread> running;
        boolean first;
        lock.lock();
        try {
            first = !closed;
            closed = true;
            streams.values().forEach(Thread::interrupt);
            running = new ArrayList<>(started);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (first) {
            onClose.accept(this);
        }
        for (Thread t : running) {
            if (t == Thread.currentThread()) {
                continue;
            }
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** For logging. */
    @Override
    public String toString() {
        return "LogSubscription["
                + selector.toString().replace('\n', ' ').trim()
                + ", follow="
                + follows()
                + "]";
    }
}

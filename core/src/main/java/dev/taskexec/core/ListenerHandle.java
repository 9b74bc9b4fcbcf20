package dev.taskexec.core;

import static org.apiguardian.api.API.Status.STABLE;

import dev.taskexec.api.proto.TaskStatus;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StatusReporter} registered with {@link Worker#listen(StatusReporter)}; close it to stop
 * listening.
 *
 * <p>Each listener has its own queue and its own thread, which calls the reporter with one
 * status after another in the order the worker saw them. So a listener that is slow or blocks
 * delays only itself: tasks keep running and other listeners keep receiving. The queue is
 * unbounded (nothing is dropped or coalesced: every status change reaches every listener, in
 * order), so a listener that stops taking statuses for good should be closed, or its backlog
 * grows with every change.
 *
 * <p>Thread-safe.
 */
@API(status = STABLE, since = "0.1")
public final class ListenerHandle implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ListenerHandle.class);

    /** One queued delivery. */
    private record Report(String taskId, TaskStatus status) {}

    private final StatusReporter reporter;
    private final LinkedBlockingQueue<Report> queue = new LinkedBlockingQueue<>();
    private final Consumer<ListenerHandle> onClose;
    private final Thread thread;
    private final AtomicBoolean closed = new AtomicBoolean();

    ListenerHandle(
            StatusReporter reporter, ThreadFactory threads, Consumer<ListenerHandle> onClose) {
        this.reporter = reporter;
        this.onClose = onClose;
        Thread t = threads.newThread(this::deliver);
        if (t == null) {
            throw new IllegalStateException("the thread factory refused to make a listener thread");
        }
        t.setName("taskexec-listener");
        this.thread = t;
    }

    void start() {
        thread.start();
    }

    /** Queues a status for delivery; never blocks. */
    void offer(String taskId, TaskStatus status) {
        if (!closed.get()) {
            queue.add(new Report(taskId, status));
        }
    }

    /** How many statuses are queued and not yet handed to the reporter. */
    public int backlog() {
        return queue.size();
    }

    /** Whether {@link #close()} was called (by anyone, including the worker's own close). */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Stops listening: no further status reaches the reporter, queued ones are dropped, a report in
     * progress is interrupted, and this waits until the listener's thread has ended. Idempotent.
     * Called from within the reporter, it does not wait. If the calling thread is interrupted
     * while waiting, this returns early with the interrupt flag set.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            joinQuietly();
            return;
        }
        onClose.accept(this);
        thread.interrupt();
        queue.clear();
        joinQuietly();
    }

    private void joinQuietly() {
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver() {
        while (!closed.get()) {
            Report next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                continue; // only close interrupts; the loop condition ends it
            }
            if (closed.get()) {
                return;
            }
            try {
                reporter.report(next.taskId(), next.status());
            } catch (InterruptedException e) {
                if (!closed.get()) {
                    log.warn(
                            "listener: the reporter was interrupted while reporting task {}; ignored",
                            next.taskId());
                }
            } catch (Exception e) {
                log.warn(
                        "listener: the reporter failed on task {} at {}; ignored",
                        next.taskId(),
                        next.status().getState(),
                        e);
            }
        }
    }
}

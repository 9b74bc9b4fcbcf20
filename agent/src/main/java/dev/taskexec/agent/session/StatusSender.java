package dev.taskexec.agent.session;

import dev.taskexec.agent.proto.DispatcherGrpc;
import dev.taskexec.agent.proto.UpdateTaskStatusRequest;
import dev.taskexec.agent.proto.UpdateTaskStatusRequest.TaskStatusUpdate;
import dev.taskexec.api.proto.TaskStatus;
import dev.taskexec.core.StatusReporter;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports task statuses to the manager: swarmkit's coalescing reporter, batched.
 *
 * <ul>
 *   <li>It keeps the newest status of every task it was told about. A status whose state is
 *       lower than the kept one is dropped (statuses only move forward; the manager would ignore
 *       it anyway), as is one equal to the kept one.</li>
 *   <li>A task whose status changed is marked pending; one sender thread sends pending statuses in
 *       {@code UpdateTaskStatus} calls of at most {@value #MAX_BATCH} updates, each the newest
 *       status at the time of sending, so a task that moves quickly is reported once per call.</li>
 *   <li>On every new session ({@link #attach}) every kept status is marked pending again: the
 *       manager may have missed some while the node had no session.</li>
 *   <li>A failed call puts its tasks back as pending and reports the failure to the session (which
 *       re-registers); the statuses go out with the next session. A call refused with
 *       {@code PERMISSION_DENIED} (the manager refuses a whole batch when one task is no longer
 *       assigned to the node) is retried one task per call, and the refused tasks are dropped.</li>
 *   <li>Tasks no longer assigned are {@linkplain #forget forgotten}.</li>
 * </ul>
 *
 * <p>Thread-safe; {@link #report} never blocks on the network.
 */
final class StatusSender implements StatusReporter, AutoCloseable {

    static final int MAX_BATCH = 500;

    private static final Logger log = LoggerFactory.getLogger(StatusSender.class);

    /** Where statuses go now: a registered session. */
    record Target(String sessionId, Channel channel, Consumer<Throwable> onFailure) {}

    private final Duration rpcTimeout;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, TaskStatus> latest = new HashMap<>();
    private final Set<String> pending = new LinkedHashSet<>();
    private Target target;
    private boolean closed;
    private final Thread thread;

    StatusSender(Duration rpcTimeout) {
        this.rpcTimeout = rpcTimeout;
        this.thread =
                Thread.ofPlatform().daemon().name("taskexec-swarm-status").unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    @Override
    public void report(String taskId, TaskStatus status) {
        lock.lock();
        try {
            TaskStatus kept = latest.get(taskId);
            if (kept != null
                    && (status.getStateValue() < kept.getStateValue() || status.equals(kept))) {
                return;
            }
            latest.put(taskId, status);
            pending.add(taskId);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Sends to this session from now on, every kept status first. */
    void attach(Target next) {
        lock.lock();
        try {
            target = next;
            pending.addAll(latest.keySet());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops sending to {@code old}, if it is the current target. */
    void detach(Target old) {
        lock.lock();
        try {
            if (target == old) {
                target = null;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Drops the statuses of tasks no longer assigned. */
    void forget(Collection<String> taskIds) {
        lock.lock();
        try {
            taskIds.forEach(latest::remove);
            pending.removeAll(taskIds);
        } finally {
            lock.unlock();
        }
    }

    /** Keeps only the statuses of {@code taskIds} (a complete assignment). */
    void retain(Collection<String> taskIds) {
        Set<String> keep = new HashSet<>(taskIds);
        lock.lock();
        try {
            latest.keySet().retainAll(keep);
            pending.retainAll(keep);
        } finally {
            lock.unlock();
        }
    }

    /** The newest status kept for a task, or null. */
    TaskStatus kept(String taskId) {
        lock.lock();
        try {
            return latest.get(taskId);
        } finally {
            lock.unlock();
        }
    }

    /** Whether no status waits to be sent. */
    boolean idle() {
        lock.lock();
        try {
            return pending.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        try {
            while (true) {
                Target to;
                List<TaskStatusUpdate> batch = new ArrayList<>();
                lock.lock();
                try {
                    while (!closed && (target == null || pending.isEmpty())) {
                        changed.await();
                    }
                    if (closed) {
                        return;
                    }
                    to = target;
                    var it = pending.iterator();
                    while (it.hasNext() && batch.size() < MAX_BATCH) {
                        String id = it.next();
                        it.remove();
                        batch.add(
                                TaskStatusUpdate.newBuilder()
                                        .setTaskId(id)
                                        .setStatus(latest.get(id))
                                        .build());
                    }
                } finally {
                    lock.unlock();
                }
                send(to, batch);
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    private void send(Target to, List<TaskStatusUpdate> batch) throws InterruptedException {
        try {
            call(to, batch);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.PERMISSION_DENIED) {
                sendOneByOne(to, batch);
                return;
            }
            failed(to, batch, e);
        }
    }

    private void sendOneByOne(Target to, List<TaskStatusUpdate> batch) throws InterruptedException {
        for (int i = 0; i < batch.size(); i++) {
            TaskStatusUpdate update = batch.get(i);
            try {
                call(to, List.of(update));
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() == Status.Code.PERMISSION_DENIED) {
                    log.warn(
                            "task {}: the manager refused its status ({}); dropped",
                            update.getTaskId(),
                            e.getStatus().getDescription());
                    forget(List.of(update.getTaskId()));
                    continue;
                }
                failed(to, batch.subList(i, batch.size()), e);
                return;
            }
        }
    }

    private void call(Target to, List<TaskStatusUpdate> batch) {
        DispatcherGrpc.newBlockingStub(to.channel())
                .withDeadlineAfter(rpcTimeout.toNanos(), TimeUnit.NANOSECONDS)
                .updateTaskStatus(
                        UpdateTaskStatusRequest.newBuilder()
                                .setSessionId(to.sessionId())
                                .addAllUpdates(batch)
                                .build());
    }

    /** Puts the batch back and waits for another session. */
    private void failed(Target to, List<TaskStatusUpdate> batch, StatusRuntimeException e)
            throws InterruptedException {
        log.debug("UpdateTaskStatus failed: {}", e.getStatus());
        lock.lock();
        try {
            for (TaskStatusUpdate update : batch) {
                if (latest.containsKey(update.getTaskId())) {
                    pending.add(update.getTaskId());
                }
            }
        } finally {
            lock.unlock();
        }
        to.onFailure().accept(e);
        lock.lock();
        try {
            while (!closed && target == to) {
                changed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (thread.getState() == Thread.State.NEW) {
            return;
        }
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

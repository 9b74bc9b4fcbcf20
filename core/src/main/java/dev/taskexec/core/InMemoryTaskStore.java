package dev.taskexec.core;

import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/** {@link TaskStore#inMemory()}: records in a map, gone with the object. */
final class InMemoryTaskStore implements TaskStore {

    private final ReentrantLock lock = new ReentrantLock();

    /** Guarded by {@link #lock}; insertion order is the order of first storing. */
    private final Map<String, StoredTask> records = new LinkedHashMap<>();

    /** Guarded by {@link #lock}. */
    private boolean closed;

    @Override
    public List<StoredTask> load() {
        lock.lock();
        try {
            ensureOpen();
            return new ArrayList<>(records.values());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void put(Task task) {
        Objects.requireNonNull(task, "task");
        if (task.getId().isEmpty()) {
            throw new IllegalArgumentException("task id must not be empty");
        }
        lock.lock();
        try {
            ensureOpen();
            StoredTask known = records.get(task.getId());
            records.put(
                    task.getId(),
                    known == null
                            ? new StoredTask(task, false)
                            : new StoredTask(
                                    task.toBuilder().setStatus(known.task().getStatus()).build(),
                                    known.removed()));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void putStatus(String taskId, TaskStatus status) {
        Objects.requireNonNull(status, "status");
        lock.lock();
        try {
            ensureOpen();
            records.computeIfPresent(
                    taskId,
                    (id, known) ->
                            new StoredTask(
                                    known.task().toBuilder().setStatus(status).build(),
                                    known.removed()));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void markRemoved(String taskId) {
        lock.lock();
        try {
            ensureOpen();
            records.computeIfPresent(taskId, (id, known) -> new StoredTask(known.task(), true));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void delete(String taskId) {
        lock.lock();
        try {
            ensureOpen();
            records.remove(taskId);
        } finally {
            lock.unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new TaskStoreException("the in-memory task store is closed");
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "in-memory task store";
    }
}

package dev.taskexec.core;

import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskStatus;
import java.util.List;

/**
 * The store of {@link Worker#create}: keeps nothing, since the worker's own memory already holds
 * every task and nothing is meant to outlive it. Unlike {@link TaskStore#inMemory()} it costs no
 * heap per task (the heap per waiting task is a stated target of the worker).
 */
enum NoTaskStore implements TaskStore {
    INSTANCE;

    @Override
    public List<StoredTask> load() {
        return List.of();
    }

    @Override
    public void put(Task task) {}

    @Override
    public void putStatus(String taskId, TaskStatus status) {}

    @Override
    public void markRemoved(String taskId) {}

    @Override
    public void delete(String taskId) {}

    @Override
    public void close() {}
}

package dev.taskexec.agent.session;

import dev.taskexec.agent.proto.Config;
import dev.taskexec.agent.proto.Secret;
import dev.taskexec.api.proto.Task;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The secrets and configs the manager handed this node, in memory only: never logged (not even
 * their {@code toString}, which would print the payload), never persisted. A COMPLETE assignment
 * replaces them all; a REMOVE drops one, an unknown id is ignored.
 *
 * <p>{@link #prepare(Task)} is where a task's references become something the task can read; the
 * base store leaves the task as it is. Not thread-safe: used by the assignment thread.
 */
class SecretStore {

    private final Map<String, Secret> secrets = new HashMap<>();
    private final Map<String, Config> configs = new HashMap<>();

    final void apply(boolean complete, List<Secret> secretUpdates, List<String> secretRemovals,
            List<Config> configUpdates, List<String> configRemovals) {
        if (complete) {
            secrets.clear();
            configs.clear();
        }
        secretUpdates.forEach(s -> secrets.put(s.getId(), s));
        secretRemovals.forEach(secrets::remove);
        configUpdates.forEach(c -> configs.put(c.getId(), c));
        configRemovals.forEach(configs::remove);
    }

    final Optional<Secret> secret(String id) {
        return Optional.ofNullable(secrets.get(id));
    }

    final Optional<Config> config(String id) {
        return Optional.ofNullable(configs.get(id));
    }

    final int size() {
        return secrets.size() + configs.size();
    }

    /** The task as it should reach the worker. */
    Task prepare(Task task) {
        return task;
    }

    /** The tasks with these ids are no longer assigned. */
    void forgetTasks(Collection<String> taskIds) {}

    /** Only the tasks with these ids are assigned. */
    void retainTasks(Collection<String> taskIds) {}
}

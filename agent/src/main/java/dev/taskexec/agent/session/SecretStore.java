package dev.taskexec.agent.session;

import dev.taskexec.agent.proto.Config;
import dev.taskexec.agent.proto.Secret;
import dev.taskexec.agent.runtime.AssignedObjects;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The secrets and configs the manager handed this node, in memory only: never logged (not even
 * their {@code toString}, which would print the payload), never persisted by the session (the
 * {@link dev.taskexec.agent.runtime.TaskMapping} writes a task's files where the task reads
 * them). A COMPLETE assignment replaces them all; a REMOVE drops one; an unknown id is ignored.
 *
 * <p>Not thread-safe: used by the assignment thread.
 */
final class SecretStore implements AssignedObjects {

    private final Map<String, Secret> secrets = new HashMap<>();
    private final Map<String, Config> configs = new HashMap<>();

    void apply(
            boolean complete,
            List<Secret> secretUpdates,
            List<String> secretRemovals,
            List<Config> configUpdates,
            List<String> configRemovals) {
        if (complete) {
            secrets.clear();
            configs.clear();
        }
        secretUpdates.forEach(s -> secrets.put(s.getId(), s));
        secretRemovals.forEach(secrets::remove);
        configUpdates.forEach(c -> configs.put(c.getId(), c));
        configRemovals.forEach(configs::remove);
    }

    @Override
    public Optional<Payload> secret(String id) {
        return Optional.ofNullable(secrets.get(id))
                .map(
                        s ->
                                new Payload(
                                        s.getSpec().getData(),
                                        s.getSpec().getTemplating().getName(),
                                        s.getSpec().getDriver().getName()));
    }

    @Override
    public Optional<Payload> config(String id) {
        return Optional.ofNullable(configs.get(id))
                .map(
                        c ->
                                new Payload(
                                        c.getSpec().getData(),
                                        c.getSpec().getTemplating().getName(),
                                        ""));
    }

    int size() {
        return secrets.size() + configs.size();
    }

    @Override
    public String toString() {
        return "SecretStore[" + secrets.size() + " secrets, " + configs.size() + " configs]";
    }
}

package dev.taskexec.agent.runtime;

import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.Privileges;
import dev.taskexec.api.proto.Task;

/**
 * Removes from a swarm task what is present but says nothing, so that a backend that refuses a
 * field it cannot honour does not refuse an empty one. The Docker CLI always sends a
 * {@code dns_config}, empty unless {@code --dns*} was given, and may send empty
 * {@code privileges}; both mean "the engine's defaults", exactly as when absent.
 */
final class SpecNormaliser {

    private SpecNormaliser() {}

    static Task normalise(Task task) {
        if (!task.hasSpec() || !task.getSpec().hasContainer()) {
            return task;
        }
        ContainerSpec c = task.getSpec().getContainer();
        ContainerSpec.Builder b = null;
        if (c.hasDnsConfig()
                && c.getDnsConfig().equals(ContainerSpec.DNSConfig.getDefaultInstance())) {
            b = c.toBuilder().clearDnsConfig();
        }
        if (c.hasPrivileges() && c.getPrivileges().equals(Privileges.getDefaultInstance())) {
            b = (b == null ? c.toBuilder() : b).clearPrivileges();
        }
        if (b == null) {
            return task;
        }
        return task.toBuilder().setSpec(task.getSpec().toBuilder().setContainer(b)).build();
    }
}

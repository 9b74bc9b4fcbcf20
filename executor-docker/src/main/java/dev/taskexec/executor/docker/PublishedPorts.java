package dev.taskexec.executor.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import dev.taskexec.api.proto.PortConfig;
import dev.taskexec.api.proto.PortStatus;
import java.util.Map;
import java.util.Optional;

/**
 * The ports a container publishes on the host, as swarmkit's {@link PortStatus}.
 *
 * <p>Separate from {@link DockerController} because it is a pure translation of the engine's
 * bindings (one per address family) into swarmkit's port model, with nothing of the lifecycle in it.
 */
final class PublishedPorts {

    private PublishedPorts() {}

    /** The host ports of the inspected container {@code c}; empty when it publishes none. */
    static Optional<PortStatus> of(InspectContainerResponse c) {
        if (c == null
                || c.getNetworkSettings() == null
                || c.getNetworkSettings().getPorts() == null) {
            return Optional.empty();
        }
        PortStatus.Builder status = PortStatus.newBuilder();
        for (Map.Entry<ExposedPort, Ports.Binding[]> e :
                c.getNetworkSettings().getPorts().getBindings().entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            PortConfig.Protocol protocol =
                    switch (e.getKey().getProtocol()) {
                        case UDP -> PortConfig.Protocol.UDP;
                        case SCTP -> PortConfig.Protocol.SCTP;
                        default -> PortConfig.Protocol.TCP;
                    };
            for (Ports.Binding b : e.getValue()) {
                int published;
                try {
                    published = Integer.parseInt(b.getHostPortSpec());
                } catch (NumberFormatException | NullPointerException ex) {
                    continue;
                }
                PortConfig port =
                        PortConfig.newBuilder()
                                .setProtocol(protocol)
                                .setTargetPort(e.getKey().getPort())
                                .setPublishedPort(published)
                                .setPublishMode(PortConfig.PublishMode.HOST)
                                .build();
                // The engine lists a binding per address family; a port is one PortConfig.
                if (!status.getPortsList().contains(port)) {
                    status.addPorts(port);
                }
            }
        }
        return status.getPortsCount() == 0 ? Optional.empty() : Optional.of(status.build());
    }
}

package dev.taskexec.agent.session;

import dev.taskexec.api.proto.EngineDescription;
import dev.taskexec.api.proto.NodeDescription;
import dev.taskexec.api.proto.NodeTLSInfo;
import dev.taskexec.api.proto.PluginDescription;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the description the node registers with, from the executor's own description:
 * <ul>
 *   <li>{@code hostname}: the configured one if any, else the executor's;</li>
 *   <li>{@code tls_info}: always the identity layer's current one (a root rotation finishes only
 *       once every node reports the new root);</li>
 *   <li>{@code engine}: always present, with every plugin of type {@code Network} removed. A node
 *       without networking must list no network plugin, so that the scheduler's plugin filter
 *       keeps services attached to networks (overlay, ingress) off it; a node that sends no engine
 *       at all would pass that filter. The engine version defaults to {@code taskexec}.</li>
 * </ul>
 * If the executor fails to describe itself, the last good description is reused (the failure is
 * logged), or, the first time, a bare one.
 */
final class NodeDescriber {

    private static final Logger log = LoggerFactory.getLogger(NodeDescriber.class);

    private final Callable<NodeDescription> executorDescription;
    private final String hostname;
    private final Supplier<NodeTLSInfo> tlsInfo;
    private NodeDescription lastBase;

    NodeDescriber(
            Callable<NodeDescription> executorDescription,
            String hostname,
            Supplier<NodeTLSInfo> tlsInfo) {
        this.executorDescription = executorDescription;
        this.hostname = hostname;
        this.tlsInfo = tlsInfo;
    }

    synchronized NodeDescription describe() {
        NodeDescription base;
        try {
            base = executorDescription.call();
            lastBase = base;
        } catch (Exception e) {
            log.warn(
                    "the executor could not describe the node; reusing the last description: {}",
                    e.toString());
            base = lastBase != null ? lastBase : NodeDescription.getDefaultInstance();
        }
        NodeDescription.Builder b = base.toBuilder();
        if (hostname != null && !hostname.isEmpty()) {
            b.setHostname(hostname);
        }
        NodeTLSInfo tls = tlsInfo.get();
        if (tls != null) {
            b.setTlsInfo(tls);
        } else {
            b.clearTlsInfo();
        }
        EngineDescription.Builder engine = base.getEngine().toBuilder().clearPlugins();
        for (PluginDescription plugin : base.getEngine().getPluginsList()) {
            if (!"Network".equalsIgnoreCase(plugin.getType())) {
                engine.addPlugins(plugin);
            }
        }
        if (engine.getEngineVersion().isEmpty()) {
            engine.setEngineVersion("taskexec");
        }
        return b.setEngine(engine).build();
    }
}

package dev.taskexec.executor.docker;

import com.github.dockerjava.api.model.Info;
import dev.taskexec.api.Controller;
import dev.taskexec.api.Executor;
import dev.taskexec.api.proto.EngineDescription;
import dev.taskexec.api.proto.Node;
import dev.taskexec.api.proto.NodeDescription;
import dev.taskexec.api.proto.Platform;
import dev.taskexec.api.proto.PluginDescription;
import dev.taskexec.api.proto.Resources;
import dev.taskexec.api.proto.Task;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Runs container tasks on one Docker Engine (swarmkit's {@code dockerexec} executor).
 *
 * <p>Holds one bounded connection pool to the engine, shared by every controller it makes.
 * {@link #controller(Task)} only validates and plans (no engine call), so a bad task is rejected
 * before anything exists on the engine. {@link #close()} closes the pool: controllers made by this
 * executor stop working, so close them first.
 *
 * <p>Thread-safe.
 */
public final class DockerExecutor implements Executor {

    private final Engine engine;
    private final DockerOptions options;

    /**
     * Connects lazily: no request is made until the first call, so an engine that is down is
     * reported by that call (as a temporary failure), not here.
     *
     * @param options where the engine is and how to treat images
     */
    public DockerExecutor(DockerOptions options) {
        this.options = options;
        this.engine = new Engine(options);
    }

    /** The options this executor was made with. */
    public DockerOptions options() {
        return options;
    }

    /**
     * Describes the node from the engine's {@code /info}: hostname, platform, CPUs and memory, engine
     * version, engine labels and plugins.
     *
     * @throws InterruptedException if interrupted
     * @throws Exception a temporary failure when the engine is unreachable
     */
    @Override
    public NodeDescription describe() throws Exception {
        Info info = engine.call("reading engine info", () -> engine.client().infoCmd().exec());
        Map<String, String> labels = new TreeMap<>();
        if (info.getLabels() != null) {
            for (String label : info.getLabels()) {
                int eq = label.indexOf('=');
                if (eq > 0) {
                    labels.put(label.substring(0, eq), label.substring(eq + 1));
                }
            }
        }
        TreeSet<PluginDescription> plugins = new TreeSet<>(
                Comparator.comparing(PluginDescription::getType).thenComparing(PluginDescription::getName));
        if (info.getPlugins() != null) {
            for (Map.Entry<String, List<String>> e : info.getPlugins().entrySet()) {
                if (e.getValue() == null) {
                    continue;
                }
                for (String pluginName : e.getValue()) {
                    plugins.add(PluginDescription.newBuilder().setType(e.getKey()).setName(pluginName).build());
                }
            }
        }
        return NodeDescription.newBuilder()
                .setHostname(nullToEmpty(info.getName()))
                .setPlatform(Platform.newBuilder()
                        .setArchitecture(nullToEmpty(info.getArchitecture()))
                        .setOs(nullToEmpty(info.getOsType())))
                .setResources(Resources.newBuilder()
                        .setNanoCpus(info.getNCPU() == null ? 0 : info.getNCPU() * 1_000_000_000L)
                        .setMemoryBytes(info.getMemTotal() == null ? 0 : info.getMemTotal()))
                .setEngine(EngineDescription.newBuilder()
                        .setEngineVersion(nullToEmpty(info.getServerVersion()))
                        .putAllLabels(labels)
                        .addAllPlugins(plugins))
                .build();
    }

    /** Needs nothing from the node: returns at once. */
    @Override
    public void configure(Node node) {
        // Containers are labelled with the task's node id, which the task itself carries.
    }

    /**
     * Validates the task and makes its controller; no engine call.
     *
     * @throws dev.taskexec.api.RuntimeUnsupportedException if the task is not a container task
     * @throws InvalidTaskException naming what cannot be run as written, or the rule of the
     *     {@link NodePolicy} the task breaks
     */
    @Override
    public Controller controller(Task task) throws Exception {
        ContainerPlan plan = ContainerPlan.of(task);
        java.nio.file.Path socket = "unix".equals(options.host().getScheme()) ? java.nio.file.Path.of(options.host().getPath()) : null;
        options.policy().check(task.getSpec().getContainer(), plan.imageReference(), socket);
        return new DockerController(engine, options.pullPolicy(), task, plan);
    }

    /** The engine connection, for this package's tests. */
    Engine engineForTests() {
        return engine;
    }

    /** Closes the connection pool. Idempotent. */
    @Override
    public void close() {
        engine.close();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}

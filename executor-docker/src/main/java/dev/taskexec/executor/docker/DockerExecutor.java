package dev.taskexec.executor.docker;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Info;
import dev.taskexec.api.Controller;
import dev.taskexec.api.Executor;
import dev.taskexec.api.ReapedResource;
import dev.taskexec.api.TaskRecovery;
import dev.taskexec.api.proto.EngineDescription;
import dev.taskexec.api.proto.Node;
import dev.taskexec.api.proto.NodeDescription;
import dev.taskexec.api.proto.Platform;
import dev.taskexec.api.proto.PluginDescription;
import dev.taskexec.api.proto.Resources;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.support.InvalidTaskException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apiguardian.api.API;

/**
 * Runs container tasks on one Docker Engine (swarmkit's {@code dockerexec} executor).
 *
 * <p>Holds one bounded connection pool to the engine, shared by every controller it makes, and,
 * from the first container started, one more connection outside it: the engine's stream of its
 * containers' exits ({@code die} events), through which a controller learns of an exit before the
 * engine answers a wait or inspect for it.
 * {@link #controller(Task)} only validates and plans (no engine call), so a bad task is rejected
 * before anything exists on the engine. {@link #close()} closes the pool: controllers made by this
 * executor stop working, so close them first.
 *
 * <p><b>Surviving the agent.</b> Containers outlive the executor and the process: a new executor
 * (in a new process) finds a task's container again by its name, which the task id determines, so
 * it re-adopts tasks an earlier one started ({@link TaskRecovery}): prepare and start report that
 * they already happened, await gives the container's true exit code (also when it exited while no
 * agent ran), and its logs are still in the engine. Every container it creates carries the labels
 * {@code dev.taskexec.task.id} (the task) and {@code dev.taskexec.owner} (the {@code owner}
 * option); {@link #reapOrphans} force-removes the containers with this executor's owner whose task
 * is not claimed, and touches nothing else on the engine.
 *
 * <p>Thread-safe.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class DockerExecutor implements Executor, TaskRecovery {
    private static final org.slf4j.Logger LOG =
            org.slf4j.LoggerFactory.getLogger(DockerExecutor.class);

    private final Engine engine;
    private final ExitEvents exits;
    private final DockerOptions options;
    private volatile PullListener pullListener;

    /**
     * Connects lazily: no request is made until the first call, so an engine that is down is
     * reported by that call (as a temporary failure), not here.
     *
     * @param options where the engine is and how to treat images
     */
    public DockerExecutor(DockerOptions options) {
        this.options = options;
        this.engine = new Engine(options);
        this.exits = new ExitEvents(options);
    }

    /**
     * Sets where the progress of image pulls goes, for controllers made from now on; none by
     * default. A command shows it to a person; an agent has no use for it.
     *
     * @param listener the listener, or null for none
     */
    public void pullListener(PullListener listener) {
        this.pullListener = listener;
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
        TreeSet<PluginDescription> plugins =
                new TreeSet<>(
                        Comparator.comparing(PluginDescription::getType)
                                .thenComparing(PluginDescription::getName));
        if (info.getPlugins() != null) {
            for (Map.Entry<String, List<String>> e : info.getPlugins().entrySet()) {
                if (e.getValue() == null) {
                    continue;
                }
                for (String pluginName : e.getValue()) {
                    plugins.add(
                            PluginDescription.newBuilder()
                                    .setType(e.getKey())
                                    .setName(pluginName)
                                    .build());
                }
            }
        }
        return NodeDescription.newBuilder()
                .setHostname(nullToEmpty(info.getName()))
                .setPlatform(
                        Platform.newBuilder()
                                .setArchitecture(nullToEmpty(info.getArchitecture()))
                                .setOs(nullToEmpty(info.getOsType())))
                .setResources(
                        Resources.newBuilder()
                                .setNanoCpus(
                                        info.getNCPU() == null
                                                ? 0
                                                : info.getNCPU() * 1_000_000_000L)
                                .setMemoryBytes(
                                        info.getMemTotal() == null ? 0 : info.getMemTotal()))
                .setEngine(
                        EngineDescription.newBuilder()
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
        ContainerPlan plan = ContainerPlan.of(task, options.owner());
        java.nio.file.Path socket =
                "unix".equals(options.host().getScheme())
                        ? java.nio.file.Path.of(options.host().getPath())
                        : null;
        options.policy().check(task.getSpec().getContainer(), plan.imageReference(), socket);
        return new DockerController(engine, exits, options.pullPolicy(), task, plan, pullListener);
    }

    /**
     * Force-removes (stopping it if it runs) every container, running or not, labelled with this
     * executor's owner whose {@code dev.taskexec.task.id} is not in {@code claimedTaskIds}; each
     * is logged. Containers without the owner label, or with another owner, are never touched. A
     * container that vanishes meanwhile counts as reaped by someone else and is skipped.
     *
     * @throws Exception a temporary failure when the engine is unreachable, or the engine's refusal
     */
    @Override
    public List<ReapedResource> reapOrphans(Set<String> claimedTaskIds) throws Exception {
        List<Container> owned =
                engine.call(
                        "listing containers of owner " + options.owner(),
                        () ->
                                engine.client()
                                        .listContainersCmd()
                                        .withShowAll(true)
                                        .withLabelFilter(
                                                Map.of(ContainerPlan.LABEL_OWNER, options.owner()))
                                        .exec());
        List<ReapedResource> reaped = new ArrayList<>();
        for (Container c : owned) {
            Map<String, String> labels = c.getLabels() == null ? Map.of() : c.getLabels();
            String taskId = labels.getOrDefault(ContainerPlan.LABEL_TASK_ID, "");
            if (!taskId.isEmpty() && claimedTaskIds.contains(taskId)) {
                continue;
            }
            String name =
                    c.getNames() == null || c.getNames().length == 0
                            ? c.getId()
                            : c.getNames()[0].replaceFirst("^/", "");
            try {
                engine.run(
                        "removing orphan container " + name,
                        () ->
                                engine.client()
                                        .removeContainerCmd(c.getId())
                                        .withForce(true)
                                        .withRemoveVolumes(true)
                                        .exec());
            } catch (EngineException e) {
                if (e.statusCode() == 404
                        || (e.statusCode() == 409
                                && e.getMessage().contains("already in progress"))) {
                    continue;
                }
                throw e;
            }
            String description =
                    "container "
                            + name
                            + " ("
                            + c.getId().substring(0, Math.min(12, c.getId().length()))
                            + ", was "
                            + c.getState()
                            + ")";
            LOG.info(
                    "reaped orphan {} of task {}",
                    description,
                    taskId.isEmpty() ? "(none)" : taskId);
            reaped.add(new ReapedResource(taskId, description));
        }
        return reaped;
    }

    /** The stream of container exits, for this package's tests. */
    ExitEvents exitEventsForTests() {
        return exits;
    }

    /** The engine connection, for this package's tests. */
    Engine engineForTests() {
        return engine;
    }

    /** Closes the connection pool and the stream of container exits. Idempotent. */
    @Override
    public void close() {
        exits.close();
        engine.close();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}

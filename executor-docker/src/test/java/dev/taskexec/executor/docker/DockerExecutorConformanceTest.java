package dev.taskexec.executor.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskexec.api.Controller;
import dev.taskexec.api.Executor;
import dev.taskexec.api.ExecutorProvider;
import dev.taskexec.api.ReapedResource;
import dev.taskexec.api.TaskRecovery;
import dev.taskexec.api.proto.Node;
import dev.taskexec.api.proto.NodeDescription;
import dev.taskexec.api.proto.Task;
import dev.taskexec.conformance.Capability;
import dev.taskexec.conformance.ExecutorConformance;
import dev.taskexec.conformance.ResourceProbe;
import dev.taskexec.conformance.Workloads;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The conformance kit against the real engine, with every capability declared and a probe that
 * finds containers by the task-id label this executor puts on them.
 */
class DockerExecutorConformanceTest extends ExecutorConformance {

    private static final Set<String> TASKS = ConcurrentHashMap.newKeySet();

    /** This run's owner label: the RC-6 reaper only ever sees this class's containers. */
    private static final String OWNER = "conformance-" + UUID.randomUUID();

    @BeforeAll
    static void engine() {
        DockerTestEnvironment.require();
    }

    @AfterAll
    static void nothingLeft() {
        // Only this class's tasks: other runs of the kit may share the engine.
        try (Engine engine = new Engine(DockerOptions.defaults())) {
            List<String> left =
                    engine
                            .client()
                            .listContainersCmd()
                            .withShowAll(true)
                            .withLabelFilter(Map.of(ContainerPlan.LABEL_SERVICE_ID, "conformance"))
                            .exec()
                            .stream()
                            .filter(
                                    c ->
                                            TASKS.contains(
                                                    c.getLabels().get(ContainerPlan.LABEL_TASK_ID)))
                            .map(c -> String.join(",", c.getNames()) + " " + c.getStatus())
                            .toList();
            assertEquals(List.of(), left, "containers left behind by the conformance kit");
        }
    }

    /** The docker provider, noting the id of every task it is asked to run. */
    @Override
    protected ExecutorProvider provider() {
        DockerExecutorProvider docker = new DockerExecutorProvider();
        return new ExecutorProvider() {
            @Override
            public String name() {
                return docker.name();
            }

            @Override
            public String description() {
                return docker.description();
            }

            @Override
            public Map<String, String> options() {
                return docker.options();
            }

            @Override
            public Executor create(Map<String, String> options) throws Exception {
                Executor executor = docker.create(options);
                final class Noting implements Executor, TaskRecovery {
                    @Override
                    public NodeDescription describe() throws Exception {
                        return executor.describe();
                    }

                    @Override
                    public void configure(Node node) throws Exception {
                        executor.configure(node);
                    }

                    @Override
                    public Controller controller(Task task) throws Exception {
                        TASKS.add(task.getId());
                        return executor.controller(task);
                    }

                    @Override
                    public List<ReapedResource> reapOrphans(Set<String> claimedTaskIds)
                            throws Exception {
                        return ((TaskRecovery) executor).reapOrphans(claimedTaskIds);
                    }

                    @Override
                    public void close() {
                        executor.close();
                    }
                }
                return new Noting();
            }
        };
    }

    @Override
    protected Map<String, String> options() {
        return Map.of(DockerOptions.OWNER, OWNER);
    }

    @Override
    protected Workloads workloads() {
        return Workloads.posixShell(DockerTestEnvironment.IMAGE);
    }

    /** Every capability, declared so the kit holds the backend to all of them. */
    @Override
    protected Set<Capability> capabilities() {
        return EnumSet.allOf(Capability.class);
    }

    @Override
    protected ResourceProbe resources() {
        return task -> {
            try (Engine engine = new Engine(DockerOptions.defaults())) {
                return engine
                        .client()
                        .listContainersCmd()
                        .withShowAll(true)
                        .withLabelFilter(Map.of(ContainerPlan.LABEL_TASK_ID, task.getId()))
                        .exec()
                        .stream()
                        .map(
                                c ->
                                        "container "
                                                + String.join(",", c.getNames())
                                                + " ("
                                                + c.getStatus()
                                                + ")")
                        .toList();
            }
        };
    }
}

package dev.taskexec.executor.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskexec.api.ExecutorProvider;
import dev.taskexec.conformance.ExecutorConformance;
import dev.taskexec.conformance.ResourceProbe;
import dev.taskexec.conformance.Workloads;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The conformance kit against the real engine, with every capability declared and a probe that
 * finds containers by the task-id label this executor puts on them.
 */
class DockerExecutorConformanceTest extends ExecutorConformance {

    @BeforeAll
    static void engine() {
        DockerTestEnvironment.require();
    }

    @AfterAll
    static void nothingLeft() {
        // The kit's tasks belong to the service "conformance".
        try (Engine engine = new Engine(DockerOptions.defaults())) {
            List<String> left = engine.client().listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(ContainerPlan.LABEL_SERVICE_ID, "conformance")).exec()
                    .stream().map(c -> String.join(",", c.getNames()) + " " + c.getStatus()).toList();
            assertEquals(List.of(), left, "containers left behind by the conformance kit");
        }
    }

    @Override
    protected ExecutorProvider provider() {
        return new DockerExecutorProvider();
    }

    @Override
    protected Workloads workloads() {
        return Workloads.posixShell(DockerTestEnvironment.IMAGE);
    }

    @Override
    protected ResourceProbe resources() {
        return task -> {
            try (Engine engine = new Engine(DockerOptions.defaults())) {
                return engine.client().listContainersCmd().withShowAll(true)
                        .withLabelFilter(Map.of(ContainerPlan.LABEL_TASK_ID, task.getId())).exec()
                        .stream().map(c -> "container " + String.join(",", c.getNames()) + " (" + c.getStatus() + ")")
                        .toList();
            }
        };
    }
}

package dev.taskexec.benchmarks.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.WaitContainerCondition;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.taskexec.api.Controller;
import dev.taskexec.api.Executor;
import dev.taskexec.api.proto.Annotations;
import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskSpec;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import dev.taskexec.core.Lifecycle;
import dev.taskexec.core.Resolution;
import dev.taskexec.core.Step;
import dev.taskexec.executor.docker.DockerExecutorProvider;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The full life of a container running {@code true}: made, started, awaited to its exit and
 * removed.
 *
 * <ul>
 *   <li>{@link #executor()}: through the {@code docker} executor's controller
 *       ({@code prepare}, {@code start}, {@code await}, {@code remove}, {@code close}).</li>
 *   <li>{@link #lifecycle()}: the same, driven by {@link Lifecycle#resolve} and
 *       {@link Lifecycle#step} from NEW to COMPLETE as a task runner does (which also reads the
 *       container and port status on every step from STARTING on), then removed.</li>
 *   <li>{@link #baselineDockerJava()}: the Engine calls such a run needs, made directly with
 *       docker-java on a client configured like the executor's (inspect image, create, start,
 *       wait, inspect, remove).</li>
 *   <li>{@link #baselineCli()}: {@code docker run --rm IMAGE true} through {@link ProcessBuilder}.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class DockerRunTrueToExit {

    private static final String RUN_LABEL = "dev.taskexec.bench.run";
    private static final String IMAGE =
            System.getProperty("taskexec.bench.image", "taskexec-test:latest");
    private static final String HOST =
            System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");

    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong sequence = new AtomicLong();
    private Executor executor;
    private ApacheDockerHttpClient http;
    private DockerClient docker;

    @Setup
    public void setUp() throws Exception {
        DefaultDockerClientConfig config =
                DefaultDockerClientConfig.createDefaultConfigBuilder()
                        .withDockerHost(HOST)
                        .withApiVersion((String) null)
                        .build();
        http =
                new ApacheDockerHttpClient.Builder()
                        .dockerHost(URI.create(HOST))
                        .maxConnections(64)
                        .build();
        docker = DockerClientImpl.getInstance(config, http);
        try {
            docker.pingCmd().exec();
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "no Docker Engine answers at "
                            + HOST
                            + "; start one with scripts/docker-test-env.sh up",
                    e);
        }
        try {
            docker.inspectImageCmd(IMAGE).exec();
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "image " + IMAGE + " is missing; build it with scripts/docker-test-env.sh up",
                    e);
        }
        executor = new DockerExecutorProvider().create(Map.of("host", HOST));
        // Check each path runs a container to a clean exit and leaves nothing behind.
        executor();
        if (lifecycle() != TaskState.COMPLETE) {
            throw new IllegalStateException("the lifecycle path did not complete");
        }
        if (baselineDockerJava() != 0 || baselineCli() != 0) {
            throw new IllegalStateException("a baseline did not exit 0");
        }
        List<Container> left = leftovers();
        if (!left.isEmpty()) {
            throw new IllegalStateException(
                    "containers left after one run of each path: " + left.size());
        }
    }

    @TearDown
    public void tearDown() throws IOException {
        for (Container c : leftovers()) {
            docker.removeContainerCmd(c.getId()).withForce(true).exec();
        }
        executor.close();
        docker.close();
        http.close();
    }

    private List<Container> leftovers() {
        return docker.listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(RUN_LABEL, runId))
                .exec();
    }

    private Task task() {
        String id = "bench" + runId + "x" + sequence.incrementAndGet();
        return Task.newBuilder()
                .setId(id)
                .setServiceAnnotations(Annotations.newBuilder().setName("bench"))
                .setDesiredState(TaskState.RUNNING)
                .setSpec(
                        TaskSpec.newBuilder()
                                .setContainer(
                                        ContainerSpec.newBuilder()
                                                .setImage(IMAGE)
                                                .addCommand("true")
                                                .putLabels(RUN_LABEL, runId)))
                .build();
    }

    @Benchmark
    public Object executor() throws Exception {
        Controller c = executor.controller(task());
        try {
            c.prepare();
            c.start();
            c.await();
            c.remove();
        } finally {
            c.close();
        }
        return c;
    }

    @Benchmark
    public TaskState lifecycle() throws Exception {
        Task t = task();
        Resolution r = Lifecycle.resolve(t, executor);
        Controller c = r.controller();
        try {
            t = t.toBuilder().setStatus(r.status()).build();
            for (int i = 0; i < 12 && t.getStatus().getState() != TaskState.COMPLETE; i++) {
                Step s = Lifecycle.step(t, c);
                t = t.toBuilder().setStatus(s.status()).build();
                if (s.outcome() != Step.Outcome.PROGRESSED) {
                    break;
                }
            }
            c.remove();
        } finally {
            c.close();
        }
        TaskStatus status = t.getStatus();
        return status.getState();
    }

    @Benchmark
    public long baselineDockerJava() throws Exception {
        String name = "bench-direct-" + runId + "-" + sequence.incrementAndGet();
        docker.inspectImageCmd(IMAGE).exec();
        String id =
                docker.createContainerCmd(IMAGE)
                        .withName(name)
                        .withCmd("true")
                        .withLabels(Map.of(RUN_LABEL, runId))
                        .exec()
                        .getId();
        try {
            docker.startContainerCmd(id).exec();
            try (WaitContainerResultCallback wait =
                    docker.waitContainerCmd(id)
                            .withCondition(WaitContainerCondition.NOT_RUNNING)
                            .start()) {
                wait.awaitStatusCode(30, TimeUnit.SECONDS);
            }
            InspectContainerResponse exited = docker.inspectContainerCmd(id).exec();
            return exited.getState().getExitCodeLong();
        } finally {
            docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        }
    }

    @Benchmark
    public int baselineCli() throws Exception {
        Process p =
                new ProcessBuilder(
                                "docker",
                                "run",
                                "--rm",
                                "--label",
                                RUN_LABEL + "=" + runId,
                                IMAGE,
                                "true")
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("docker run did not finish within 60 s");
        }
        return p.exitValue();
    }
}

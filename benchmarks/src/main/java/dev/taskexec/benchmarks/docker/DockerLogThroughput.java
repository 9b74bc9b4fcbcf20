package dev.taskexec.benchmarks.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.taskexec.api.ContainerStatuser;
import dev.taskexec.api.Controller;
import dev.taskexec.api.ControllerLogs;
import dev.taskexec.api.Executor;
import dev.taskexec.api.proto.Annotations;
import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskSpec;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.executor.docker.DockerExecutorProvider;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading a finished container's whole log ({@link #output} says how much, in lines of what length),
 * written once in {@code @Setup} by a task of the {@code docker} executor.
 *
 * <ul>
 *   <li>{@link #baselineDockerJava}: the same request the executor makes (stdout and stderr, with
 *       timestamps, all of it) straight through docker-java, its frames counted.</li>
 *   <li>{@link #executor}: {@code logs} on the task's controller, every message counted.</li>
 * </ul>
 * Target (issue 15): the executor at least 0.9× the baseline's bytes/s (a cost ratio of at most
 * 1.11×). The engine's own reading of its json-file log dominates both. Each operation checks
 * what it read and throws otherwise.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
// Single shots of 60-400 ms: two warm-up reads left the executor's decoding in the interpreter for
// much of the measurement (its share of the time, unlike docker-java's, is code the baseline does
// not run), so the ratio said more about the JIT than about the log path.
@Warmup(iterations = 10)
@Measurement(iterations = 10)
public class DockerLogThroughput {

    private static final String RUN_LABEL = "dev.taskexec.bench.run";
    private static final String IMAGE =
            System.getProperty("taskexec.bench.image", "taskexec-test:latest");
    private static final String HOST =
            System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");

    /**
     * {@code <line length>x<total bytes>}: 1 MiB of 100-byte lines, and 128 KiB of 2-byte lines (the
     * engine reads its json-file log at some tens of thousands of lines a second, so more would make
     * {@code quick} long).
     */
    @Param({"100x1048576", "2x131072"})
    public String output;

    private int lineBytes;
    private long bytes;

    private Executor executor;
    private Controller controller;
    private String containerId;
    private ApacheDockerHttpClient http;
    private DockerClient docker;

    @Setup
    public void setUp() throws Exception {
        String[] shape = output.split("x");
        lineBytes = Integer.parseInt(shape[0]);
        bytes = Long.parseLong(shape[1]);
        DefaultDockerClientConfig config =
                DefaultDockerClientConfig.createDefaultConfigBuilder()
                        .withDockerHost(HOST)
                        .withApiVersion((String) null)
                        .build();
        http =
                new ApacheDockerHttpClient.Builder()
                        .dockerHost(URI.create(HOST))
                        .maxConnections(8)
                        .build();
        docker = DockerClientImpl.getInstance(config, http);
        executor = new DockerExecutorProvider().create(Map.of("host", HOST));
        String run = UUID.randomUUID().toString().substring(0, 8);
        Task task =
                Task.newBuilder()
                        .setId("benchlogs" + run)
                        .setServiceAnnotations(Annotations.newBuilder().setName("bench"))
                        .setDesiredState(TaskState.RUNNING)
                        .setSpec(
                                TaskSpec.newBuilder()
                                        .setContainer(
                                                ContainerSpec.newBuilder()
                                                        .setImage(IMAGE)
                                                        .putLabels(RUN_LABEL, run)
                                                        .addCommand("sh")
                                                        .addCommand("-c")
                                                        .addCommand(
                                                                "yes '"
                                                                        + "x".repeat(lineBytes - 1)
                                                                        + "' | head -c "
                                                                        + bytes)))
                        .build();
        controller = executor.controller(task);
        controller.prepare();
        controller.start();
        controller.await();
        containerId =
                ((ContainerStatuser) controller).containerStatus().orElseThrow().getContainerId();
    }

    @TearDown
    public void tearDown() throws Exception {
        try {
            controller.remove();
            controller.close();
        } finally {
            executor.close();
            docker.close();
            http.close();
        }
    }

    @Benchmark
    public long baselineDockerJava() throws Exception {
        long[] n = {0};
        docker.logContainerCmd(containerId)
                .withStdOut(true)
                .withStdErr(true)
                .withTimestamps(true)
                .withTailAll()
                .exec(
                        new ResultCallback.Adapter<Frame>() {
                            @Override
                            public void onNext(Frame frame) {
                                n[0] += frame.getPayload().length;
                            }
                        })
                .awaitCompletion(5, TimeUnit.MINUTES);
        if (n[0] < bytes) { // the timestamps make it more
            throw new IllegalStateException(
                    "docker-java read " + n[0] + " bytes, fewer than the " + bytes + " written");
        }
        return n[0];
    }

    @Benchmark
    public long executor() throws Exception {
        long[] n = {0};
        ((ControllerLogs) controller)
                .logs(m -> n[0] += m.getData().size(), LogSubscriptionOptions.getDefaultInstance());
        if (n[0] != bytes) {
            throw new IllegalStateException(
                    "the executor read " + n[0] + " bytes, expected " + bytes);
        }
        return n[0];
    }
}

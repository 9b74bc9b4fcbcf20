package dev.taskexec.executor.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.model.Container;
import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Docker Engine the tests run against, and the bookkeeping that proves they leave no
 * container behind.
 *
 * <p>Every task made here carries the label {@value #RUN_LABEL} with this JVM's run id;
 * {@link #assertNoContainersLeft()} fails if any container with it still exists. Under
 * {@code CI=true} a missing engine or image fails the tests; elsewhere they are skipped with a
 * message saying how to get both.
 */
final class DockerTestEnvironment {

    static final String RUN_LABEL = "dev.taskexec.test.run";
    static final String RUN_ID = UUID.randomUUID().toString();
    static final String IMAGE = System.getProperty("taskexec.test.image", "taskexec-test:latest");
    private static final String HOW =
            "start a Docker Engine and build the test image with: sudo scripts/docker-test-env.sh up";
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private static volatile String unavailable;
    private static volatile boolean checked;

    private DockerTestEnvironment() {}

    /** Skips (or, under CI, fails) the calling test unless the engine answers and has the image. */
    static synchronized void require() {
        if (!checked) {
            unavailable = probe();
            checked = true;
        }
        if (unavailable == null) {
            return;
        }
        unavailable(unavailable + "; " + HOW);
    }

    /** Skips the calling test saying {@code why}, or fails it under {@code CI=true}: something it needs is missing. */
    static void unavailable(String why) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("CI=true and the Docker tests cannot run: " + why);
        }
        Assumptions.abort("Docker tests skipped: " + why);
    }

    private static String probe() {
        DockerOptions options = DockerOptions.defaults();
        try (Engine engine = new Engine(options)) {
            try {
                engine.call("pinging the engine", () -> engine.client().pingCmd().exec());
            } catch (Exception e) {
                return "no Docker Engine answers at "
                        + options.host()
                        + " ("
                        + e.getMessage()
                        + ")";
            }
            try {
                engine.call(
                        "inspecting image", () -> engine.client().inspectImageCmd(IMAGE).exec());
            } catch (Exception e) {
                return "the test image " + IMAGE + " is not present (" + e.getMessage() + ")";
            }
            return null;
        }
    }

    /** A fresh executor with default options plus {@code extra}. */
    static DockerExecutor executor(Map<String, String> extra) {
        return (DockerExecutor) new DockerExecutorProvider().create(extra);
    }

    /** A container spec running {@code script} with the test image's shell. */
    static ContainerSpec.Builder shell(String script) {
        return ContainerSpec.newBuilder()
                .setImage(IMAGE)
                .addCommand("sh")
                .addCommand("-c")
                .addCommand(script)
                .putLabels(RUN_LABEL, RUN_ID)
                // "sleep" as PID 1 ignores SIGTERM: keep stopping such workloads short.
                .setStopGracePeriod(com.google.protobuf.Duration.newBuilder().setSeconds(1));
    }

    /** A task with a unique id around {@code spec}. */
    static Task task(ContainerSpec.Builder spec) {
        String id = "t" + Long.toString(System.nanoTime(), 36) + SEQUENCE.incrementAndGet();
        return Task.newBuilder()
                .setId(id)
                .setServiceId("svc-test")
                .setNodeId("node-test")
                .setSlot(1)
                .setServiceAnnotations(
                        dev.taskexec.api.proto.Annotations.newBuilder().setName("dockertest"))
                .setSpec(TaskSpec.newBuilder().setContainer(spec))
                .build();
    }

    /** The containers this run made that still exist. */
    static List<Container> leftovers() {
        try (Engine engine = new Engine(DockerOptions.defaults())) {
            return engine.client()
                    .listContainersCmd()
                    .withShowAll(true)
                    .withLabelFilter(Map.of(RUN_LABEL, RUN_ID))
                    .exec();
        }
    }

    /** Fails naming the containers this run left behind. */
    static void assertNoContainersLeft() {
        List<String> names =
                leftovers().stream()
                        .map(c -> String.join(",", c.getNames()) + " " + c.getStatus())
                        .toList();
        assertEquals(List.of(), names, "containers left behind by the tests");
    }

    /** Waits for {@code condition} to hold, polling, for at most {@code timeout}. */
    static void eventually(Duration timeout, String what, Callable<Boolean> condition)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout + " waiting for " + what);
            }
            // the polling interval of a deadline-bounded wait, not synchronisation
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }
}

package dev.taskexec.store.sqlite.crash;

import dev.taskexec.api.ReapedResource;
import dev.taskexec.api.TaskRecovery;
import dev.taskexec.executor.docker.DockerExecutorProvider;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link AgentCrashCampaign} on the docker backend: nothing may be left of the run's owner label.
 *
 * <p>Bounded by default (12 tasks, 4 kills while running and 2 while removing: about a minute).
 * The full campaign:
 * <pre>
 * bin/with-jdk ./mvnw -B -pl store-sqlite -am verify -Dtest=DockerCrashTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dtaskexec.crash.full=true
 * </pre>
 * Needs the Docker Engine and the image {@code taskexec-test:latest}; skipped without them. Its
 * containers carry a fresh owner label and the label {@code dev.taskexec.test.run}.
 */
class DockerCrashTest extends AgentCrashCampaign {

    private final String owner = "crash-" + UUID.randomUUID();

    @BeforeAll
    static void engine() {
        try (var docker = new DockerExecutorProvider().create(Map.of())) {
            docker.describe();
        } catch (Exception e) {
            Assumptions.abort("no Docker Engine: " + e.getMessage());
        }
        try {
            Process p =
                    new ProcessBuilder("docker", "image", "inspect", CrashWorkload.IMAGE)
                            .redirectErrorStream(true)
                            .start();
            p.getInputStream().readAllBytes();
            Assumptions.assumeTrue(
                    p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0,
                    "no image " + CrashWorkload.IMAGE);
        } catch (IOException | InterruptedException e) {
            Assumptions.abort("no docker CLI: " + e.getMessage());
        }
    }

    @Override
    int boundedTasks() {
        return 12;
    }

    @Override
    int boundedKills() {
        return 4;
    }

    @Override
    String backend() {
        return "docker";
    }

    @Override
    String owner() {
        return owner;
    }

    @Override
    List<ReapedResource> reap(Set<String> claimed) throws Exception {
        try (var docker = new DockerExecutorProvider().create(Map.of("owner", owner))) {
            return ((TaskRecovery) docker).reapOrphans(claimed);
        }
    }

    @Override
    List<String> leftovers() {
        return List.of(); // reap found every container of the owner
    }
}

package dev.taskexec.agent.swarm;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Puts the local Docker Engine in swarm mode on loopback for a test class and always takes it out
 * again ({@code docker swarm leave --force} after the class, and from a shutdown hook if the JVM is
 * stopped first).
 *
 * <p>Without an engine (or the {@code docker} command) the tests are skipped, or fail under {@code
 * CI=true}. An engine already in swarm mode is left as it is and the tests are skipped (or fail
 * under CI): it is not ours to take out of swarm mode.
 */
public final class EngineSwarm implements BeforeAllCallback, AfterAllCallback {

    static final String MANAGER = "127.0.0.1:2377";
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private static String workerToken;
    private static Thread hook;

    @Override
    public void beforeAll(ExtensionContext context) {
        String problem = probe();
        if (problem != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true and the swarm tests cannot run: " + problem);
            }
            Assumptions.abort("swarm tests skipped: " + problem);
        }
        hook = new Thread(EngineSwarm::leave, "leave-swarm");
        Runtime.getRuntime().addShutdownHook(hook);
        DockerCli.Result init =
                DockerCli.run(
                        LIMIT,
                        "swarm",
                        "init",
                        "--advertise-addr",
                        "127.0.0.1",
                        "--listen-addr",
                        MANAGER);
        if (init.exitCode() != 0) {
            leave();
            fail("docker swarm init failed: " + init.stderr().strip());
        }
        workerToken = DockerCli.ok("swarm", "join-token", "-q", "worker");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // JUnit runs afterAll even when beforeAll skipped the class: leave only a swarm made here,
        // never one that was there before (another run's, or an operator's)
        if (hook == null) {
            return;
        }
        leave();
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is shutting down; the hook runs anyway and leaving is idempotent.
            }
            hook = null;
        }
    }

    static String workerToken() {
        return workerToken;
    }

    private static void leave() {
        DockerCli.run(LIMIT, "swarm", "leave", "--force");
    }

    private static String probe() {
        DockerCli.Result state;
        try {
            state =
                    DockerCli.run(
                            Duration.ofSeconds(20),
                            "info",
                            "--format",
                            "{{.Swarm.LocalNodeState}}");
        } catch (RuntimeException e) {
            return "the docker command cannot run ("
                    + e.getMessage()
                    + "); install it with scripts/docker-test-env.sh up";
        }
        if (state.exitCode() != 0) {
            return "no Docker Engine answers ("
                    + state.stderr().strip()
                    + "); start one with sudo scripts/docker-test-env.sh up";
        }
        if (!state.out().equals("inactive")) {
            return "the Docker Engine is already in swarm mode ("
                    + state.out()
                    + "); these tests make their own swarm: run `docker swarm leave --force` if it is a leftover";
        }
        return null;
    }
}

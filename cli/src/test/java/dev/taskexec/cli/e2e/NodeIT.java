package dev.taskexec.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code taskexec node}: the errors a user meets before a node runs, each one line. Joining a real
 * swarm is tested in the agent module's swarm tests.
 */
class NodeIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir Path dir;

    @Test
    void joinWithoutIdentityOrTokenSaysToGiveOne() throws Exception {
        Cli.Result r =
                Cli.run(
                        TIMEOUT,
                        "node",
                        "join",
                        "--state-dir",
                        dir.resolve("s").toString(),
                        "127.0.0.1:2377");
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals(1, r.stderr().strip().lines().count(), r.toString());
        assertTrue(
                r.stderr().contains("has not joined a swarm")
                        && r.stderr().contains("give a join token"),
                r.toString());
    }

    @Test
    void joinWithoutManagerOrSavedOneSaysSo() throws Exception {
        Cli.Result r = Cli.run(TIMEOUT, "node", "join", "--state-dir", dir.resolve("s").toString());
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("no manager address given, and none saved"), r.toString());
    }

    @Test
    void aMalformedTokenOrAddressIsAUsageErrorNamingTheProblem() throws Exception {
        Cli.Result token =
                Cli.run(
                        TIMEOUT,
                        "node",
                        "join",
                        "--token",
                        "not-a-token",
                        "--state-dir",
                        dir.resolve("s").toString(),
                        "127.0.0.1:2377");
        assertEquals(2, token.exitCode(), token.toString());
        assertEquals(
                "taskexec: join token must start with SWMTKN- (as printed by `docker swarm join-token worker`)",
                token.stderr().strip(),
                token.toString());
        Cli.Result address =
                Cli.run(
                        TIMEOUT,
                        "node",
                        "join",
                        "--state-dir",
                        dir.resolve("s").toString(),
                        "nohost");
        assertEquals(2, address.exitCode(), address.toString());
        assertTrue(
                address.stderr().contains("manager address 'nohost' must be host:port"),
                address.toString());
    }

    @Test
    void leaveIsIdempotent() throws Exception {
        Cli.Result r =
                Cli.run(TIMEOUT, "node", "leave", "--state-dir", dir.resolve("s").toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("nothing to remove"), r.toString());
    }
}

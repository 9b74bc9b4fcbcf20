package dev.taskexec.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code run}'s clean-up when the runtime cannot be reached, driven through the {@code fake}
 * backend's scripted {@code remove} (the command is under test here, not a backend; the Docker
 * backend's own outage is EngineOutageTest's): temporary failures are retried until removal
 * succeeds; past {@code --cleanup-timeout} one line says what was left and how to remove it, and the
 * exit code stays the task's.
 */
class CleanupIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void aRuntimeThatComesBackIsWaitedFor() throws Exception {
        Cli.Result r =
                Cli.run(
                        TIMEOUT,
                        "run",
                        "-e",
                        "fake",
                        "--",
                        "fake",
                        "exit=3",
                        "remove=temporary:engine unreachable,temporary:engine unreachable,ok");

        assertEquals(3, r.exitCode(), r.toString());
        assertTrue(
                r.stderr()
                        .contains(
                                "cleaning up the task failed: engine unreachable; retrying for up to 2m"),
                r.toString());
        assertTrue(r.stderr().contains("cleaned up the task after 3 attempts"), r.toString());
        assertFalse(r.stderr().contains("left behind"), r.toString());
    }

    @Test
    void pastTheDeadlineWhatWasLeftIsSaidWithHowToRemoveIt() throws Exception {
        Cli.Result r =
                Cli.run(
                        TIMEOUT,
                        "run",
                        "--json",
                        "--cleanup-timeout",
                        "1s",
                        "-e",
                        "fake",
                        "--",
                        "fake",
                        "exit=4",
                        "remove=temporary:engine unreachable");

        assertEquals(4, r.exitCode(), "the task's exit code\n" + r);
        String last = r.stderr().lines().reduce((a, b) -> b).orElse("");
        assertTrue(
                last.startsWith("taskexec: the task ")
                        && last.contains(
                                " may be left behind: removing it failed for 1s: "
                                        + "engine unreachable; remove it with: "),
                "shown also with --json\n" + r);
    }

    @Test
    void aRefusalIsNotRetried() throws Exception {
        Cli.Result r =
                Cli.run(TIMEOUT, "run", "-e", "fake", "--", "fake", "remove=fail:device busy,ok");

        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("may be left behind: removing it failed: "), r.toString());
        assertTrue(r.stderr().contains("device busy"), r.toString());
    }
}

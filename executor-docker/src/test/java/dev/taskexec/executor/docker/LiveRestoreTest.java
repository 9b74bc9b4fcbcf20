package dev.taskexec.executor.docker;

import static dev.taskexec.executor.docker.DockerTestEnvironment.shell;
import static dev.taskexec.executor.docker.DockerTestEnvironment.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.taskexec.api.Controller;
import dev.taskexec.api.proto.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real Engine restart with {@code --live-restore} under a follower of a task's logs: the task
 * writes numbered lines through the restart, and the follower receives every one, once, in order.
 * {@link LogResumeTest} cuts a relay in front of the shared engine; this restarts an engine, on a
 * private daemon ({@link PrivateEngine}) since the shared one must not be restarted: SIGTERM, wait
 * until its pid is gone, start it again, wait until it answers. The container must have lived
 * through it (same pid), so the lines written while the daemon was away came through the restart.
 */
@Timeout(value = 50, unit = TimeUnit.SECONDS)
class LiveRestoreTest {

    private static final int LINES = 100;

    @Test
    void aFollowerLosesNoLineAcrossAnEngineRestart() throws Exception {
        List<String> expected =
                IntStream.rangeClosed(1, LINES).mapToObj(i -> "line-" + i + "\n").toList();
        try (PrivateEngine engine = PrivateEngine.start();
                DockerExecutor executor =
                        DockerTestEnvironment.executor(Map.of(DockerOptions.HOST, engine.host()))) {
            // a line every tenth of a second, several within one second: the resume must tell them
            // apart; each
            // line's number also goes to a file in the container, which the test reads while the
            // daemon is away
            Task t =
                    task(
                            shell(
                                    "i=1; while [ $i -le "
                                            + LINES
                                            + " ]; do echo line-$i; echo $i > /written; i=$((i+1));"
                                            + " sleep 0.1; done"));
            Controller c = executor.controller(t);
            LineFollower follower = null;
            try {
                c.prepare();
                follower = LineFollower.follow(c);
                List<String> got = follower.lines();
                c.start();
                DockerTestEnvironment.eventually(
                        Duration.ofSeconds(20),
                        "the follower to get 5 lines",
                        () -> got.size() >= 5);
                InspectContainerResponse before = container(engine, t);
                long containerPid = before.getState().getPidLong();
                // the container's root as its first process sees it, through the host's /proc
                Path written = Path.of("/proc", Long.toString(containerPid), "root", "written");
                long daemonPid = engine.pid();
                int atRestart = got.size();
                int[] whileAway = new int[2];

                long t0 = System.nanoTime();
                engine.restart(
                        () -> {
                            // the task writes on while no daemon reads its output: at least 10 more
                            // lines
                            DockerTestEnvironment.eventually(
                                    Duration.ofSeconds(5),
                                    "a line number in " + written,
                                    () ->
                                            (whileAway[0] = written(written))
                                                    > 0); // empty while the shell rewrites it
                            DockerTestEnvironment.eventually(
                                    Duration.ofSeconds(10),
                                    "the task to write 10 lines while the daemon" + " is away",
                                    () -> written(written) >= whileAway[0] + 10);
                            whileAway[1] = written(written);
                        });
                System.out.println(
                        "LiveRestoreTest: restarted at line "
                                + atRestart
                                + " in "
                                + (System.nanoTime() - t0) / 1_000_000
                                + " ms; lines "
                                + whileAway[0]
                                + " to "
                                + whileAway[1]
                                + " written while the daemon was away");

                assertTrue(engine.pid() != daemonPid, "a new daemon answers");
                InspectContainerResponse.ContainerState after = container(engine, t).getState();
                assertEquals(
                        containerPid,
                        after.getPidLong(),
                        "the container lived through the restart (live-restore)");
                assertTrue(
                        Boolean.TRUE.equals(after.getRunning()) || after.getExitCodeLong() == 0,
                        "the container is still running, or ended well: " + after);
                assertTrue(
                        follower.awaitEnd(Duration.ofSeconds(25)),
                        "the follower ends with the task; it got " + got.size() + " lines");
                LineFollower ended = follower;
                assertNull(ended.failure(), () -> "the follower failed: " + ended.failure());
                assertTrue(
                        atRestart < LINES,
                        "the restart came while the task wrote (at line " + atRestart + ")");
                assertEquals(
                        expected,
                        got,
                        "every line once, in order, across the restart at line " + atRestart);
            } finally {
                try {
                    c.remove();
                } finally {
                    c.close();
                    if (follower != null) {
                        follower.awaitEnd(Duration.ofSeconds(5));
                    }
                }
            }
        }
    }

    /** The last line number the task wrote, from the file in its container (0 before the first). */
    private static int written(Path file) {
        try {
            String text = Files.readString(file).strip();
            return text.isEmpty() ? 0 : Integer.parseInt(text);
        } catch (java.nio.file.NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static InspectContainerResponse container(PrivateEngine engine, Task t) {
        try (Engine client = engine.engine()) {
            List<com.github.dockerjava.api.model.Container> found =
                    client.client()
                            .listContainersCmd()
                            .withShowAll(true)
                            .withLabelFilter(
                                    Map.of(
                                            DockerTestEnvironment.RUN_LABEL,
                                            DockerTestEnvironment.RUN_ID))
                            .exec();
            assertEquals(1, found.size(), "the task's one container: " + found);
            return client.client().inspectContainerCmd(found.get(0).getId()).exec();
        }
    }
}

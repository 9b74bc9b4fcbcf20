package dev.taskexec.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code taskexec run -i -e docker}: the command's standard input reaches a container, its end
 * ends the container's input (with and without {@code --tty}), and no container is left.
 */
class RunStdinDockerIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String IMAGE = "taskexec-test:latest";
    private static final Pattern TASK_ID = Pattern.compile("\\(task ([^)\\s]+)\\)");

    private final List<String> taskIds = new ArrayList<>();

    @BeforeAll
    static void docker() throws Exception {
        Assumptions.assumeTrue(
                Docker.canRunContainers(), "the docker CLI cannot run " + IMAGE + " here");
    }

    /** Removes what a failed test may have left, after asserting that nothing was. */
    @AfterEach
    void nothingLeft() throws Exception {
        assertEquals(
                List.of(),
                Docker.removeTaskContainers(taskIds),
                "containers left behind by run -i");
    }

    private Cli.Result finish(Cli cli) throws Exception {
        Cli.Result r = cli.await(TIMEOUT);
        Matcher m = TASK_ID.matcher(r.stderr());
        assertTrue(m.find(), "the task's id on stderr: " + r);
        taskIds.add(m.group(1));
        return r;
    }

    private static void type(Cli cli, String text) throws Exception {
        OutputStream in = cli.stdin();
        in.write(text.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    @Test
    void linesReachTheContainerAsTheyAreWrittenAndEndOfInputEndsIt() throws Exception {
        try (Cli cli =
                Cli.startWithInput(
                        "run",
                        "-i",
                        "-e",
                        "docker",
                        "--image",
                        IMAGE,
                        "--",
                        "sh",
                        "-c",
                        "read x; echo got:$x; cat; echo eof")) {
            type(cli, "abc\n");
            cli.awaitOutput(
                    "the container's answer to the first line",
                    c -> c.stdout().contains("got:abc\n"),
                    TIMEOUT);
            type(cli, "more\n");
            cli.stdin().close();
            Cli.Result r = finish(cli);
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals("got:abc\nmore\neof\n", r.stdout(), r.toString());
        }
    }

    @Test
    void aMebibyteOfInputArrivesWhole() throws Exception {
        byte[] data = new byte[1 << 20];
        new Random(42).nextBytes(data);
        try (Cli cli =
                Cli.startWithInput(
                        "run", "-i", "-e", "docker", "--image", IMAGE, "--", "wc", "-c")) {
            try (OutputStream in = cli.stdin()) {
                in.write(data);
            }
            Cli.Result r = finish(cli);
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals(String.valueOf(data.length), r.stdout().strip(), r.toString());
        }
    }

    @Test
    void onATerminalEndOfInputIsPassedOnToo() throws Exception {
        try (Cli cli =
                Cli.startWithInput(
                        "run",
                        "-i",
                        "--tty",
                        "-e",
                        "docker",
                        "--image",
                        IMAGE,
                        "--",
                        "sh",
                        "-c",
                        "read x; echo got:$x; cat > /dev/null; echo eof")) {
            type(cli, "abc\nmore");
            cli.stdin().close();
            Cli.Result r = finish(cli);
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(
                    r.stdout().contains("got:abc\r\n") && r.stdout().endsWith("eof\r\n"),
                    r.toString());
        }
    }

    @Test
    void withoutDashITheContainerReadsNothing() throws Exception {
        try (Cli cli = Cli.startWithInput("run", "-e", "docker", "--image", IMAGE, "--", "cat")) {
            type(cli, "not for the task\n");
            Cli.Result r =
                    finish(cli); // our stdin is still open: cat ends because its own input is empty
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals("", r.stdout(), r.toString());
        }
    }
}

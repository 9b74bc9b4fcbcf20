package dev.taskexec.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code taskexec run -i}: the command's standard input reaches the task, and so does its end. */
class RunStdinIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static void type(Cli cli, String text) throws Exception {
        OutputStream in = cli.stdin();
        in.write(text.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    @Test
    void linesReachThePipedTaskAsTheyAreWrittenAndEndOfInputEndsIt() throws Exception {
        try (Cli cli =
                Cli.startWithInput(
                        "run", "-i", "--", "sh", "-c", "read x; echo got:$x; cat; echo eof")) {
            type(cli, "abc\n");
            cli.awaitOutput(
                    "the task's answer to the first line",
                    c -> c.stdout().contains("got:abc\n"),
                    TIMEOUT);
            type(cli, "more\n");
            cli.stdin().close();
            Cli.Result r = cli.await(TIMEOUT);
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals("got:abc\nmore\neof\n", r.stdout(), r.toString());
        }
    }

    @Test
    void onATerminalEndOfInputIsPassedOnToo() throws Exception {
        try (Cli cli =
                Cli.startWithInput(
                        "run",
                        "-i",
                        "--tty",
                        "--",
                        "sh",
                        "-c",
                        "read x; echo got:$x; cat > /dev/null; echo eof")) {
            type(cli, "abc\nmore");
            cli.stdin().close();
            Cli.Result r = cli.await(TIMEOUT);
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(
                    r.stdout().contains("got:abc\r\n") && r.stdout().endsWith("eof\r\n"),
                    r.toString());
        }
    }

    @Test
    void withoutDashITheTaskReadsNothing() throws Exception {
        try (Cli cli = Cli.startWithInput("run", "--", "cat")) {
            type(cli, "not for the task\n");
            Cli.Result r =
                    cli.await(TIMEOUT); // our stdin is still open: cat ends only because it reads
            // /dev/null
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals("", r.stdout(), r.toString());
        }
    }

    @Test
    void aBackendThatCannotTakeInputIsAClearError() throws Exception {
        try (Cli cli = Cli.startWithInput("run", "-i", "-e", "fake", "--", "fake", "exit=0")) {
            Cli.Result r = cli.await(TIMEOUT);
            assertEquals(125, r.exitCode(), r.toString());
            assertTrue(
                    r.stderr().contains("-i: executor 'fake' cannot connect standard input"),
                    r.toString());
        }
    }
}

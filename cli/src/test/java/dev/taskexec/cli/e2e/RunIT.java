package dev.taskexec.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code taskexec run} end to end on the process backend: output, exit codes, state lines, errors. */
class RunIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void runsACommandAndExitsWithItsExitCode() throws Exception {
        Cli.Result r =
                Cli.run(
                        TIMEOUT,
                        "run",
                        "--",
                        "sh",
                        "-c",
                        "echo hello from a task; echo to stderr >&2; exit 3");

        assertEquals(3, r.exitCode(), r.toString());
        assertEquals("hello from a task\n", r.stdout(), r.toString());
        assertTrue(r.stderr().contains("to stderr\n"), r.toString());
        assertEquals(
                List.of("ACCEPTED", "PREPARING", "READY", "STARTING", "RUNNING", "FAILED"),
                r.states(),
                r.toString());
        assertTrue(r.stderr().contains("the task failed with exit code 3"), r.toString());
        assertFalse(r.stderr().contains("Exception"), r.toString());
    }

    @Test
    void aTaskThatExitsZeroCompletes() throws Exception {
        Cli.Result r =
                Cli.run(
                        TIMEOUT,
                        "run",
                        "--env",
                        "WHO=world",
                        "--grace",
                        "2s",
                        "--",
                        "sh",
                        "-c",
                        "echo hello $WHO");

        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("hello world\n", r.stdout(), r.toString());
        assertEquals("COMPLETE", r.states().get(r.states().size() - 1), r.toString());
    }

    @Test
    void theCommandNeedsNoDoubleDashWhenItHasNoOptionsOfTaskexec() throws Exception {
        Cli.Result r = Cli.run(TIMEOUT, "run", "sh", "-c", "echo -n dash-less");

        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("dash-less", r.stdout(), r.toString());
    }

    @Test
    void jsonPrintsEachStateChangeAsAJsonLine() throws Exception {
        Cli.Result r = Cli.run(TIMEOUT, "run", "--json", "--", "sh", "-c", "exit 4");

        assertEquals(4, r.exitCode(), r.toString());
        List<String> states = new ArrayList<>();
        Struct last = null;
        for (String line : r.stderr().lines().filter(l -> l.startsWith("{")).toList()) {
            Struct.Builder object = Struct.newBuilder();
            JsonFormat.parser().merge(line, object);
            last = object.build();
            states.add(last.getFieldsOrThrow("state").getStringValue());
            assertFalse(last.getFieldsOrThrow("task").getStringValue().isEmpty(), line);
            assertTrue(last.getFieldsOrThrow("time").getStringValue().endsWith("Z"), line);
        }
        assertEquals(
                List.of("ACCEPTED", "PREPARING", "READY", "STARTING", "RUNNING", "FAILED"),
                states,
                r.toString());
        assertEquals(4, (int) last.getFieldsOrThrow("exitCode").getNumberValue(), r.toString());
        assertFalse(last.getFieldsOrThrow("err").getStringValue().isEmpty(), r.toString());
    }

    @Test
    void runsATaskFile(@TempDir Path dir) throws Exception {
        Path file =
                Cli.write(
                        dir,
                        "task.json",
                        """
                {"id": "filetask1",
                 "spec": {"container": {"command": ["sh"], "args": ["-c", "echo $GREETING from a file; exit 5"],
                                        "env": ["GREETING=hello"], "stopGracePeriod": "3s"}}}
                """);

        Cli.Result r = Cli.run(TIMEOUT, "run", "--json", "--task", file.toString());

        assertEquals(5, r.exitCode(), r.toString());
        assertEquals("hello from a file\n", r.stdout(), r.toString());
        assertTrue(r.stderr().contains("\"task\":\"filetask1\""), r.toString());
    }

    @Test
    void aMalformedTaskFileIsOneLineWithTheJsonPath(@TempDir Path dir) throws Exception {
        Path file =
                Cli.write(
                        dir,
                        "typo.json",
                        """
                {"spec": {"container": {"comand": ["sh"]}}}
                """);

        Cli.Result r = Cli.run(TIMEOUT, "run", "--task", file.toString());

        assertEquals(125, r.exitCode(), r.toString());
        assertEquals(1, r.stderr().lines().count(), r.toString());
        assertTrue(r.stderr().contains("$.spec.container.comand"), r.toString());
        assertTrue(r.stderr().contains("did you mean 'command'"), r.toString());
        assertEquals("", r.stdout(), r.toString());
    }

    @Test
    void aWrongValueInATaskFileNamesItsPath(@TempDir Path dir) throws Exception {
        Path file =
                Cli.write(
                        dir,
                        "bad.json",
                        """
                {"spec": {"container": {"command": ["sh"], "stopGracePeriod": "soon"}}}
                """);

        Cli.Result r = Cli.run(TIMEOUT, "run", "--task", file.toString());

        assertEquals(125, r.exitCode(), r.toString());
        assertEquals(1, r.stderr().lines().count(), r.toString());
        assertTrue(r.stderr().contains("$.spec.container.stopGracePeriod"), r.toString());
    }

    @Test
    void anUnknownExecutorListsTheKnownOnes() throws Exception {
        Cli.Result r = Cli.run(TIMEOUT, "run", "-e", "nosuch", "--", "true");

        assertEquals(125, r.exitCode(), r.toString());
        assertEquals(1, r.stderr().lines().count(), r.toString());
        assertTrue(r.stderr().contains("nosuch"), r.toString());
        assertTrue(
                r.stderr().contains("docker")
                        && r.stderr().contains("fake")
                        && r.stderr().contains("process"),
                r.toString());
        assertFalse(r.stderr().contains("\tat "), r.toString());
    }

    @Test
    void aBadExecutorOptionIsNamed() throws Exception {
        Cli.Result r = Cli.run(TIMEOUT, "run", "-o", "no-such-option=1", "--", "true");

        assertEquals(125, r.exitCode(), r.toString());
        assertEquals(1, r.stderr().lines().count(), r.toString());
        assertTrue(r.stderr().contains("no-such-option"), r.toString());
    }

    @Test
    void aBadDurationIsNamedWithTheOption() throws Exception {
        Cli.Result r = Cli.run(TIMEOUT, "run", "--grace", "ten", "--", "true");

        assertEquals(125, r.exitCode(), r.toString());
        assertEquals(1, r.stderr().lines().count(), r.toString());
        assertTrue(
                r.stderr().contains("--grace") && r.stderr().contains("'ten' is not a duration"),
                r.toString());
    }

    @Test
    void aRuntimeThatIsDownIsOneLineNotEndlessRetries() throws Exception {
        Cli.Result r =
                Cli.run(
                        TIMEOUT,
                        "run",
                        "-e",
                        "docker",
                        "-o",
                        "host=tcp://127.0.0.1:1",
                        "--image",
                        "taskexec-test:latest",
                        "--",
                        "true");

        assertEquals(125, r.exitCode(), r.toString());
        assertEquals(1, r.stderr().lines().count(), r.toString());
        assertTrue(
                r.stderr().startsWith("taskexec: executor 'docker' cannot run tasks here: "),
                r.toString());
    }

    @Test
    void debugShowsTheStackTrace() throws Exception {
        Cli.Result r = Cli.run(TIMEOUT, "run", "--debug", "-e", "nosuch", "--", "true");

        assertEquals(125, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("\tat "), r.toString());
    }

    @Test
    void aProgramThatDoesNotExistIsRejected() throws Exception {
        Cli.Result r = Cli.run(TIMEOUT, "run", "--", "/no/such/program");

        assertEquals(125, r.exitCode(), r.toString());
        assertTrue(r.states().contains("REJECTED"), r.toString());
        assertTrue(r.stderr().contains("/no/such/program"), r.toString());
    }

    @Test
    void ctrlCShutsTheTaskDownGracefully() throws Exception {
        try (Cli cli =
                Cli.start(
                        "run",
                        "--grace",
                        "20s",
                        "--",
                        "sh",
                        "-c",
                        "trap 'echo got TERM; exit 0' TERM; echo started; while :; do sleep 0.1; done")) {
            // the output is followed from before the start, so it may show before the RUNNING line
            cli.awaitOutput(
                    "the task's first line and its RUNNING line",
                    c -> c.stdout().contains("started\n") && c.stderr().contains(" RUNNING "),
                    TIMEOUT);
            long child = pidOfTask(cli.stderr());

            cli.interrupt();
            Cli.Result r = cli.await(TIMEOUT);

            assertEquals(130, r.exitCode(), r.toString());
            assertTrue(r.stdout().contains("got TERM\n"), "the task saw its stop signal\n" + r);
            assertEquals("SHUTDOWN", r.states().get(r.states().size() - 1), r.toString());
            assertGone(child);
        }
    }

    @Test
    void sigtermShutsTheTaskDownToo() throws Exception {
        try (Cli cli =
                Cli.start(
                        "run",
                        "--grace",
                        "20s",
                        "--",
                        "sh",
                        "-c",
                        "trap 'echo got TERM; exit 0' TERM; echo started; while :; do sleep 0.1; done")) {
            // the output is followed from before the start, so it may show before the RUNNING line
            cli.awaitOutput(
                    "the task's first line and its RUNNING line",
                    c -> c.stdout().contains("started\n") && c.stderr().contains(" RUNNING "),
                    TIMEOUT);
            long child = pidOfTask(cli.stderr());

            cli.signal("TERM");
            Cli.Result r = cli.await(TIMEOUT);

            assertEquals(143, r.exitCode(), r.toString());
            assertTrue(r.stdout().contains("got TERM\n"), "the task saw its stop signal\n" + r);
            assertEquals("SHUTDOWN", r.states().get(r.states().size() - 1), r.toString());
            assertGone(child);
        }
    }

    @Test
    void aClosedStdoutShutsTheTaskDownInsteadOfRunningOnUnread() throws Exception {
        try (Cli cli = Cli.start("run", "--", "sh", "-c", "while :; do echo y; done")) {
            cli.awaitOutput("the task's output", c -> c.stdout().contains("y\n"), TIMEOUT);

            cli.closeStdout();
            Cli.Result r = cli.await(TIMEOUT);

            assertEquals(141, r.exitCode(), r.toString());
            assertTrue(r.stderr().contains("stdout was closed"), r.toString());
            assertEquals("SHUTDOWN", r.states().get(r.states().size() - 1), r.toString());
        }
    }

    @Test
    void aSecondCtrlCTerminatesATaskThatIgnoresItsStopSignal() throws Exception {
        try (Cli cli =
                Cli.start(
                        "run",
                        "--grace",
                        "5m",
                        "--",
                        "sh",
                        "-c",
                        "trap 'echo ignoring TERM' TERM; echo started; while :; do sleep 0.1; done")) {
            // the output is followed from before the start, so it may show before the RUNNING line
            cli.awaitOutput(
                    "the task's first line and its RUNNING line",
                    c -> c.stdout().contains("started\n") && c.stderr().contains(" RUNNING "),
                    TIMEOUT);
            long child = pidOfTask(cli.stderr());

            cli.interrupt();
            cli.awaitOutput(
                    "the task ignoring TERM", c -> c.stdout().contains("ignoring TERM"), TIMEOUT);
            cli.interrupt();
            Cli.Result r = cli.await(TIMEOUT); // far less than the 5m grace period

            assertEquals(130, r.exitCode(), r.toString());
            assertTrue(r.stderr().contains("terminating the task"), r.toString());
            assertEquals("SHUTDOWN", r.states().get(r.states().size() - 1), r.toString());
            assertGone(child);
        }
    }

    @Test
    void runsOnDockerWhenADaemonIsReachable() throws Exception {
        Assumptions.assumeTrue(
                Docker.canRunContainers(), "the docker CLI cannot run taskexec-test:latest here");

        Cli.Result r =
                Cli.run(
                        TIMEOUT,
                        "run",
                        "-e",
                        "docker",
                        "--image",
                        "taskexec-test:latest",
                        "--",
                        "sh",
                        "-c",
                        "echo hello from a container; exit 2");

        assertEquals(2, r.exitCode(), r.toString());
        assertEquals("hello from a container\n", r.stdout(), r.toString());
        assertEquals(
                List.of("ACCEPTED", "PREPARING", "READY", "STARTING", "RUNNING", "FAILED"),
                r.states(),
                r.toString());
        assertTrue(
                r.stderr()
                        .lines()
                        .anyMatch(l -> l.contains(" RUNNING ") && l.contains("(container ")),
                r.toString());
    }

    /** The pid on the RUNNING line: {@code ... RUNNING   started (... pid 4242)}. */
    private static long pidOfTask(String stderr) {
        for (String line : stderr.lines().toList()) {
            int at = line.indexOf(" RUNNING ");
            int pid = line.lastIndexOf("pid ");
            if (at > 0 && pid > at) {
                return Long.parseLong(line.substring(pid + 4).replaceAll("\\D.*", ""));
            }
        }
        throw new AssertionError("no pid on the RUNNING line:\n" + stderr);
    }

    private static void assertGone(long pid) throws InterruptedException {
        Poll.until(
                "the task's process " + pid + " to be gone after the command ended",
                () -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                Duration.ofSeconds(10));
    }
}

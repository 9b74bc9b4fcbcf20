package dev.taskexec.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code taskexec run -e docker}'s pull progress: on a terminal a pull is shown (here one that
 * fails at once: no registry is reachable from the tests, so {@code -o pull=always} of the local
 * test image fails and the local copy runs); with {@code --json}, or when stderr is not a
 * terminal, nothing is.
 */
class PullProgressIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String IMAGE = "taskexec-test:latest";
    private static final Pattern TASK_ID =
            Pattern.compile("\\(task ([^)\\s]+)\\)|\"task\":\"([^\"]+)\"");

    private final List<String> taskIds = new ArrayList<>();

    @BeforeAll
    static void dockerAndATerminal() throws Exception {
        Assumptions.assumeTrue(
                Docker.canRunContainers(), "the docker CLI cannot run " + IMAGE + " here");
        Assumptions.assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/script")),
                "no util-linux script to make a terminal");
    }

    @AfterEach
    void nothingLeft() throws Exception {
        assertEquals(List.of(), Docker.removeTaskContainers(taskIds), "containers left behind");
    }

    private Cli.Result finish(Cli cli) throws Exception {
        Cli.Result r = cli.await(TIMEOUT);
        Matcher m = TASK_ID.matcher(r.stdout() + r.stderr());
        assertTrue(m.find(), "the task's id in the output: " + r);
        taskIds.add(m.group(1) != null ? m.group(1) : m.group(2));
        return r;
    }

    @Test
    void onATerminalThePullIsOneLineOfItsOwn() throws Exception {
        try (Cli cli =
                Cli.onTerminal(
                        "run",
                        "-e",
                        "docker",
                        "-o",
                        "pull=always",
                        "--image",
                        IMAGE,
                        "--",
                        "echo",
                        "hi")) {
            Cli.Result r = finish(cli);
            assertEquals(0, r.exitCode(), r.toString());
            String terminal = r.stdout();
            assertTrue(
                    terminal.contains(
                            "PREPARING preparing\r\n\rtaskexec: pulling " + IMAGE + " failed: "),
                    terminal);
            String pullLine = terminal.substring(terminal.indexOf("\rtaskexec: pulling"));
            pullLine = pullLine.substring(1, pullLine.indexOf("\r\n"));
            assertTrue(pullLine.length() < 80, "cut to the terminal's width: " + pullLine);
            assertTrue(terminal.contains("hi\r\n"), terminal);
        }
    }

    @Test
    void withJsonNothingIsShownEvenOnATerminal() throws Exception {
        try (Cli cli =
                Cli.onTerminal(
                        "run",
                        "--json",
                        "-e",
                        "docker",
                        "-o",
                        "pull=always",
                        "--image",
                        IMAGE,
                        "--",
                        "true")) {
            Cli.Result r = finish(cli);
            assertEquals(0, r.exitCode(), r.toString());
            assertFalse(
                    r.stdout().contains("taskexec: pulling"),
                    r.toString()); // the backend's WARN log says "pulling image" too
        }
    }

    @Test
    void whenStderrIsNotATerminalNothingIsShown() throws Exception {
        Cli.Result r;
        try (Cli cli =
                Cli.start(
                        "run",
                        "-e",
                        "docker",
                        "-o",
                        "pull=always",
                        "--image",
                        IMAGE,
                        "--",
                        "true")) {
            r = finish(cli);
        }
        assertEquals(0, r.exitCode(), r.toString());
        assertFalse(r.stderr().contains("taskexec: pulling"), r.toString());
    }
}

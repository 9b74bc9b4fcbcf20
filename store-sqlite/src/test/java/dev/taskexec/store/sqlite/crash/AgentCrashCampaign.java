package dev.taskexec.store.sqlite.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.taskexec.api.ReapedResource;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.store.sqlite.SqliteTaskStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash campaign every durable backend goes through: a durable worker whose JVM is killed with
 * SIGKILL at random moments and restarted on the same state directory, again and again, while its
 * tasks start, run, exit and are shut down, and then while they are removed (swarmkit #2277's
 * window between a removal and its record's deletion is among the moments hit). At the end every
 * task must have reported its true final state and exit code, no reported status may have gone
 * backwards, no workload may have run twice, and nothing may be left: nothing the backend would
 * reap, no stored record, no agent process, nor what {@link #leftovers()} finds.
 *
 * <p>Bounded by default; the full campaign of issue 12 (100 tasks, 30 kills while running, 5 while
 * removing) with {@code -Dtaskexec.crash.full=true} (see the subclasses for the command).
 */
@Timeout(value = 40, unit = TimeUnit.MINUTES)
abstract class AgentCrashCampaign {

    private static final boolean FULL = Boolean.getBoolean("taskexec.crash.full");
    private final int taskCount = FULL ? 100 : boundedTasks();
    private final int killCount = FULL ? 30 : boundedKills();
    private static final int REMOVAL_KILLS = FULL ? 5 : 2;

    /** Tasks of the bounded (default) campaign. */
    abstract int boundedTasks();

    /** Kills while running, in the bounded campaign. */
    abstract int boundedKills();

    /** {@code docker} or {@code process}: the agent's backend. */
    abstract String backend();

    /** The agent's second argument: the docker owner, or the process backend's state-dir. */
    abstract String owner();

    /** Reaps, like an agent opening on a store holding {@code claimed}, what the backend left. */
    abstract List<ReapedResource> reap(Set<String> claimed) throws Exception;

    /** What of the run is still on the machine beyond what {@link #reap} finds; empty at the end. */
    abstract List<String> leftovers() throws Exception;

    @TempDir Path dir;

    final String run = "crash" + Long.toString(System.nanoTime(), 36);
    private final Random random =
            new Random(Long.getLong("taskexec.crash.seed", System.nanoTime()));

    @Test
    void everyTaskEndsTrueThroughKillsAndNothingIsLeft() throws Exception {
        Path state = dir.resolve("state");
        Path marks = Files.createDirectory(dir.resolve("marks"));
        Files.setPosixFilePermissions(marks, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path statusLog = dir.resolve("statuses.log");
        long processesBefore = ProcessHandle.current().descendants().count();
        assertEquals(List.of(), reap(Set.of()), "of this run before the test");

        for (int k = 0; k < killCount; k++) {
            Process agent = agent(state, marks, statusLog, k < killCount / 2 ? "run" : "shutdown");
            killAfter(agent, 300 + random.nextInt(FULL ? 3000 : 2500));
        }
        Process finishing = agent(state, marks, statusLog, "finish");
        String said = firstLine(finishing, Duration.ofMinutes(5));
        assertEquals("settled", said, "the last agent did not see every task end");
        kill(finishing);

        Map<String, List<String[]>> reported = read(statusLog);
        List<String> problems = new ArrayList<>();
        Map<String, Integer> ran = ranCounts(marks.resolve("ran"));
        for (int i = 0; i < taskCount; i++) {
            String id = CrashWorkload.id(run, i);
            List<String[]> lines = reported.getOrDefault(id, List.of());
            int previous = -1;
            for (String[] line : lines) {
                int value = TaskState.valueOf(line[1]).getNumber();
                if (value < previous) {
                    problems.add(id + ": status went back to " + line[1] + " (" + line[3] + ")");
                }
                previous = Math.max(previous, value);
            }
            if (lines.isEmpty()) {
                problems.add(id + ": never reported");
                continue;
            }
            String[] last = lines.get(lines.size() - 1);
            int code = CrashWorkload.exitCode(i);
            TaskState expected =
                    code < 0
                            ? TaskState.SHUTDOWN
                            : code == 0 ? TaskState.COMPLETE : TaskState.FAILED;
            if (!last[1].equals(expected.name())
                    || (code > 0 && Integer.parseInt(last[2]) != code)) {
                problems.add(
                        id
                                + ": ended "
                                + last[1]
                                + " exit "
                                + last[2]
                                + ", expected "
                                + expected
                                + (code > 0 ? " exit " + code : "")
                                + (last.length > 4 && !last[4].isBlank()
                                        ? " (err: " + last[4] + ")"
                                        : ""));
            }
            int times = ran.getOrDefault(id, 0);
            if (times > 1 || (code >= 0 && times != 1)) {
                problems.add(id + ": its workload ran " + times + " times");
            }
        }
        assertEquals(List.of(), problems, "after " + killCount + " kills");

        for (int k = 0; k < REMOVAL_KILLS; k++) {
            Process remover = agent(state, marks, statusLog, "remove");
            if (remover.waitFor(100 + random.nextInt(1500), TimeUnit.MILLISECONDS)) {
                // a fast backend may finish every removal before the kill comes: that is allowed
                // here
                assertEquals(0, remover.exitValue(), "a removing agent failed");
            } else {
                kill(remover);
            }
        }
        Process removing = agent(state, marks, statusLog, "remove");
        assertEquals("removed", firstLine(removing, Duration.ofMinutes(4)));
        assertTrue(removing.waitFor(1, TimeUnit.MINUTES));

        try (SqliteTaskStore store = SqliteTaskStore.open(state)) {
            assertEquals(List.of(), store.load(), "records left in the store");
        }
        assertEquals(List.of(), reap(Set.of()), "left behind (now reaped)");
        assertEquals(List.of(), leftovers(), "left behind");
        assertEquals(
                processesBefore,
                ProcessHandle.current().descendants().count(),
                "agent processes left");
    }

    private Process agent(Path state, Path marks, Path statusLog, String mode) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(
                        java.toString(),
                        "-Xmx256m",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CrashAgent.class.getName(),
                        state.toString(),
                        owner(),
                        run,
                        Integer.toString(taskCount),
                        marks.toString(),
                        statusLog.toString(),
                        mode,
                        backend())
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("agents.err").toFile()))
                .start();
    }

    private void killAfter(Process agent, int millis) throws Exception {
        if (agent.waitFor(millis, TimeUnit.MILLISECONDS)) {
            fail(
                    "an agent exited by itself with "
                            + agent.exitValue()
                            + ": "
                            + new String(
                                    agent.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                            + " / "
                            + Files.readString(dir.resolve("agents.err")));
        }
        kill(agent);
    }

    private static void kill(Process agent) throws InterruptedException {
        agent.destroyForcibly(); // SIGKILL
        assertTrue(agent.waitFor(1, TimeUnit.MINUTES), "a killed agent did not die");
    }

    private String firstLine(Process agent, Duration limit) throws Exception {
        var reader =
                new BufferedReader(
                        new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
        var line =
                java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return reader.readLine();
                            } catch (IOException e) {
                                return "read failed: " + e;
                            }
                        });
        try {
            return line.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            kill(agent);
            return "nothing within "
                    + limit
                    + "; agents' stderr: "
                    + Files.readString(dir.resolve("agents.err"));
        }
    }

    private static Map<String, List<String[]>> read(Path statusLog) throws IOException {
        Map<String, List<String[]>> byTask = new HashMap<>();
        for (String line : Files.readAllLines(statusLog)) {
            // id state exit mode err (the err may hold spaces, or be empty)
            String[] parts = line.split(" ", 5);
            if (parts.length >= 4) {
                byTask.computeIfAbsent(parts[0], id -> new ArrayList<>()).add(parts);
            }
        }
        return byTask;
    }

    private static Map<String, Integer> ranCounts(Path ran) throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        if (Files.exists(ran)) {
            for (String line : Files.readAllLines(ran)) {
                counts.merge(line.strip(), 1, Integer::sum);
            }
        }
        return counts;
    }
}

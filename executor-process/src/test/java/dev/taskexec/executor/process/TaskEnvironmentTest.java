package dev.taskexec.executor.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.taskexec.api.Controller;
import dev.taskexec.api.proto.LogStream;
import dev.taskexec.api.proto.Task;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A task sees none of the agent's environment but the baseline, unless {@code pass-env} says so.
 * The test JVM carries {@code TASKEXEC_TEST_SECRET_TOKEN} (set by surefire, see the pom), standing
 * for an agent's credential.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TaskEnvironmentTest {

    private static final String SECRET = "TASKEXEC_TEST_SECRET_TOKEN";

    /** What {@code env} prints inside a task run with {@code options}, on both spawn paths and a PTY. */
    private static String envOfTask(Map<String, String> options, boolean posixSpawn, boolean tty)
            throws Exception {
        try (ProcessExecutor executor =
                new ProcessExecutor(ProcessExecutorOptions.parse(options), posixSpawn)) {
            Task task = Tasks.task(c -> c.setTty(tty).addEnv("FROM_TASK=yes"), "env");
            try (Controller c = executor.controller(task)) {
                c.prepare();
                c.start();
                c.await();
                return Logs.text(Logs.all(c), LogStream.LOG_STREAM_STDOUT);
            }
        }
    }

    @ParameterizedTest(name = "posix_spawn={0}")
    @ValueSource(booleans = {true, false})
    void theAgentsSecretDoesNotReachATaskByDefault(boolean posixSpawn) throws Exception {
        assumeTrue(System.getenv(SECRET) != null, "surefire sets " + SECRET);
        String env = envOfTask(Map.of(), posixSpawn, false);
        assertFalse(env.contains(SECRET), env);
        assertTrue(env.contains("PATH=" + System.getenv("PATH")), env);
        assertTrue(env.contains("FROM_TASK=yes"), env);
        assertTrue(env.contains(ProcessController.TASK_ID_ENV + "="), env);
    }

    @Test
    void norThroughAPty() throws Exception {
        assumeTrue(System.getenv(SECRET) != null, "surefire sets " + SECRET);
        String env = envOfTask(Map.of(), true, true);
        assertFalse(env.contains(SECRET), env);
        assertTrue(env.contains("TERM="), env);
    }

    @ParameterizedTest(name = "pass-env={0}")
    @ValueSource(strings = {SECRET, "TASKEXEC_TEST_*", "*", "NOT_SET, " + SECRET})
    void passEnvLetsNamedVariablesThrough(String passEnv) throws Exception {
        assumeTrue(System.getenv(SECRET) != null, "surefire sets " + SECRET);
        String env = envOfTask(Map.of(ProcessExecutorOptions.PASS_ENV, passEnv), true, false);
        assertTrue(env.contains(SECRET + "=s3cret-from-the-agent"), env);
    }

    @Test
    void theTasksOwnEnvWinsOverWhatPassed() {
        TaskEnvironment all = TaskEnvironment.parse("*");
        Map<String, String> env =
                all.build(Map.of("A", "agent", "B", "agent"), Map.of("A", "task"), "t1");
        assertEquals(Map.of("A", "task", "B", "agent", ProcessController.TASK_ID_ENV, "t1"), env);
        Map<String, String> baseline =
                TaskEnvironment.baseline()
                        .build(
                                Map.of("LC_ALL", "C", "AWS_SECRET_ACCESS_KEY", "x", "PATH", "/bin"),
                                Map.of(),
                                "t1");
        assertEquals(
                Map.of("LC_ALL", "C", "PATH", "/bin", ProcessController.TASK_ID_ENV, "t1"),
                baseline);
    }

    @Test
    void malformedPassEnvIsRefusedNamingTheOption() {
        for (String bad : List.of("", "A,,B", "A*B", "A=B")) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    ProcessExecutorOptions.parse(
                                            Map.of(ProcessExecutorOptions.PASS_ENV, bad)),
                            bad);
            assertTrue(e.getMessage().startsWith("pass-env: "), e.getMessage());
        }
    }
}

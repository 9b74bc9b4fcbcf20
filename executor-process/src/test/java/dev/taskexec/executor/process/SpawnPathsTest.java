package dev.taskexec.executor.process;

import static dev.taskexec.executor.process.Conditions.alive;
import static dev.taskexec.executor.process.Conditions.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.taskexec.api.ContainerStatuser;
import dev.taskexec.api.Controller;
import dev.taskexec.api.ExitException;
import dev.taskexec.api.proto.LogStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Both ways of starting a piped task: posix_spawn(3), and the JDK through setsid(1). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpawnPathsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void posixSpawnIsUsedOnLinuxWithGlibc() {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"));
        assumeTrue(
                !Boolean.getBoolean("taskexec.process.noPosixSpawn"), "the fallback was asked for");
        assumeTrue(
                java.nio.file.Files.exists(java.nio.file.Path.of("/lib/x86_64-linux-gnu/libc.so.6"))
                        || java.nio.file.Files.exists(
                                java.nio.file.Path.of("/lib/aarch64-linux-gnu/libc.so.6")));
        assertTrue(PosixSpawn.available());
        try (ProcessExecutor e = new ProcessExecutor(ProcessExecutorOptions.defaults())) {
            assertTrue(e.posixSpawn());
        }
    }

    @ParameterizedTest(name = "posixSpawn={0}")
    @ValueSource(booleans = {true, false})
    void exitCodesSignalsGroupsAndDescriptors(boolean posixSpawn) throws Exception {
        try (ProcessExecutor e =
                new ProcessExecutor(ProcessExecutorOptions.defaults(), posixSpawn)) {
            Controller fds = e.controller(Tasks.sh("ls /proc/$$/fd"));
            fds.start();
            fds.await();
            assertEquals(
                    "0\n1\n2\n",
                    Logs.text(Logs.all(fds), LogStream.LOG_STREAM_STDOUT),
                    "the task inherits only its three standard streams");

            Controller exit = e.controller(Tasks.sh("exit 5"));
            exit.start();
            assertEquals(5, assertThrows(ExitException.class, exit::await).exitCode());

            Controller signalled = e.controller(Tasks.sh("kill -TERM $$"));
            signalled.start();
            assertEquals(143, assertThrows(ExitException.class, signalled::await).exitCode());

            Controller tree = e.controller(Tasks.sh("sleep 1000 & echo $!; wait"));
            tree.start();
            awaitTrue("the child's pid", WAIT, () -> out(tree).contains("\n"));
            long child = Long.parseLong(out(tree).strip());
            long pid = ((ContainerStatuser) tree).containerStatus().orElseThrow().getPid();
            assertEquals(
                    pid,
                    Posix.processGroup(pid).orElseThrow().longValue(),
                    "the task leads its group");
            tree.shutdown();
            assertEquals(143, assertThrows(ExitException.class, tree::await).exitCode());
            awaitTrue("the child to be gone", WAIT, () -> !alive(child));
        }
    }

    @Test
    void aProgramThatCannotBeExecutedFailsToStart(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        assumeTrue(PosixSpawn.available());
        // executable bit, but no valid format and no #! line: exec fails with ENOEXEC
        java.nio.file.Path junk =
                java.nio.file.Files.write(dir.resolve("junk"), new byte[] {0, 1, 2, 3});
        junk.toFile().setExecutable(true);
        try (ProcessExecutor e = new ProcessExecutor(ProcessExecutorOptions.defaults(), true)) {
            Controller c = e.controller(Tasks.task(junk.toString()));
            c.prepare();
            java.io.IOException failure = assertThrows(java.io.IOException.class, c::start);
            assertTrue(
                    failure.getMessage().startsWith("container.command[0]: cannot start"),
                    failure.getMessage());
        }
    }

    private static String out(Controller c) {
        try {
            return Logs.text(Logs.all(c), LogStream.LOG_STREAM_STDOUT);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

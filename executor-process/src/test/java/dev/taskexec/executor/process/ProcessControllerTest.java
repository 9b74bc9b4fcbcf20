package dev.taskexec.executor.process;

import static dev.taskexec.executor.process.Conditions.alive;
import static dev.taskexec.executor.process.Conditions.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Duration;
import dev.taskexec.api.ContainerStatuser;
import dev.taskexec.api.Controller;
import dev.taskexec.api.ControllerClosedException;
import dev.taskexec.api.ExitException;
import dev.taskexec.api.TaskAlreadyPreparedException;
import dev.taskexec.api.TaskAlreadyStartedException;
import dev.taskexec.api.TaskUpdateRejectedException;
import dev.taskexec.api.proto.ContainerStatus;
import dev.taskexec.api.proto.LogMessage;
import dev.taskexec.api.proto.LogStream;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Drives the process controller directly, with real processes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessControllerTest {

    private static final java.time.Duration WAIT = java.time.Duration.ofSeconds(10);

    @TempDir Path stateDir;

    private ProcessExecutor executor;

    @BeforeEach
    void setUp() {
        executor =
                new ProcessExecutor(
                        ProcessExecutorOptions.parse(
                                Map.of(
                                        ProcessExecutorOptions.STATE_DIR,
                                        stateDir.toString(),
                                        ProcessExecutorOptions.STOP_GRACE_PERIOD,
                                        "5s")));
    }

    @AfterEach
    void tearDown() throws Exception {
        executor.close();
        // tasks under a shim outlive their executor's close: what a test left running is reaped
        try (ProcessExecutor next =
                new ProcessExecutor(
                        ProcessExecutorOptions.parse(
                                Map.of(ProcessExecutorOptions.STATE_DIR, stateDir.toString())))) {
            next.reapOrphans(java.util.Set.of());
        }
    }

    /** Calls {@code c.await()} on a thread of its own; the future holds what it threw, or null. */
    private static java.util.concurrent.CompletableFuture<Throwable> awaitInBackground(
            Controller c) {
        java.util.concurrent.CompletableFuture<Throwable> awaited =
                new java.util.concurrent.CompletableFuture<>();
        Thread.ofVirtual()
                .start(
                        () -> {
                            try {
                                c.await();
                                awaited.complete(null);
                            } catch (Throwable t) {
                                awaited.complete(t);
                            }
                        });
        return awaited;
    }

    private Controller run(Task task) throws Exception {
        Controller c = executor.controller(task);
        c.prepare();
        c.start();
        return c;
    }

    @Test
    void stdoutAndStderrAreKeptApartWithTheirContext() throws Exception {
        Task task = Tasks.sh("echo out1; echo err1 >&2; echo out2; printf tail");
        Controller c = run(task);
        c.await();
        List<LogMessage> logs = Logs.all(c);
        assertEquals("out1\nout2\ntail", Logs.text(logs, LogStream.LOG_STREAM_STDOUT));
        assertEquals("err1\n", Logs.text(logs, LogStream.LOG_STREAM_STDERR));
        LogMessage first = logs.get(0);
        assertEquals(task.getId(), first.getContext().getTaskId());
        assertEquals("svc-1", first.getContext().getServiceId());
        assertEquals("node-1", first.getContext().getNodeId());
        assertTrue(first.getTimestamp().getSeconds() > 0);
    }

    @Test
    void nonZeroExitThrowsExitExceptionWithStatus() throws Exception {
        Task task = Tasks.sh("exit 3");
        Controller c = run(task);
        ExitException e = assertThrows(ExitException.class, c::await);
        assertEquals(3, e.exitCode());
        ContainerStatus status = e.containerStatus().orElseThrow();
        assertEquals(3, status.getExitCode());
        assertEquals(TaskStorage.containerId(task.getId()), status.getContainerId());
        assertTrue(status.getPid() > 0);
        // await may be repeated, and the controller reports the same status
        assertEquals(3, assertThrows(ExitException.class, c::await).exitCode());
        assertEquals(status, ((ContainerStatuser) c).containerStatus().orElseThrow());
    }

    @Test
    void deathBySignalReports128PlusSignal() throws Exception {
        Controller c = run(Tasks.sh("kill -USR1 $$"));
        ExitException e = assertThrows(ExitException.class, c::await);
        assertEquals(128 + 10, e.exitCode());
        assertTrue(e.getMessage().contains("SIGUSR1"), e.getMessage());
    }

    @Test
    void argvIsExecutedDirectlyWithoutAShell() throws Exception {
        Controller c = run(Tasks.task("echo", "$HOME", "a  b", "*"));
        c.await();
        assertEquals("$HOME a  b *\n", Logs.text(Logs.all(c), LogStream.LOG_STREAM_STDOUT));
    }

    @Test
    void envAndDirAreHonoured(@TempDir Path dir) throws Exception {
        Controller c =
                run(
                        Tasks.sh(
                                s ->
                                        s.addEnv("FOO=bar=baz")
                                                .addEnv("EMPTY=")
                                                .setDir(dir.toString()),
                                "echo \"$FOO|$EMPTY|$(pwd)\""));
        c.await();
        assertEquals(
                "bar=baz||" + dir.toRealPath() + "\n",
                Logs.text(Logs.all(c), LogStream.LOG_STREAM_STDOUT));
    }

    @Test
    void stdinIsClosedUnlessOpenStdin() throws Exception {
        Controller c = run(Tasks.task("cat"));
        c.await(); // cat sees end of input at once
        Controller open = run(Tasks.task(s -> s.setOpenStdin(true), "cat"));
        assertFalse(waitsOut(open), "cat with open stdin must still be waiting for input");
        open.terminate();
        assertEquals(137, assertThrows(ExitException.class, open::await).exitCode());
    }

    /** True if the task exits within a short while. */
    private static boolean waitsOut(Controller c) {
        Thread waiter =
                Thread.ofVirtual()
                        .start(
                                () -> {
                                    try {
                                        c.await();
                                    } catch (Exception ignored) {
                                        // only whether it returns matters
                                    }
                                });
        try {
            return waiter.join(java.time.Duration.ofMillis(300));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theLastLinesBeforeExitAreNeverLost() throws Exception {
        Controller c =
                run(
                        Tasks.sh(
                                "i=0; while [ $i -lt 5000 ]; do echo line$i; i=$((i+1)); done; echo last >&2"));
        c.await();
        List<LogMessage> logs = Logs.all(c);
        String out = Logs.text(logs, LogStream.LOG_STREAM_STDOUT);
        assertEquals(5000, out.lines().count());
        assertTrue(out.endsWith("line4999\n"));
        assertEquals("last\n", Logs.text(logs, LogStream.LOG_STREAM_STDERR));
    }

    @Test
    void aChattyProcessNeverBlocksAndTheBufferStaysBounded() throws Exception {
        try (ProcessExecutor small =
                new ProcessExecutor(
                        ProcessExecutorOptions.parse(
                                Map.of(ProcessExecutorOptions.LOG_BUFFER_SIZE, "64k")))) {
            Controller c =
                    small.controller(
                            Tasks.sh(
                                    "i=0; while [ $i -lt 20000 ]; do echo 0123456789abcdef$i; i=$((i+1)); done"));
            c.prepare();
            c.start();
            c.await();
            List<LogMessage> logs = Logs.all(c);
            long bytes = logs.stream().mapToLong(m -> m.getData().size()).sum();
            assertTrue(bytes <= 64 * 1024, "buffer holds " + bytes + " bytes");
            assertTrue(
                    Logs.text(logs, LogStream.LOG_STREAM_STDOUT)
                            .endsWith("0123456789abcdef19999\n"));
        }
    }

    @Test
    void manyChattyTasksRunAtOnce() throws Exception {
        List<Controller> tasks = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            tasks.add(
                    run(
                            Tasks.sh(
                                    "i=0; while [ $i -lt 500 ]; do echo out$i; echo err$i >&2; i=$((i+1)); done; exit "
                                            + (i % 3))));
        }
        for (int i = 0; i < tasks.size(); i++) {
            Controller c = tasks.get(i);
            if (i % 3 == 0) {
                c.await();
            } else {
                assertEquals(i % 3, assertThrows(ExitException.class, c::await).exitCode());
            }
            List<LogMessage> logs = Logs.all(c);
            assertEquals(500, Logs.text(logs, LogStream.LOG_STREAM_STDOUT).lines().count());
            assertEquals(500, Logs.text(logs, LogStream.LOG_STREAM_STDERR).lines().count());
        }
    }

    @Test
    void aClosedExecutorMakesNoControllers() {
        executor.close();
        assertThrows(IllegalStateException.class, () -> executor.controller(Tasks.task("true")));
    }

    @Test
    void shutdownSendsTheStopSignalToTheTree() throws Exception {
        Controller c =
                run(
                        Tasks.sh(
                                s -> s.setStopSignal("SIGINT"),
                                "trap 'echo got INT; exit 0' INT; echo ready; while true; do sleep 0.05; done"));
        awaitTrue("the task to be ready", WAIT, () -> stdout(c).contains("ready"));
        c.shutdown();
        c.await(); // exit 0 from the trap
        assertTrue(stdout(c).contains("got INT"));
    }

    @Test
    void shutdownKillsAfterTheGracePeriod() throws Exception {
        Controller c =
                run(
                        Tasks.sh(
                                s ->
                                        s.setStopGracePeriod(
                                                Duration.newBuilder().setNanos(200_000_000)),
                                "trap '' TERM; echo ready; while true; do sleep 0.05; done"));
        awaitTrue("the task to be ready", WAIT, () -> stdout(c).contains("ready"));
        long t0 = System.nanoTime();
        c.shutdown();
        assertTrue(System.nanoTime() - t0 >= 150_000_000L, "the grace period must be waited");
        assertEquals(137, assertThrows(ExitException.class, c::await).exitCode());
    }

    @Test
    void terminateLeavesNoGrandchildBehind() throws Exception {
        Controller c = run(Tasks.sh("sleep 1000 & echo $!; wait"));
        long grandchild = grandchildPid(c);
        assertTrue(alive(grandchild));
        assertEquals(
                Optional.of(
                        (long) ((ContainerStatuser) c).containerStatus().orElseThrow().getPid()),
                Posix.processGroup(grandchild).map(Integer::longValue),
                "the child is in the task's process group");
        c.terminate();
        assertEquals(137, assertThrows(ExitException.class, c::await).exitCode());
        awaitTrue("grandchild " + grandchild + " to be gone", WAIT, () -> !alive(grandchild));
        assertNoChildrenLeft();
    }

    @Test
    void backgroundChildrenDieWithTheTask() throws Exception {
        Controller c = run(Tasks.sh("sleep 1000 & echo $!"));
        c.await();
        long grandchild = Long.parseLong(stdout(c).strip());
        awaitTrue("grandchild " + grandchild + " to be gone", WAIT, () -> !alive(grandchild));
        assertNoChildrenLeft();
    }

    @Test
    void aChildThatLeftTheGroupIsStillSignalledWhileInTheTree() throws Exception {
        Controller c = run(Tasks.sh("setsid sleep 1000 & echo $!; wait"));
        long escaped = grandchildPid(c);
        awaitTrue(
                "the child to leave the group",
                WAIT,
                () -> Posix.processGroup(escaped).map(g -> g == escaped).orElse(false));
        c.terminate();
        assertThrows(ExitException.class, c::await);
        awaitTrue("escaped child " + escaped + " to be gone", WAIT, () -> !alive(escaped));
    }

    @Test
    void awaitReturnsEvenWhenAnEscapedProcessHoldsTheOutputOpen() throws Exception {
        // the escaped sleep keeps stdout open after its parent exits, and cannot be found any more
        Controller c = run(Tasks.sh("setsid sleep 30 & echo $!; echo done"));
        long escaped;
        try {
            c.await();
            String out = stdout(c);
            assertTrue(out.endsWith("done\n"), out);
            escaped = Long.parseLong(out.lines().findFirst().orElseThrow());
        } finally {
            c.close();
        }
        // a documented limit: clean up by hand
        ProcessHandle.of(escaped).ifPresent(ProcessHandle::destroyForcibly);
    }

    @Test
    void ttyMergesStreamsWithCrLf() throws Exception {
        Controller c =
                run(
                        Tasks.sh(
                                s -> s.setTty(true),
                                "echo out; echo err >&2; [ -t 1 ] && echo isatty"));
        c.await();
        List<LogMessage> logs = Logs.all(c);
        assertEquals("out\r\nerr\r\nisatty\r\n", Logs.text(logs, LogStream.LOG_STREAM_STDOUT));
        assertEquals("", Logs.text(logs, LogStream.LOG_STREAM_STDERR));
        assertTrue(
                Files.exists(
                        stateDir.resolve(TaskStorage.containerId(taskId(c))).resolve("tty.log")));
    }

    @Test
    void ttyReportsExitCodesAndKillsItsTree() throws Exception {
        Controller exit = run(Tasks.sh(s -> s.setTty(true), "exit 7"));
        assertEquals(7, assertThrows(ExitException.class, exit::await).exitCode());

        Controller c = run(Tasks.sh(s -> s.setTty(true), "sleep 1000 & echo $!; wait"));
        long grandchild = grandchildPid(c);
        c.terminate();
        assertEquals(137, assertThrows(ExitException.class, c::await).exitCode());
        awaitTrue("grandchild " + grandchild + " to be gone", WAIT, () -> !alive(grandchild));
    }

    @Test
    void secondPrepareAndSecondStartAreRefused() throws Exception {
        Controller c = executor.controller(Tasks.task("true"));
        c.prepare();
        assertThrows(TaskAlreadyPreparedException.class, c::prepare);
        c.start();
        assertThrows(TaskAlreadyStartedException.class, c::start);
        c.await();
        assertThrows(TaskAlreadyStartedException.class, c::start);
    }

    @Test
    void startWithoutPrepareStillPrepares() throws Exception {
        Controller c = executor.controller(Tasks.task("true"));
        c.start();
        c.await();
        assertThrows(TaskAlreadyPreparedException.class, c::prepare);
    }

    @Test
    void stopsBeforeStartAndAfterExitAreNoOps() throws Exception {
        Controller c = executor.controller(Tasks.task("true"));
        assertEquals(Optional.empty(), ((ContainerStatuser) c).containerStatus());
        c.shutdown();
        c.terminate();
        c.prepare();
        c.start();
        c.await();
        c.shutdown();
        c.terminate();
        c.await();
    }

    @Test
    void aTaskRemovedBeforeItStartedNeverStarts() throws Exception {
        Controller c = executor.controller(Tasks.task("true"));
        c.prepare();
        c.remove();
        assertTrue(
                assertThrows(dev.taskexec.api.ExecException.class, c::start)
                        .getMessage()
                        .contains("removed"));
        assertTrue(
                assertThrows(dev.taskexec.api.ExecException.class, c::await)
                        .getMessage()
                        .contains("removed"));
        assertEquals(Optional.empty(), ((ContainerStatuser) c).containerStatus());
    }

    @Test
    void awaitHonoursInterruption() throws Exception {
        Controller c = run(Tasks.task("sleep", "1000"));
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, c::await);
        assertFalse(Thread.interrupted(), "the interrupt is consumed by the exception");
        assertTrue(
                alive(((ContainerStatuser) c).containerStatus().orElseThrow().getPid()),
                "an interrupted await leaves the task running");
        c.terminate();
    }

    @Test
    void removeKillsAndDeletesStorageAndCloseIsFinal() throws Exception {
        Controller c = run(Tasks.sh("echo hi; sleep 1000"));
        awaitTrue("output", WAIT, () -> stdout(c).contains("hi"));
        long pid = ((ContainerStatuser) c).containerStatus().orElseThrow().getPid();
        Path storage = stateDir.resolve(TaskStorage.containerId(taskId(c)));
        assertTrue(Files.readString(storage.resolve("stdout.log")).contains("hi"));
        c.remove();
        assertFalse(alive(pid));
        assertFalse(Files.exists(storage));
        c.remove(); // idempotent
        c.close();
        c.close(); // idempotent
        assertThrows(ControllerClosedException.class, c::prepare);
        assertThrows(ControllerClosedException.class, c::start);
        assertThrows(ControllerClosedException.class, c::await);
        assertThrows(ControllerClosedException.class, c::shutdown);
        assertThrows(ControllerClosedException.class, c::terminate);
        assertThrows(ControllerClosedException.class, c::remove);
    }

    @Test
    void withoutAStateDirCloseKillsARunningTaskAndWakesAwaiters() throws Exception {
        executor.close();
        executor = new ProcessExecutor(ProcessExecutorOptions.defaults());
        Controller c = run(Tasks.sh("sleep 1000 & wait"));
        long pid = ((ContainerStatuser) c).containerStatus().orElseThrow().getPid();
        java.util.concurrent.CompletableFuture<Throwable> awaited = awaitInBackground(c);
        c.close();
        assertInstanceOf(ControllerClosedException.class, awaited.get(10, TimeUnit.SECONDS));
        awaitTrue("the process to be gone", WAIT, () -> !alive(pid));
    }

    @Test
    void underAShimCloseLeavesTheTaskRunningForTheNextExecutorToTakeUp() throws Exception {
        Task task = Tasks.sh("sleep 1000 & wait");
        Controller c = run(task);
        long pid = ((ContainerStatuser) c).containerStatus().orElseThrow().getPid();
        java.util.concurrent.CompletableFuture<Throwable> awaited = awaitInBackground(c);
        c.close();
        executor.close();
        assertInstanceOf(ControllerClosedException.class, awaited.get(10, TimeUnit.SECONDS));
        assertTrue(alive(pid), "the task runs on, as a container outlives its controller");

        executor =
                new ProcessExecutor(
                        ProcessExecutorOptions.parse(
                                Map.of(ProcessExecutorOptions.STATE_DIR, stateDir.toString())));
        Controller taken = executor.controller(task);
        assertThrows(
                TaskAlreadyStartedException.class,
                taken::start,
                "the next executor finds it running");
        taken.terminate();
        assertEquals(128 + 9, assertThrows(ExitException.class, taken::await).exitCode());
        awaitTrue("the process to be gone", WAIT, () -> !alive(pid));
    }

    @Test
    void updatesMayNotChangeTheSpec() throws Exception {
        Task task = Tasks.task("sleep", "1000");
        Controller c = run(task);
        c.update(task.toBuilder().setDesiredState(TaskState.SHUTDOWN).build());
        assertThrows(
                TaskUpdateRejectedException.class,
                () ->
                        c.update(
                                task.toBuilder()
                                        .setSpec(
                                                task.getSpec().toBuilder()
                                                        .setContainer(
                                                                task
                                                                        .getSpec()
                                                                        .getContainer()
                                                                        .toBuilder()
                                                                        .addArgs("x")))
                                        .build()));
        c.terminate();
        assertThrows(ExitException.class, c::await);
        // after exit, updates are ignored
        c.update(Tasks.task("other"));
    }

    @Test
    void theContainerIdIsStable() {
        assertEquals(TaskStorage.containerId("a"), TaskStorage.containerId("a"));
        assertFalse(TaskStorage.containerId("a").equals(TaskStorage.containerId("b")));
        assertEquals(64, TaskStorage.containerId("a").length());
    }

    private static String stdout(Controller c) {
        try {
            return Logs.text(Logs.all(c), LogStream.LOG_STREAM_STDOUT);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static long grandchildPid(Controller c) {
        awaitTrue("the child's pid in the output", WAIT, () -> stdout(c).contains("\n"));
        return Long.parseLong(stdout(c).lines().findFirst().orElseThrow().strip());
    }

    private static String taskId(Controller c) {
        return ((ProcessController) c).taskId();
    }

    /** No process a test started is still a child of this JVM, running or as an unreaped zombie. */
    private static void assertNoChildrenLeft() {
        awaitTrue(
                "no sh or sleep children and no zombie children",
                WAIT,
                () ->
                        Conditions.zombieChildren().isEmpty()
                                && ProcessHandle.current()
                                        .children()
                                        .filter(p -> alive(p.pid()))
                                        .map(p -> p.info().command().orElse(""))
                                        .noneMatch(
                                                cmd ->
                                                        cmd.endsWith("/sh")
                                                                || cmd.endsWith("/sleep")
                                                                || cmd.endsWith("/setsid")));
    }
}

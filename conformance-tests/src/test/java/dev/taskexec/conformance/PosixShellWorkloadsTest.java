package dev.taskexec.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.TaskSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shell workloads do what {@link Workloads} promises, checked by running their
 * scripts with the machine's own {@code sh} (the Docker test image's busybox sh
 * runs the same scripts; the kit's Docker run checks that side).
 */
class PosixShellWorkloadsTest {

    private final Workloads workloads = Workloads.posixShell();
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(p -> p.descendants().forEach(ProcessHandle::destroyForcibly));
        started.forEach(Process::destroyForcibly);
        TestProcesses
                .killMarked(); // the orphans of a shell a test killed, no longer its descendants
    }

    private Process run(TaskSpec spec) throws IOException {
        ContainerSpec container = spec.getContainer();
        List<String> argv = new ArrayList<>(container.getCommandList());
        argv.addAll(container.getArgsList());
        Process process = TestProcesses.mark(new ProcessBuilder(argv)).start();
        started.add(process);
        return process;
    }

    /** Runs the spec as a faithful backend would (env and dir applied), or as one that ignores both. */
    private Process run(TaskSpec spec, boolean honourSpec) throws IOException {
        ContainerSpec container = spec.getContainer();
        List<String> argv = new ArrayList<>(container.getCommandList());
        argv.addAll(container.getArgsList());
        ProcessBuilder builder = new ProcessBuilder(argv);
        if (honourSpec) {
            for (String entry : container.getEnvList()) {
                int eq = entry.indexOf('=');
                builder.environment().put(entry.substring(0, eq), entry.substring(eq + 1));
            }
            if (!container.getDir().isEmpty()) {
                builder.directory(new java.io.File(container.getDir()));
            }
        }
        Process process = TestProcesses.mark(builder).start();
        started.add(process);
        return process;
    }

    @Test
    void expectEnvironmentExitsZeroOnlyWithExactlyItsVariables() throws Exception {
        java.util.Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("TASKEXEC_T_A", "two words = x");
        env.put("TASKEXEC_T_EMPTY", "");
        TaskSpec spec = workloads.expectEnvironment(env).orElseThrow();
        assertEquals(
                List.of("TASKEXEC_T_A=two words = x", "TASKEXEC_T_EMPTY="),
                spec.getContainer().getEnvList());
        assertEquals(0, exitWithin(run(spec, true), Duration.ofSeconds(5)));
        Process ignored = run(spec, false);
        assertEquals(1, exitWithin(ignored, Duration.ofSeconds(5)));
        assertTrue(
                new String(ignored.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                        .contains("TASKEXEC_T_A=(unset)"),
                "it says what it saw");
    }

    @Test
    void expectWorkingDirectoryExitsZeroOnlyThere(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        TaskSpec spec = workloads.expectWorkingDirectory(dir.toString()).orElseThrow();
        assertEquals(dir.toString(), spec.getContainer().getDir());
        assertEquals(0, exitWithin(run(spec, true), Duration.ofSeconds(5)));
        assertEquals(1, exitWithin(run(spec, false), Duration.ofSeconds(5)));
    }

    @Test
    void expectStopSignalTellsItsSignalFromSigterm() throws Exception {
        TaskSpec spec = workloads.expectStopSignal("SIGUSR1", Duration.ofSeconds(2)).orElseThrow();
        assertEquals("SIGUSR1", spec.getContainer().getStopSignal());
        Process right = run(spec);
        awaitChild(right);
        new ProcessBuilder("sh", "-c", "kill -s USR1 " + right.pid()).start().waitFor();
        assertEquals(0, exitWithin(right, Duration.ofSeconds(5)));
        Process wrong = run(spec);
        awaitChild(wrong);
        wrong.destroy();
        assertEquals(3, exitWithin(wrong, Duration.ofSeconds(5)));
    }

    @Test
    void processTreeShowsFiveMarkedProcessesUntilKilled() throws Exception {
        String marker = "taskexec-conformance-selftest-" + System.nanoTime();
        Process process = run(workloads.processTree(marker, Duration.ofSeconds(1)).orElseThrow());
        awaitChild(process);
        List<String> seen =
                dev.taskexec.conformance.check.Poll.until(
                        Duration.ofSeconds(5),
                        // exactly: each loop's fork carries the script's command line until it
                        // execs sleep,
                        // so a look can catch a sixth or more, briefly
                        () -> dev.taskexec.conformance.check.HostProcesses.withMarker(marker),
                        found -> found.size() == 5);
        assertEquals(5, seen.size(), String.join("\n", seen));
        process.destroy();
        assertFalse(
                process.waitFor(300, TimeUnit.MILLISECONDS), "the tree ignores its stop signal");
        dev.taskexec.conformance.check.HostProcesses.killMarked(marker);
        assertEquals(
                List.of(),
                dev.taskexec.conformance.check.Poll.until(
                        Duration.ofSeconds(5),
                        () -> dev.taskexec.conformance.check.HostProcesses.withMarker(marker),
                        List::isEmpty));
    }

    @Test
    void unrunnableNamesAnUnknownStopSignalAndWithoutAnImageNoCommand() {
        assertEquals(
                List.of("an unknown stop_signal", "a container spec without a command"),
                List.copyOf(workloads.unrunnable().keySet()));
        assertEquals(
                List.of("an unknown stop_signal"),
                List.copyOf(Workloads.posixShell("busybox").unrunnable().keySet()));
        assertTrue(
                Workloads.fake().expectEnvironment(java.util.Map.of("A", "b")).isEmpty(),
                "the fake has no environment");
    }

    private static int exitWithin(Process process, Duration limit) throws InterruptedException {
        assertTrue(
                process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS),
                "still running after " + limit);
        return process.exitValue();
    }

    @Test
    void exitCodes() throws Exception {
        for (int code : new int[] {0, 3, 125}) {
            assertEquals(code, exitWithin(run(workloads.exit(code)), Duration.ofSeconds(5)));
        }
    }

    @Test
    void exitAfterWaitsThenExits() throws Exception {
        long begin = System.nanoTime();
        int code =
                exitWithin(
                        run(workloads.exitAfter(Duration.ofMillis(1), 4)), Duration.ofSeconds(5));
        assertEquals(4, code);
        assertTrue(
                System.nanoTime() - begin >= TimeUnit.MILLISECONDS.toNanos(900),
                "exited before its delay");
    }

    @Test
    void printWritesEachLineToItsStream() throws Exception {
        Process process = run(workloads.print(List.of("a 1", "b=2"), List.of("e 1"), 7));
        assertEquals(7, exitWithin(process, Duration.ofSeconds(5)));
        assertEquals(
                "a 1\nb=2\n",
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(
                "e 1\n",
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void printRefusesLinesTheScriptCouldNotQuote() {
        assertThrows(
                IllegalArgumentException.class,
                () -> workloads.print(List.of("it's"), List.of(), 0));
        assertThrows(IllegalArgumentException.class, () -> workloads.exit(126));
    }

    @Test
    void runUntilStoppedExitsZeroOnItsStopSignalAndLeavesNoChild() throws Exception {
        Process process = run(workloads.runUntilStopped(Duration.ofSeconds(1)));
        awaitChild(process);
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy(); // SIGTERM to the shell only, as Docker signals PID 1
        assertEquals(0, exitWithin(process, Duration.ofSeconds(5)));
        for (ProcessHandle child : children) {
            assertTrue(
                    child.onExit().get(5, TimeUnit.SECONDS) != null && !child.isAlive(),
                    "orphaned " + child);
        }
    }

    @Test
    void ignoreStopSignalSurvivesItsStopSignalUntilKilled() throws Exception {
        Process process = run(workloads.ignoreStopSignal(Duration.ofSeconds(1)));
        awaitChild(process);
        process.destroy();
        assertFalse(process.waitFor(500, TimeUnit.MILLISECONDS), "exited on its stop signal");
        process.destroyForcibly();
        assertEquals(137, exitWithin(process, Duration.ofSeconds(5)));
    }

    @Test
    void gracePeriodIsSetOnTheSpec() {
        TaskSpec spec = workloads.runUntilStopped(Duration.ofMillis(1500));
        assertEquals(1, spec.getContainer().getStopGracePeriod().getSeconds());
        assertEquals(500_000_000, spec.getContainer().getStopGracePeriod().getNanos());
    }

    @Test
    void rejectedNamesNoRunnableProgram() {
        TaskSpec spec = workloads.rejected();
        assertThrows(IOException.class, () -> run(spec));
        assertTrue(spec.getContainer().getImage().isEmpty());
        assertFalse(Workloads.posixShell("busybox").rejected().getContainer().getImage().isEmpty());
    }

    @Test
    void imageVariantSetsTheImage() {
        Workloads docker = Workloads.posixShell("taskexec-test:latest");
        assertEquals("taskexec-test:latest", docker.exit(0).getContainer().getImage());
        assertThrows(IllegalArgumentException.class, () -> Workloads.posixShell(" "));
    }

    /**
     * Waits (with a deadline) for the workload's ready line, written once its trap is
     * installed, and then for its sleep to exist.
     */
    private static void awaitChild(Process process) throws Exception {
        java.io.BufferedReader out =
                new java.io.BufferedReader(
                        new java.io.InputStreamReader(
                                process.getInputStream(), StandardCharsets.UTF_8));
        java.util.concurrent.CompletableFuture<String> line =
                java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return out.readLine();
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        });
        assertEquals(Workloads.READY, line.get(5, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (process.descendants().findAny().isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the workload never started its child");
            // a poll bounded by the deadline above, not a sleep standing in for a condition
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}

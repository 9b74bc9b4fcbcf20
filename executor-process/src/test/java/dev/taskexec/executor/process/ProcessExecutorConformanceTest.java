package dev.taskexec.executor.process;

import dev.taskexec.api.ExecutorProvider;
import dev.taskexec.api.proto.Task;
import dev.taskexec.conformance.Capability;
import dev.taskexec.conformance.ExecutorConformance;
import dev.taskexec.conformance.ResourceProbe;
import dev.taskexec.conformance.Workloads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The process backend against the whole conformance kit. The probe looks at the machine: any live
 * process whose environment carries the task's id ({@code TASKEXEC_TASK_ID}, which the backend
 * sets for every task), found through {@code /proc}.
 *
 * <p>Every capability is declared but {@code PORT_STATUS}: a local process publishes no ports.
 */
class ProcessExecutorConformanceTest extends ExecutorConformance {

    @Override
    protected ExecutorProvider provider() {
        return new ProcessExecutorProvider();
    }

    @Override
    protected Workloads workloads() {
        return Workloads.posixShell();
    }

    @Override
    protected Set<Capability> capabilities() {
        EnumSet<Capability> all = EnumSet.allOf(Capability.class);
        all.remove(Capability.PORT_STATUS);
        return all;
    }

    /** A state directory: the backend's tasks outlive an executor only with one. */
    @Override
    protected Map<String, String> options() {
        return Map.of(ProcessExecutorOptions.STATE_DIR, STATE_DIR.toString());
    }

    private static final Path STATE_DIR = stateDir();

    /** Every rule removed or reaped its tasks: nothing may be left in the state directory. */
    @org.junit.jupiter.api.AfterAll
    static void stateDirLeftEmpty() throws IOException {
        List<Path> left;
        try (Stream<Path> list = Files.list(STATE_DIR)) {
            left = list.toList();
        }
        org.junit.jupiter.api.Assertions.assertEquals(
                List.of(), left, "task folders left in the state directory");
        Files.delete(STATE_DIR);
    }

    private static Path stateDir() {
        try {
            return Files.createTempDirectory("taskexec-process-conformance-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    protected ResourceProbe resources() {
        return ProcessExecutorConformanceTest::processesOf;
    }

    /** Live processes whose environment names the task; zombies have no environment left. */
    static List<String> processesOf(Task task) throws IOException {
        byte[] marker =
                ("\0" + ProcessController.TASK_ID_ENV + "=" + task.getId() + "\0")
                        .getBytes(StandardCharsets.UTF_8);
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p :
                    procs.filter(
                                    p ->
                                            p.getFileName()
                                                    .toString()
                                                    .chars()
                                                    .allMatch(Character::isDigit))
                            .toList()) {
                byte[] environ;
                try {
                    byte[] raw = Files.readAllBytes(p.resolve("environ"));
                    environ = new byte[raw.length + 1];
                    System.arraycopy(
                            raw,
                            0,
                            environ,
                            1,
                            raw.length); // a leading NUL, so the first entry matches too
                } catch (IOException | SecurityException gone) {
                    continue; // exited meanwhile, or not ours to read
                }
                if (contains(environ, marker)) {
                    String cmd =
                            new String(
                                            Files.readAllBytes(p.resolve("cmdline")),
                                            StandardCharsets.UTF_8)
                                    .replace('\0', ' ');
                    found.add("process " + p.getFileName() + ": " + cmd.strip());
                }
            }
        }
        return found;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}

package dev.taskexec.store.sqlite.crash;

import dev.taskexec.api.ReapedResource;
import dev.taskexec.api.TaskRecovery;
import dev.taskexec.executor.process.ProcessExecutorProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@link AgentCrashCampaign} on the process backend: the tasks' shims outlive each killed agent
 * and the next one re-adopts them. At the end nothing may be left: no task folder in the backend's
 * {@code state-dir}, and no live process whose environment names one of the run's tasks
 * ({@code TASKEXEC_TASK_ID}), shim or workload, found through {@code /proc}.
 *
 * <p>Bounded by default (24 tasks, 6 kills while running and 2 while removing: about 40 s). The full
 * campaign:
 * <pre>
 * bin/with-jdk ./mvnw -B -pl store-sqlite -am verify -Dtest=ProcessCrashTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dtaskexec.crash.full=true
 * </pre>
 */
@EnabledOnOs(OS.LINUX)
class ProcessCrashTest extends AgentCrashCampaign {

    private Path stateDir;

    @BeforeAll
    static void linux() {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.isDirectory(Path.of("/proc/self")), "no /proc");
    }

    @Override
    int boundedTasks() {
        return 24;
    }

    @Override
    int boundedKills() {
        return 6;
    }

    @Override
    String backend() {
        return "process";
    }

    @Override
    String owner() {
        if (stateDir == null) {
            stateDir = dir.resolve("process-tasks");
        }
        return stateDir.toString();
    }

    @Override
    List<ReapedResource> reap(Set<String> claimed) throws Exception {
        try (var process = new ProcessExecutorProvider().create(Map.of("state-dir", owner()))) {
            return ((TaskRecovery) process).reapOrphans(claimed);
        }
    }

    @Override
    List<String> leftovers() throws IOException {
        List<String> left = new ArrayList<>();
        try (Stream<Path> folders = Files.list(Path.of(owner()))) {
            folders.forEach(f -> left.add("task folder " + f));
        }
        byte[] marker = ("TASKEXEC_TASK_ID=" + run + "-").getBytes(StandardCharsets.UTF_8);
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
                    environ = Files.readAllBytes(p.resolve("environ"));
                } catch (IOException | UncheckedIOException | SecurityException gone) {
                    continue;
                }
                if (indexOf(environ, marker) >= 0) {
                    left.add(
                            "process "
                                    + p.getFileName()
                                    + ": "
                                    + new String(
                                                    Files.readAllBytes(p.resolve("cmdline")),
                                                    StandardCharsets.UTF_8)
                                            .replace('\0', ' '));
                }
            }
        }
        return left;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

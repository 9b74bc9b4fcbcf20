package dev.taskexec.benchmarks.process;

import dev.taskexec.api.Controller;
import dev.taskexec.api.Executor;
import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskSpec;
import dev.taskexec.executor.process.ProcessExecutorProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What it costs to keep a process-backend task alive across agent restarts: starts {@code N}
 * {@code sleep 600} tasks on a process executor with a {@code state-dir} (so each runs under its
 * shim), then counts, through {@code /proc}, the processes carrying each task's id and the memory
 * of the shims: resident set (VmRSS, shared pages counted in full) and proportional set (Pss, shared
 * pages divided among their users), and the files of the state directory. Then stops them all.
 * A measurement, not a JMH benchmark: nothing here is timed.
 *
 * <p>Run by {@code benchmarks/process-survival-cost.sh [N]} (default 1000).
 */
public final class SurvivalCost {

    private SurvivalCost() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Path state = Files.createTempDirectory("taskexec-survival-cost-");
        String run = "cost" + Long.toString(System.nanoTime(), 36);
        List<Controller> controllers = new ArrayList<>();
        try (Executor executor =
                new ProcessExecutorProvider().create(Map.of("state-dir", state.toString()))) {
            for (int i = 0; i < n; i++) {
                Task task =
                        Task.newBuilder()
                                .setId(run + "-" + i)
                                .setSpec(
                                        TaskSpec.newBuilder()
                                                .setContainer(
                                                        ContainerSpec.newBuilder()
                                                                .addCommand("sleep")
                                                                .addCommand("600")))
                                .build();
                Controller c = executor.controller(task);
                c.start();
                controllers.add(c);
            }
            Map<Integer, Integer> perTask = new HashMap<>();
            long deadline = System.nanoTime() + 120_000_000_000L;
            List<int[]> found;
            do {
                found = processes(run); // {pid, pgid, isShim}
                perTask.clear();
                for (int[] p : found) {
                    perTask.merge(p[1], 1, Integer::sum);
                }
            } while ((perTask.size() < n || perTask.values().stream().anyMatch(c -> c < 2))
                    && System.nanoTime() < deadline
                    && pause());
            long rssKb = 0;
            long pssKb = 0;
            int shims = 0;
            for (int[] p : found) {
                if (p[2] == 1) {
                    shims++;
                    rssKb += field(Path.of("/proc", Integer.toString(p[0]), "status"), "VmRSS:");
                    pssKb +=
                            field(Path.of("/proc", Integer.toString(p[0]), "smaps_rollup"), "Pss:");
                }
            }
            long files;
            try (Stream<Path> walk = Files.walk(state)) {
                files = walk.filter(Files::isRegularFile).count();
            }
            System.out.printf("running tasks:                 %d%n", n);
            System.out.printf(
                    "processes carrying a task id:  %d (%.2f per task: the shim and the task's own)%n",
                    found.size(), (double) found.size() / n);
            System.out.printf(
                    "shims:                         %d (%.2f per task)%n",
                    shims, (double) shims / n);
            System.out.printf(
                    "shim RSS, average:             %d KiB (shared libc and sh pages counted in each)%n",
                    shims == 0 ? 0 : rssKb / shims);
            System.out.printf(
                    "shim PSS, average:             %d KiB (shared pages divided among their users)%n",
                    shims == 0 ? 0 : pssKb / shims);
            System.out.printf("shim PSS, total:               %.1f MiB%n", pssKb / 1024.0);
            System.out.printf("state files per task:          %.1f%n", (double) files / n);
            for (Controller c : controllers) {
                c.terminate();
                c.remove();
            }
        } finally {
            Files.deleteIfExists(state);
        }
    }

    private static boolean pause() throws InterruptedException {
        Thread.sleep(200);
        return true;
    }

    /** Live processes of the run: pid, process group, and 1 for a shim (its group's leader). */
    private static List<int[]> processes(String run) throws IOException {
        byte[] marker = ("TASKEXEC_TASK_ID=" + run + "-").getBytes(StandardCharsets.UTF_8);
        List<int[]> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p :
                    procs.filter(
                                    p ->
                                            p.getFileName()
                                                    .toString()
                                                    .chars()
                                                    .allMatch(Character::isDigit))
                            .toList()) {
                try {
                    if (!contains(Files.readAllBytes(p.resolve("environ")), marker)) {
                        continue;
                    }
                    String stat = Files.readString(p.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    int pid = Integer.parseInt(p.getFileName().toString());
                    int pgid = Integer.parseInt(f[2]);
                    found.add(new int[] {pid, pgid, pid == pgid ? 1 : 0});
                } catch (IOException gone) {
                    // exited meanwhile
                }
            }
        }
        return found;
    }

    private static long field(Path file, String name) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | NumberFormatException gone) {
            // exited meanwhile
        }
        return 0;
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

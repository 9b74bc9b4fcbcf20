package dev.taskexec.executor.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds a task's processes through Linux's {@code /proc}: by the {@code TASKEXEC_TASK_ID} entry
 * every process of a task inherits, or by process group. Used where no live parent knows them:
 * after an agent restart, and by the orphan reaper. Processes that exit while being looked at are
 * skipped; the answer is a snapshot.
 */
final class TaskProcesses {

    private static final Path PROC = Path.of("/proc");

    private TaskProcesses() {
    }

    /** Pids of live processes whose environment carries {@code TASKEXEC_TASK_ID=taskId}. */
    static List<Integer> carrying(String taskId) {
        byte[] marker = ("\0" + ProcessController.TASK_ID_ENV + "=" + taskId + "\0").getBytes(StandardCharsets.UTF_8);
        List<Integer> found = new ArrayList<>();
        for (int pid : pids()) {
            if (carries(pid, marker)) {
                found.add(pid);
            }
        }
        return found;
    }

    /** Whether live process {@code pid} carries {@code TASKEXEC_TASK_ID=taskId} (a pid reused by another does not). */
    static boolean carries(int pid, String taskId) {
        return carries(pid, ("\0" + ProcessController.TASK_ID_ENV + "=" + taskId + "\0").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The children of {@code pid} ({@code /proc/PID/task/PID/children}; a shim has one thread), or
     * null where the kernel does not list them (built without {@code CONFIG_PROC_CHILDREN}).
     */
    static List<Integer> children(int pid) {
        Path file = PROC.resolve(Integer.toString(pid)).resolve("task").resolve(Integer.toString(pid)).resolve("children");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (java.nio.file.NoSuchFileException e) {
            return Files.isDirectory(file.getParent()) ? null : List.of(); // no such listing, or the process is gone
        } catch (IOException e) {
            return List.of();
        }
        List<Integer> found = new ArrayList<>();
        for (String s : text.strip().split("\\s+")) {
            if (!s.isEmpty()) {
                found.add(Integer.parseInt(s));
            }
        }
        return found;
    }

    /** Pids of live processes in process group {@code pgid}, but {@code except}. */
    static List<Integer> inGroup(int pgid, int except) {
        List<Integer> found = new ArrayList<>();
        for (int pid : pids()) {
            if (pid != except && Posix.processGroup(pid).map(g -> g == pgid).orElse(false)) {
                found.add(pid);
            }
        }
        return found;
    }

    private static boolean carries(int pid, byte[] marker) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(PROC.resolve(Integer.toString(pid)).resolve("environ"));
        } catch (IOException | SecurityException gone) {
            return false; // exited, a zombie, or not ours to read
        }
        // a leading NUL, so the first entry matches as well
        outer:
        for (int i = -1; i + marker.length <= raw.length + 1; i++) {
            for (int j = 0; j < marker.length; j++) {
                int k = i + j;
                byte b = k < 0 || k >= raw.length ? 0 : raw[k];
                if (b != marker[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static List<Integer> pids() {
        List<Integer> pids = new ArrayList<>();
        try (Stream<Path> procs = Files.list(PROC)) {
            procs.map(p -> p.getFileName().toString())
                    .filter(n -> !n.isEmpty() && n.chars().allMatch(Character::isDigit))
                    .forEach(n -> pids.add(Integer.parseInt(n)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list /proc", e);
        }
        return pids;
    }
}

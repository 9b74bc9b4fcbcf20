package dev.taskexec.executor.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds a task's processes through Linux's {@code /proc}: by the {@code TASKEXEC_TASK_ID} entry
 * every process of a task inherits, or by process group (used where no live parent knows them:
 * after an agent restart, and by the orphan reaper; each reads every process of the host), or
 * below a live process through the kernel's child lists (used by every stop; reads only the tree).
 * Processes that exit while being looked at are skipped; the answer is a snapshot.
 */
final class TaskProcesses {

    private static final Path PROC = Path.of("/proc");

    /**
     * Whether the kernel lists each thread's children ({@code /proc/PID/task/TID/children}, Linux
     * 3.5 with {@code CONFIG_PROC_CHILDREN}, which the common distributions' kernels set).
     */
    static final boolean CHILD_LISTS = childLists();

    private static boolean childLists() {
        String self = Long.toString(ProcessHandle.current().pid());
        return Files.isReadable(
                PROC.resolve(self).resolve("task").resolve(self).resolve("children"));
    }

    private TaskProcesses() {}

    /** Pids of live processes whose environment carries {@code TASKEXEC_TASK_ID=taskId}. */
    static List<Integer> carrying(String taskId) {
        byte[] marker =
                ("\0" + ProcessController.TASK_ID_ENV + "=" + taskId + "\0")
                        .getBytes(StandardCharsets.UTF_8);
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
        return carries(
                pid,
                ("\0" + ProcessController.TASK_ID_ENV + "=" + taskId + "\0")
                        .getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The children of {@code pid} ({@code /proc/PID/task/PID/children}; a shim has one thread), or
     * null where the kernel does not list them (built without {@code CONFIG_PROC_CHILDREN}).
     */
    static List<Integer> children(int pid) {
        Path file =
                PROC.resolve(Integer.toString(pid))
                        .resolve("task")
                        .resolve(Integer.toString(pid))
                        .resolve("children");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (java.nio.file.NoSuchFileException e) {
            return Files.isDirectory(file.getParent())
                    ? null
                    : List.of(); // no such listing, or the process is gone
        } catch (IOException e) {
            return List.of();
        }
        return parse(text);
    }

    /**
     * The descendants of {@code pid} (its children, theirs, and so on, whatever their process group or
     * session), found by following the kernel's child lists down from it: the cost grows with the size
     * of the tree, not with the number of processes on the host (as a scan of every {@code /proc/PID},
     * which {@link ProcessHandle#descendants()} is, does). Every thread's list is read, since a child
     * belongs to the thread that forked it. Null where the kernel keeps no such lists
     * ({@link #CHILD_LISTS}); empty when {@code pid} is gone.
     *
     * <p>A snapshot, as any reading of {@code /proc} is: a process forked, or re-parented after its
     * parent's exit, while the tree is read may be missed (the kernel's own caveat for these lists);
     * callers signal the process group too, which no member escapes.
     */
    static List<Integer> descendants(int pid) {
        if (!CHILD_LISTS) {
            return null;
        }
        List<Integer> found = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        seen.add(pid);
        ArrayDeque<Integer> below = new ArrayDeque<>();
        below.add(pid);
        while (!below.isEmpty()) {
            for (int child : childrenOfEveryThread(below.poll())) {
                if (seen.add(child)) { // a pid reused while the tree is read cannot make a loop
                    found.add(child);
                    below.add(child);
                }
            }
        }
        return found;
    }

    /** The children of every thread of {@code pid}; empty when it is gone. */
    private static List<Integer> childrenOfEveryThread(int pid) {
        List<Integer> found = new ArrayList<>();
        try (Stream<Path> threads =
                Files.list(PROC.resolve(Integer.toString(pid)).resolve("task"))) {
            for (Path thread : (Iterable<Path>) threads::iterator) {
                found.addAll(listed(thread.resolve("children")));
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // the process (or one of its threads) went while being read: what was read stands
        }
        return found;
    }

    /** The pids in a {@code children} file; empty when it cannot be read (its thread is gone). */
    private static List<Integer> listed(Path children) {
        String text;
        try {
            text = Files.readString(children, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return List.of();
        }
        return parse(text);
    }

    private static List<Integer> parse(String text) {
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

package dev.taskexec.conformance.check;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * The kit's own view of the processes on this machine, for the rules that look for survivors
 * without a user-written {@link dev.taskexec.conformance.ResourceProbe} (LC-12, LC-13, RS-6): it
 * finds the live processes whose command line holds a marker the workload was given.
 *
 * <p>Matching on the command line rather than on pids keeps it honest for backends whose
 * workloads run in another pid namespace (containers): a pid reported from inside a container
 * means nothing here, but the container's processes are still processes of this machine with the
 * same command line. A workload whose processes this view cannot see (a remote daemon, a VM) is
 * found missing while it runs, and the rules are then skipped, not passed.
 *
 * <p>On Linux it reads {@code /proc} (zombies, which are dead and only wait to be reaped, do not
 * count); elsewhere it asks {@link ProcessHandle#allProcesses()}, which sees only what the JDK can
 * read of other users' processes.
 */
@API(status = INTERNAL, since = "0.1")
public final class HostProcesses {

    private static final Path PROC = Path.of("/proc");

    private HostProcesses() {}

    /**
     * The live processes whose command line contains {@code marker}, one line each
     * ({@code "process 4242: sh -c ..."}). Never throws for a process that exits while it looks.
     */
    public static List<String> withMarker(String marker) {
        if (Files.isDirectory(PROC.resolve("self"))) {
            return fromProc(marker);
        }
        List<String> found = new ArrayList<>();
        ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .forEach(
                        process -> {
                            String command = process.info().commandLine().orElse("");
                            if (command.contains(marker)) {
                                found.add("process " + process.pid() + ": " + shorten(command));
                            }
                        });
        return found;
    }

    /**
     * Kills (SIGKILL) every process this JVM may kill whose command line contains {@code marker}:
     * the kit's clean-up after a rule that found survivors, so that one broken backend does not
     * leave loops running on the machine. Best effort.
     */
    public static void killMarked(String marker) {
        for (String line : withMarker(marker)) {
            String pid = line.substring("process ".length(), line.indexOf(':'));
            try {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            } catch (RuntimeException notOurs) {
                // Another user's process (a container's): its runtime ends it.
            }
        }
    }

    private static List<String> fromProc(String marker) {
        byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        List<String> found = new ArrayList<>();
        List<Path> pids;
        try (Stream<Path> entries = Files.list(PROC)) {
            pids =
                    entries.filter(
                                    p ->
                                            p.getFileName()
                                                    .toString()
                                                    .chars()
                                                    .allMatch(Character::isDigit))
                            .toList();
        } catch (IOException e) {
            return found;
        }
        for (Path pid : pids) {
            try {
                byte[] cmdline = Files.readAllBytes(pid.resolve("cmdline"));
                if (contains(cmdline, needle) && !isZombie(pid)) {
                    found.add(
                            "process "
                                    + pid.getFileName()
                                    + ": "
                                    + shorten(
                                            new String(cmdline, StandardCharsets.UTF_8)
                                                    .replace('\0', ' ')
                                                    .strip()));
                }
            } catch (IOException | SecurityException gone) {
                // Exited while we looked, or not ours to read: not a survivor we can name.
            }
        }
        return found;
    }

    private static boolean isZombie(Path pid) throws IOException {
        String stat = Files.readString(pid.resolve("stat"), StandardCharsets.UTF_8);
        int end = stat.lastIndexOf(')');
        return end >= 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z';
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

    private static String shorten(String command) {
        return command.length() <= 60 ? command : command.substring(0, 57) + "...";
    }
}

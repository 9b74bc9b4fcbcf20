package dev.taskexec.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Processes the kit's own tests start directly, marked so that none outlives the test: a mark in
 * the environment, which every descendant inherits, finds them wherever they are in the process
 * tree, orphans of a killed parent included (a workload's {@code sleep} whose shell was killed is
 * re-parented to init and no longer a descendant of anything the test holds).
 */
public final class TestProcesses {

    private static final String VARIABLE = "TASKEXEC_KIT_TEST_PROCESS";
    private static final String MARK = UUID.randomUUID().toString();

    private TestProcesses() {}

    /** Marks what {@code builder} will start; returns it. */
    public static ProcessBuilder mark(ProcessBuilder builder) {
        builder.environment().put(VARIABLE, MARK);
        return builder;
    }

    /** Kills every live process started from a marked builder in this JVM, and their descendants; how many. */
    public static int killMarked() {
        String needle = VARIABLE + "=" + MARK;
        int killed = 0;
        for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
            byte[] environ;
            try {
                environ = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "environ"));
            } catch (IOException | SecurityException gone) {
                continue; // ended meanwhile, or another user's
            }
            // Latin-1 maps every byte to one char: a plain substring search over the raw bytes
            if (new String(environ, StandardCharsets.ISO_8859_1).contains(needle)
                    && p.destroyForcibly()) {
                killed++;
            }
        }
        return killed;
    }
}

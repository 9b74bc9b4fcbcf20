package dev.taskexec.executor.process;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link ScratchDirectoryTest}: makes a scratch directory in the parent
 * given as its argument, prints its path, and holds it until its stdin ends or it is killed.
 */
public final class ScratchOwnerProbe {

    private ScratchOwnerProbe() {}

    public static void main(String[] args) throws Exception {
        try (ScratchDirectory dir = ScratchDirectory.create(Path.of(args[0]))) {
            System.out.println(dir.path());
            System.out.flush();
            while (System.in.read() >= 0) {
                // holds the directory until the test closes our stdin, or kills us
            }
        }
    }
}

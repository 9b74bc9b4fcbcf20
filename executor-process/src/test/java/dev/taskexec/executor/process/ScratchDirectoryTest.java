package dev.taskexec.executor.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scratch directories of executors whose JVM was killed are deleted by the next executor that
 * makes one in the same place; those of live owners, in this JVM or another, are not.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScratchDirectoryTest {

    @TempDir Path parent;

    private Process owner() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(
                        List.of(
                                java.toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                ScratchOwnerProbe.class.getName(),
                                parent.toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static Path announced(Process p) throws Exception {
        String line =
                new BufferedReader(
                                new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
        assertNotNull(line, "the owner JVM printed its directory");
        Path dir = Path.of(line);
        assertTrue(Files.isDirectory(dir));
        Files.writeString(dir.resolve("stdout.log"), "output of a task\n");
        return dir;
    }

    @Test
    void theDirectoryOfAKilledJvmIsDeletedAndThatOfALiveOneKept() throws Exception {
        Process killed = owner();
        Process live = owner();
        try {
            Path left = announced(killed);
            Path kept = announced(live);
            killed.destroyForcibly();
            assertTrue(killed.waitFor(30, TimeUnit.SECONDS));
            try (ScratchDirectory mine = ScratchDirectory.create(parent);
                    ScratchDirectory second = ScratchDirectory.create(parent)) {
                assertFalse(Files.exists(left), "the killed JVM's directory is deleted");
                assertTrue(
                        Files.exists(kept.resolve("stdout.log")),
                        "the live JVM's directory is kept");
                assertTrue(
                        Files.isDirectory(mine.path()),
                        "this JVM's first directory survives its second's reaping");
                assertTrue(Files.isRegularFile(mine.path().resolve(ScratchDirectory.LOCK)));
                assertTrue(
                        Files.isRegularFile(second.path().resolve(ScratchDirectory.LOCK)),
                        "the second is locked too");
            }
        } finally {
            live.getOutputStream().close();
            assertTrue(live.waitFor(30, TimeUnit.SECONDS));
            killed.destroyForcibly();
        }
        assertEquals(0, live.exitValue());
        try (var left = Files.list(parent)) {
            assertEquals(List.of(), left.toList(), "every owner that closed deleted its directory");
        }
    }

    @Test
    void anOldDirectoryWithoutALockIsTakenForALeftoverAndAFreshOneIsNot() throws Exception {
        Path old = Files.createDirectory(parent.resolve(ScratchDirectory.PREFIX + "old"));
        Files.writeString(old.resolve("stdout.log"), "x");
        Files.setLastModifiedTime(old, FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
        Path fresh = Files.createDirectory(parent.resolve(ScratchDirectory.PREFIX + "fresh"));
        Path other = Files.createDirectory(parent.resolve("someone-else"));
        Files.setLastModifiedTime(other, FileTime.fromMillis(0));
        try (ScratchDirectory mine = ScratchDirectory.create(parent)) {
            assertTrue(Files.isDirectory(mine.path()));
            assertFalse(
                    Files.exists(old),
                    "an hour-old directory of an executor without a lock is a leftover");
            assertTrue(Files.exists(fresh), "one just made may be an owner about to lock it");
            assertTrue(Files.exists(other), "only taskexec's directories are touched");
        }
    }
}

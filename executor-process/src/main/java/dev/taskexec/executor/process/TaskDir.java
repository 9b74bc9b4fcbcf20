package dev.taskexec.executor.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * A task's folder under the executor's {@code state-dir} ({@code <state-dir>/<container id>/}): what
 * lets a later executor instance, in another JVM, find the task again. Besides the output files
 * ({@link OutputFiles}) it holds:
 * <ul>
 *   <li>{@code task-id}: the task's id, written by {@code prepare}; it marks the folder as this
 *       backend's and tells the orphan reaper whose it is;</li>
 *   <li>{@code started}: written just before the task's shim is spawned, so an agent that died at
 *       that moment is known to have possibly started it;</li>
 *   <li>{@code pid}: the shim's pid, also the task's process group and session id, written (to a
 *       temporary file, then renamed) as soon as the shim is spawned;</li>
 *   <li>{@code exit}: the task's exit code (128 + n after a death by signal n), written by the shim
 *       once the task ended, with its own {@code echo} (see {@link TaskShim}); read only once the
 *       shim has gone, when it is whole or absent.</li>
 * </ul>
 *
 * @param path the folder
 */
record TaskDir(Path path) {

    static final String TASK_ID = "task-id";
    static final String STARTED = "started";
    static final String PID = "pid";
    static final String EXIT = "exit";

    private static final Pattern NAME = Pattern.compile("[0-9a-f]{64}");

    /** Whether {@code dir} is named like a task folder (a container id). */
    static boolean named(Path dir) {
        return NAME.matcher(dir.getFileName().toString()).matches();
    }

    /** Creates the folder and records whose it is; idempotent. */
    static TaskDir claim(Path dir, String taskId) throws IOException {
        Files.createDirectories(dir);
        TaskDir d = new TaskDir(dir);
        if (!taskId.equals(d.taskId().orElse(null))) {
            Path tmp = dir.resolve(TASK_ID + ".tmp");
            Files.writeString(tmp, taskId, StandardCharsets.UTF_8);
            Files.move(
                    tmp,
                    dir.resolve(TASK_ID),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        }
        return d;
    }

    /** The id of the task this folder belongs to, empty when {@code prepare} did not get that far. */
    java.util.Optional<String> taskId() throws IOException {
        try {
            return java.util.Optional.of(
                    Files.readString(path.resolve(TASK_ID), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return java.util.Optional.empty();
        }
    }

    void markStarted() throws IOException {
        Files.writeString(path.resolve(STARTED), "");
    }

    /** Forgets a start that never happened (the agent died before spawning). */
    void unmarkStarted() throws IOException {
        Files.deleteIfExists(path.resolve(STARTED));
    }

    boolean started() {
        return Files.exists(path.resolve(STARTED));
    }

    /** Records the shim's pid, whole or not at all. */
    void recordPid(long pid) throws IOException {
        Path tmp = path.resolve(PID + ".tmp");
        Files.writeString(tmp, Long.toString(pid), StandardCharsets.US_ASCII);
        Files.move(
                tmp,
                path.resolve(PID),
                StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** The shim's pid, once recorded. */
    OptionalInt pid() throws IOException {
        return readInt(PID);
    }

    /** The task's exit code, once its shim recorded it. */
    OptionalInt exitCode() throws IOException {
        return readInt(EXIT);
    }

    private OptionalInt readInt(String name) throws IOException {
        String text;
        try {
            text = Files.readString(path.resolve(name), StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            return OptionalInt.empty();
        }
        if (text.isEmpty()) {
            return OptionalInt.empty(); // being written
        }
        try {
            return OptionalInt.of(Integer.parseInt(text));
        } catch (NumberFormatException e) {
            throw new IOException(path.resolve(name) + " does not hold a number: \"" + text + "\"");
        }
    }
}

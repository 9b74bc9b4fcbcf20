package dev.taskexec.executor.process;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where one task's files live on disk: its folder under the {@code state-dir} (the records a later
 * executor re-adopts it from) or in the executor's scratch directory (output files nobody else
 * reads), named by the task's container id; and their deletion.
 *
 * <p>Separate from {@link ProcessController} because the layout on disk is shared with what reads
 * it without a controller ({@link OrphanReaper}, {@link ScratchDirectory}, a restarted executor),
 * and it must be named and removed the same way by all of them.
 */
final class TaskStorage {

    // Logged as the controller's, as before this class was cut out of it: operators set its level.
    private static final Logger LOG = LoggerFactory.getLogger(ProcessController.class);

    private final ProcessExecutor executor;
    private final String taskId;
    private final String containerId;

    TaskStorage(ProcessExecutor executor, String taskId) {
        this.executor = executor;
        this.taskId = taskId;
        this.containerId = containerId(taskId);
    }

    /** A stable, file-name-safe id for a task: hex SHA-256 of its id, like a Docker container id. */
    static String containerId(String taskId) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of()
                    .formatHex(
                            sha.digest(
                                    ("taskexec-process/" + taskId)
                                            .getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /** This task's container id. */
    String containerId() {
        return containerId;
    }

    /** Whether tasks keep their folder under a {@code state-dir}, where it outlives the executor. */
    boolean stateDir() {
        return executor.options().stateDir().isPresent();
    }

    /** The task's folder under the {@code state-dir}, whether or not it exists; only with a state-dir. */
    Path recorded() {
        return executor.options().stateDir().get().resolve(containerId);
    }

    /**
     * Makes the task's folder at {@code prepare}: claimed under the {@code state-dir}, or in the
     * scratch directory when its output goes to files; null when the task needs none.
     *
     * @param tty whether the task runs on a terminal (whose output is never read from files)
     */
    Path create(boolean tty) throws IOException {
        if (stateDir()) {
            Path store = recorded();
            TaskDir.claim(store, taskId);
            return store;
        } else if (!tty && executor.fileOutput()) {
            return Files.createDirectories(executor.scratch().resolve(containerId));
        }
        return null;
    }

    /** A log file in {@code storage}, or null without storage. */
    static OutputStream logFile(Path storage, String name) throws IOException {
        return storage == null ? null : new FileOutputStream(storage.resolve(name).toFile());
    }

    /** Deletes {@code dir} and what it holds, logging a failure. */
    static void deleteQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException e) {
            LOG.debug("cannot delete {}", dir, e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}

package dev.taskexec.executor.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where a task's process writes its stdout and stderr itself: {@code stdout.log} and
 * {@code stderr.log} in the task's storage directory, opened by the child ({@code O_APPEND}), so
 * the kernel puts the bytes on disk without any thread of this JVM in the way, and they are there
 * whether or not anyone reads them, even after this JVM is gone.
 *
 * <p>This is the seam between a task's output and whoever reads it: the {@link OutputPoller}
 * reads these files while the task runs; an agent that restarts can find them again under the
 * executor's {@code state-dir} (the directory is named by the task's container id) and read them
 * from the start. When the executor has no {@code state-dir}, they live in a private temporary
 * directory and the poller frees the disk space of what it has read ({@code temporary}).
 *
 * @param stdout    the file standard output goes to
 * @param stderr    the file standard error goes to
 * @param temporary whether the files are only a transport (no {@code state-dir}): their read part may be freed
 */
record OutputFiles(Path stdout, Path stderr, boolean temporary) {

    static final String STDOUT = "stdout.log";
    static final String STDERR = "stderr.log";

    /** Creates (or empties) both files in {@code dir}, which exists. */
    static OutputFiles create(Path dir, boolean temporary) throws IOException {
        OutputFiles files = new OutputFiles(dir.resolve(STDOUT), dir.resolve(STDERR), temporary);
        for (Path p : new Path[] {files.stdout, files.stderr}) {
            Files.newByteChannel(
                            p,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING)
                    .close();
        }
        return files;
    }
}

package dev.taskexec.executor.process;

import dev.taskexec.api.support.EndOfInputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A task's standard input as {@link ProcessController#stdin()} hands it out: closing it passes
 * end-of-file on ({@link EndOfInputStream}); without a terminal the pipe is closed.
 */
final class TaskStdin extends EndOfInputStream {

    private final OutputStream pipe;

    TaskStdin(OutputStream target, boolean terminal) {
        super(target, terminal);
        this.pipe = target;
    }

    @Override
    protected void endPipe() throws IOException {
        pipe.close();
    }
}

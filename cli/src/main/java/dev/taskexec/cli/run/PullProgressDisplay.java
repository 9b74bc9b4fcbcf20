package dev.taskexec.cli.run;

import dev.taskexec.executor.docker.PullListener;
import dev.taskexec.executor.docker.PullProgress;
import java.io.PrintStream;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Shows the Docker backend's image pulls on a terminal: one line redrawn in place with a carriage
 * return ({@link PullProgressLine} decides its text), then a summary line that stays. Used only
 * when stderr is a terminal and {@code --json} is off ({@link Terminal}); elsewhere nothing is
 * shown.
 *
 * <p>Writes under the lock of the stream, as the status lines do. A line being redrawn has no line
 * end yet, so whatever else is printed meanwhile (a status line, a note about Ctrl-C) calls
 * {@link #endLine()} first and starts on a line of its own. A shorter line is padded with spaces
 * over the longer one before it, so no escape sequences are needed.
 */
final class PullProgressDisplay implements PullListener {

    private final PrintStream err;
    private final int width;
    private final LongSupplier clock;
    private PullProgressLine line; // guarded by err; null between pulls
    private int
            drawn; // guarded by err: the length of the unfinished line on the terminal, 0 if none

    /**
     * @param err the terminal
     * @param width its width in columns
     * @param clock the time ({@link System#nanoTime()} scale)
     */
    PullProgressDisplay(PrintStream err, int width, LongSupplier clock) {
        this.err = err;
        this.width = width;
        this.clock = clock;
    }

    @Override
    public void progress(PullProgress progress) {
        synchronized (err) {
            long now = clock.getAsLong();
            if (line == null) {
                line = new PullProgressLine(progress.image(), width, now);
            }
            line.update(progress, now).ifPresent(this::draw);
        }
    }

    @Override
    public void ended(String taskId, String image, Optional<String> failure) {
        synchronized (err) {
            PullProgressLine ending =
                    line != null ? line : new PullProgressLine(image, width, clock.getAsLong());
            line = null;
            draw(ending.summary(failure, clock.getAsLong()));
            endLine();
        }
    }

    /** Ends the line being redrawn, if there is one, so that the next output starts a line. */
    void endLine() {
        synchronized (err) {
            if (drawn > 0) {
                err.print(System.lineSeparator());
                err.flush();
                drawn = 0;
            }
        }
    }

    private void draw(String text) {
        err.print("\r" + text + " ".repeat(Math.max(0, drawn - text.length())));
        err.flush();
        drawn = Math.max(1, text.length());
    }
}

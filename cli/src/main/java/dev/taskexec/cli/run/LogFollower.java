package dev.taskexec.cli.run;

import dev.taskexec.api.ControllerLogs;
import dev.taskexec.api.Errors;
import dev.taskexec.api.LogChunkPublisher;
import dev.taskexec.api.proto.LogMessage;
import dev.taskexec.api.proto.LogStream;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Copies a task's output to this process's stdout and stderr as it is produced, on a virtual
 * thread of its own, through the controller's {@link ControllerLogs}.
 *
 * <p>It asks for every message from the beginning ({@code tail} 0), so it may start after the task
 * has begun writing without losing any. The data is written byte for byte (messages carry their
 * line terminators), stdout messages to stdout and stderr messages to stderr. Streams are flushed
 * every {@value #FLUSH_MILLIS} ms rather than after every message: a flush per line costs a system
 * call per line, and a reader that slow falls behind a chatty task, whose backend may then drop
 * output it can no longer buffer.
 *
 * <p>When stdout is closed by its reader ({@code taskexec run ... | head -1}), the Java form of
 * SIGPIPE is an error flag on the stream; the flusher sees it and tells the owner once, through
 * {@code onClosedOutput}, so the task can be stopped instead of running on unread.
 * With {@code follow} it ends when the backend reports that the task's output has ended; the
 * owner waits for that with a bound ({@link #awaitEnd}) and {@link #stop() stops} it otherwise, so
 * the last lines are printed before the command exits and a backend that never ends a follow
 * cannot hang it.
 */
final class LogFollower {

    /** How long output may wait in a buffer before it is written out. */
    static final long FLUSH_MILLIS = 25;

    private final Thread thread;
    private volatile boolean stopping;

    private LogFollower(
            ControllerLogs logs,
            boolean follow,
            PrintStream out,
            PrintStream err,
            Consumer<String> notes,
            Runnable onClosedOutput,
            Future<?> running) {
        LogSubscriptionOptions options =
                LogSubscriptionOptions.newBuilder().setFollow(follow).setTail(0).build();
        this.thread =
                Thread.ofVirtual()
                        .name("taskexec-logs")
                        .unstarted(
                                () -> {
                                    Thread flusher =
                                            Thread.ofVirtual()
                                                    .name("taskexec-logs-flush")
                                                    .start(
                                                            () ->
                                                                    flushEvery(
                                                                            out,
                                                                            err,
                                                                            onClosedOutput));
                                    try {
                                        try {
                                            logs.logs(new Printer(out, err), options);
                                        } catch (Exception early) {
                                            if (running.isDone()
                                                    || stopping
                                                    || Errors.find(
                                                                    early,
                                                                    InterruptedException.class)
                                                            .isPresent()) {
                                                throw early;
                                            }
                                            // started before the task ran, and the backend had
                                            // nothing to follow yet (a
                                            // container not created yet): follow once it runs
                                            running.get();
                                            logs.logs(new Printer(out, err), options);
                                        }
                                    } catch (Exception e) {
                                        if (!stopping
                                                && Errors.find(e, InterruptedException.class)
                                                        .isEmpty()) {
                                            notes.accept(
                                                    "cannot read the task's output: "
                                                            + describe(e));
                                        }
                                    } finally {
                                        flusher.interrupt();
                                        out.flush();
                                        err.flush();
                                    }
                                });
    }

    /**
     * Starts copying.
     *
     * @param logs the task's controller, as its log capability
     * @param follow keep copying new output until the task's output ends; false copies what is
     *     there now and ends
     * @param out where stdout messages go (and messages of no particular stream)
     * @param err where stderr messages go
     * @param notes receives one line when reading the logs fails
     * @param onClosedOutput run once, on the flusher's thread, when writing to {@code out} fails
     *     (its reader went away)
     * @param running done once the task runs: a follower started before that whose backend had
     *     nothing to follow yet (it threw) waits for it and tries once more
     * @return the running follower
     */
    static LogFollower start(
            ControllerLogs logs,
            boolean follow,
            PrintStream out,
            PrintStream err,
            Consumer<String> notes,
            Runnable onClosedOutput,
            Future<?> running) {
        LogFollower follower =
                new LogFollower(logs, follow, out, err, notes, onClosedOutput, running);
        follower.thread.start();
        return follower;
    }

    /**
     * Waits until the output has been copied to its end.
     *
     * @param timeout the longest wait
     * @return whether it ended within the timeout
     * @throws InterruptedException if interrupted while waiting
     */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        return thread.join(timeout);
    }

    /**
     * Stops copying (interrupting the backend's {@code logs}) and waits briefly for the thread to
     * go. Idempotent.
     *
     * @param timeout the longest wait for the thread to end
     * @return whether it ended
     * @throws InterruptedException if interrupted while waiting
     */
    boolean stop(Duration timeout) throws InterruptedException {
        stopping = true;
        thread.interrupt();
        return thread.join(timeout);
    }

    /**
     * Writes messages' bytes to their stream. It takes chunks ({@link LogChunkPublisher}): a backend
     * that keeps lines in blocks hands over a block in one call, written in one {@code write} without
     * looking at its lines; one that does not calls {@link #publish} per line, which ends up the same.
     */
    private record Printer(PrintStream out, PrintStream err) implements LogChunkPublisher {

        @Override
        public void publish(LogMessage message) {
            PrintStream target = message.getStream() == LogStream.LOG_STREAM_STDERR ? err : out;
            // One synchronized block per message, so a message is never split by a status line.
            synchronized (target) {
                try {
                    // a byte array in the message goes to the stream as it is (a large one past its
                    // buffer)
                    message.getData().writeTo(target);
                } catch (IOException e) {
                    throw new UncheckedIOException(
                            e); // PrintStream does not throw; kept for the signature
                }
            }
        }

        @Override
        public void publishChunk(LogMessage chunk) {
            publish(chunk);
        }
    }

    /** Flushes both streams periodically until interrupted; reports a closed stdout once. */
    private static void flushEvery(PrintStream out, PrintStream err, Runnable onClosedOutput) {
        boolean reported = false;
        try {
            while (true) {
                Thread.sleep(FLUSH_MILLIS);
                boolean failed = out.checkError(); // flushes, and says whether a write ever failed
                err.flush();
                if (failed && !reported) {
                    reported = true;
                    onClosedOutput.run();
                }
            }
        } catch (InterruptedException e) {
            // the follower ended; it flushes one last time itself
        }
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null || e.getMessage().isBlank()
                ? e.getClass().getSimpleName()
                : e.getMessage();
    }
}

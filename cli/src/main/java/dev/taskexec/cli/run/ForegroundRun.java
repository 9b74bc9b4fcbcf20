package dev.taskexec.cli.run;

import dev.taskexec.api.Controller;
import dev.taskexec.api.ControllerClosedException;
import dev.taskexec.api.ControllerLogs;
import dev.taskexec.api.ControllerStdin;
import dev.taskexec.api.Executor;
import dev.taskexec.api.proto.ContainerStatus;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import dev.taskexec.api.support.DurationText;
import dev.taskexec.cli.CommandException;
import dev.taskexec.cli.ExitCodes;
import dev.taskexec.core.Lifecycle;
import dev.taskexec.core.Removal;
import dev.taskexec.core.Resolution;
import dev.taskexec.core.TaskRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one task in the foreground, as {@code taskexec run} does: resolves its controller, drives it
 * with a {@link TaskRunner} until it ends, prints every state change and the task's output, cleans
 * up, and computes the exit code.
 *
 * <p><b>Output.</b> State changes go to the {@link StatusOutput}; the task's output is copied by a
 * {@link LogFollower} started as soon as the controller exists, before the task starts, so that no
 * output falls out of the backend's window before it is read (for a task that ended before running,
 * it is stopped and the output read once at the end), and the run waits up to {@code logDrain} for
 * it to end after the task has, so the last lines are not lost.
 *
 * <p><b>Interrupts.</b> {@link #interrupt(String, int, long)} is called for each Ctrl-C (SIGINT)
 * or SIGTERM, in any interleaving. The first raises the task's desired state to SHUTDOWN through
 * the runner (the lifecycle then calls {@code shutdown()}: the stop signal, then the grace period);
 * every later one, of either kind, calls {@code terminate()} on the controller (again, so a
 * terminate that failed is tried anew). No signal makes the command leave early: it always goes on
 * to remove the task, so that nothing is left behind; SIGKILL is the way to abandon a task. Once a
 * terminate has been asked for, the wait for the task's end is bounded by {@code cleanupTimeout}
 * (a runtime that cannot be reached cannot confirm it), after which removal (which kills too) takes
 * over. A run that was interrupted exits with 128 plus the number of the first signal to arrive, as
 * a shell reports it: 130 for SIGINT, 143 for SIGTERM, whatever follows. When stdout is closed by
 * its reader, the task is shut down the same way and the run exits 141 (SIGPIPE).
 *
 * <p><b>Exit code.</b> COMPLETE: 0. FAILED: the task's exit code, or 125 when the backend reported
 * none (the task did not get to exit by itself). REJECTED: 125. Interrupted: 130 or 143. A task
 * that could not be removed does not change it (the report on stderr says what was left).
 *
 * <p><b>Clean-up.</b> After the task ends the runner is closed and the controller removed and
 * closed ({@code run} keeps nothing, like {@code docker run --rm}). Removal that fails because the
 * runtime cannot be reached is retried until it is back, for up to {@code cleanupTimeout}
 * ({@link Removal}); past that, or on a refusal, one line on stderr says what was left and how to
 * remove it.
 */
final class ForegroundRun {

    private static final Logger log = LoggerFactory.getLogger(ForegroundRun.class);

    /** How often the wait for the task's end checks that the runner is still alive. */
    private static final Duration LIVENESS_CHECK = Duration.ofSeconds(1);

    /** How much longer than the clean-up timeout a single hung removal attempt may take. */
    private static final Duration HUNG_REMOVAL = Duration.ofSeconds(30);

    private final Task task;
    private final Executor executor;
    private final StatusOutput output;
    private final PrintStream out;
    private final PrintStream err;
    private final Duration logDrain;
    private final Duration cleanupTimeout;
    private final Function<ContainerStatus, String> howToRemove;

    private final CompletableFuture<TaskStatus> ended = new CompletableFuture<>();

    /** Completed once the task is reported RUNNING. */
    private final CompletableFuture<Void> running = new CompletableFuture<>();

    // With -i: this command's standard input, copied to the task's once it runs.
    private InputStream stdinSource;
    private String executorName;

    // Guarded by this: the interrupt handler and the driving thread meet here.
    private TaskRunner runner;
    private Controller controller;
    private boolean shutdownRequested;
    private int interruptExitCode = ExitCodes.INTERRUPTED;
    private String stopReason = "on Ctrl-C";

    /** The order of the earliest signal seen; it decides the exit code. */
    private long firstSignalOrder = Long.MAX_VALUE;

    /** When terminate was first asked for (System.nanoTime), or null. */
    private Long terminateRequestedAt;

    /** The run is over (removed, or given up on): later signals change nothing. */
    private boolean over;

    private ContainerStatus lastContainer = ContainerStatus.getDefaultInstance();
    private LogFollower follower;

    /**
     * @param howToRemove given what is known of the task's container or process, says how an
     *     operator removes it by hand (a command), for the report when removal fails
     */
    ForegroundRun(
            Task task,
            Executor executor,
            StatusOutput output,
            PrintStream out,
            PrintStream err,
            Duration logDrain,
            Duration cleanupTimeout,
            Function<ContainerStatus, String> howToRemove) {
        this.task = task;
        this.executor = executor;
        this.output = output;
        this.out = out;
        this.err = err;
        this.logDrain = logDrain;
        this.cleanupTimeout = cleanupTimeout;
        this.howToRemove = howToRemove;
    }

    /**
     * Connects {@code in} to the task's standard input ({@code -i}): copied from the moment the task
     * runs, and closed (end of input passed on) when {@code in} ends. Call before {@link #run()}.
     *
     * @param in what the task reads
     * @param executor the backend's name, for the error when it cannot connect standard input
     */
    void connectStdin(InputStream in, String executor) {
        stdinSource = in;
        executorName = executor;
    }

    /**
     * Runs the task to its end.
     *
     * @return the exit code for the command
     * @throws InterruptedException if this thread is interrupted (not by Ctrl-C, which is handled)
     */
    int run() throws InterruptedException {
        long started = System.nanoTime();
        Resolution resolution = Lifecycle.resolve(task, executor);
        output.status(task.getId(), resolution.status());
        if (!resolution.resolved()) {
            return finish(resolution.status(), started);
        }
        Controller c = resolution.controller();
        if (stdinSource != null && !(c instanceof ControllerStdin)) {
            cleanUp(c);
            throw new CommandException(
                    ExitCodes.NOT_RUN,
                    "-i: executor '"
                            + executorName
                            + "' cannot connect standard input to a task (its controllers do not implement ControllerStdin)");
        }
        synchronized (this) {
            controller = c;
            // following from before the start: a backend keeps only a window of past output (the
            // process backend 1 MiB by default), and a fast task writes more than that before it is
            // reported RUNNING
            startFollowing(true);
        }
        try {
            TaskRunner r =
                    TaskRunner.start(
                            task.toBuilder().setStatus(resolution.status()).build(),
                            c,
                            this::report);
            attach(r);
            try {
                TaskStatus end = awaitEnd(r);
                drainLogs(c);
                return finish(end, started);
            } finally {
                r.close();
            }
        } finally {
            try {
                cleanUp(c);
            } finally {
                synchronized (this) {
                    over = true;
                }
            }
        }
    }

    /**
     * Handles an interrupt. Called on a signal handler's thread, concurrently with the handlers of
     * other signals; never blocks for long.
     *
     * @param signal {@code INT} or {@code TERM}
     * @param count how many interrupts have been handled so far, 1 for the first
     * @param order the signal's place in the order of arrival (smaller is earlier); the earliest
     *     decides the exit code, however the handlers race
     */
    void interrupt(String signal, int count, long order) {
        String what = signal.equals("INT") ? "interrupted" : "got SIGTERM";
        synchronized (this) {
            if (over) {
                return; // the task is already removed; the exit code is decided
            }
            if (order < firstSignalOrder && interruptExitCode != ExitCodes.BROKEN_PIPE) {
                firstSignalOrder = order;
                interruptExitCode =
                        signal.equals("TERM") ? ExitCodes.TERMINATED : ExitCodes.INTERRUPTED;
                stopReason = signal.equals("TERM") ? "on SIGTERM" : "on Ctrl-C";
            }
        }
        if (count == 1) {
            output.note(
                    what
                            + ": shutting the task down gracefully (press Ctrl-C again to terminate it)");
            requestShutdown();
        } else {
            output.note(
                    what
                            + (count == 2
                                    ? " again: terminating the task"
                                    : " again: terminating the task; the command exits once it is removed"));
            requestShutdown(); // in case this handler overtook the first one
            requestTerminate();
        }
    }

    /**
     * Stdout's reader went away ({@code | head}): nobody reads the task's output any more, so the
     * task is shut down as on SIGPIPE, which is what a shell pipeline would do to it.
     */
    private void outputClosed() {
        synchronized (this) {
            if (shutdownRequested) {
                return;
            }
            interruptExitCode = ExitCodes.BROKEN_PIPE;
            stopReason = "because stdout was closed";
        }
        output.note("stdout was closed by its reader: shutting the task down");
        requestShutdown();
    }

    private synchronized void attach(TaskRunner r) {
        runner = r;
        if (shutdownRequested) {
            r.update(shutdownTask(r));
        }
    }

    private synchronized void requestShutdown() {
        shutdownRequested = true;
        if (runner != null) {
            runner.update(shutdownTask(runner));
        }
    }

    private synchronized void requestTerminate() {
        if (terminateRequestedAt == null) {
            terminateRequestedAt = System.nanoTime();
        }
        Controller c = controller;
        if (c == null) {
            return; // not resolved yet: the pending shutdown will stop it before it starts
        }
        Thread.ofVirtual()
                .name("taskexec-terminate")
                .start(
                        () -> {
                            try {
                                c.terminate();
                            } catch (ControllerClosedException e) {
                                // removed and closed meanwhile: nothing left to terminate
                            } catch (Exception e) {
                                output.note("terminating the task failed: " + describe(e));
                                log.debug("terminate failed", e);
                            }
                        });
    }

    private static Task shutdownTask(TaskRunner r) {
        return r.task().toBuilder().setDesiredState(TaskState.SHUTDOWN).build();
    }

    /** The runner's reporter: prints the status, starts copying output once the task runs. */
    private void report(String taskId, TaskStatus status) {
        output.status(taskId, status);
        if (status.hasContainer()) {
            synchronized (this) {
                lastContainer = lastContainer.toBuilder().mergeFrom(status.getContainer()).build();
            }
        }
        int state = status.getStateValue();
        if (state == TaskState.RUNNING_VALUE) {
            ran();
            startCopyingStdin();
        }
        if (state >= TaskState.COMPLETE_VALUE) {
            ended.complete(status);
        }
    }

    private boolean copyingStdin; // guarded by this

    /**
     * Copies {@code -i}'s input to the task on a daemon thread (a read from a terminal cannot be
     * interrupted, and must not keep the command alive once the task has ended).
     */
    private synchronized void startCopyingStdin() {
        if (stdinSource == null
                || copyingStdin
                || !(controller instanceof ControllerStdin target)) {
            return;
        }
        copyingStdin = true;
        InputStream from = stdinSource;
        Thread copier =
                new Thread(
                        () -> {
                            try (OutputStream to = target.stdin()) {
                                byte[] buffer = new byte[8192];
                                int n;
                                while ((n = from.read(buffer)) >= 0) {
                                    to.write(buffer, 0, n);
                                    to.flush(); // interactive: the task sees each line as it
                                    // is typed
                                }
                            } catch (IOException e) {
                                log.debug(
                                        "copying standard input stopped",
                                        e); // the task exited; nothing to tell
                            } catch (Exception e) {
                                output.note("cannot connect standard input: " + describe(e));
                                log.debug("stdin failed", e);
                            }
                        },
                        "taskexec-stdin");
        copier.setDaemon(true);
        copier.start();
    }

    private synchronized void startFollowing(boolean follow) {
        if (follower == null && controller instanceof ControllerLogs logs) {
            follower =
                    LogFollower.start(
                            logs, follow, out, err, output::note, this::outputClosed, running);
        }
    }

    private void ran() {
        running.complete(null);
    }

    /**
     * Waits for a terminal status, checking that the runner has not died without one. Once a
     * terminate was asked for, waits at most the clean-up timeout from then: removal takes over.
     */
    private TaskStatus awaitEnd(TaskRunner r) throws InterruptedException {
        while (true) {
            try {
                return ended.get(LIVENESS_CHECK.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (r.isTerminated()) {
                    throw new IllegalStateException(
                            "the task runner stopped before the task ended; last status: "
                                    + StatusOutput.stateName(r.status()));
                }
                Long terminated;
                synchronized (this) {
                    terminated = terminateRequestedAt;
                }
                if (terminated != null
                        && System.nanoTime() - terminated > cleanupTimeout.toNanos()) {
                    output.note(
                            "the task did not end within "
                                    + DurationText.format(cleanupTimeout)
                                    + " of being terminated (last status: "
                                    + StatusOutput.stateName(r.status())
                                    + "); removing it");
                    return r.status();
                }
            } catch (ExecutionException e) {
                throw new IllegalStateException(
                        "unreachable: the end future is only completed normally", e);
            }
        }
    }

    /** Lets the output reach its end (bounded), reading it once if the task never ran. */
    private void drainLogs(Controller c) throws InterruptedException {
        LogFollower f;
        synchronized (this) {
            if (!running.isDone() && c instanceof ControllerLogs) {
                // Ended before running (a failed start, a rejection): its output may never end, so
                // the
                // follower goes, and whatever it wrote is read once.
                if (follower != null) {
                    follower.stop(Duration.ofSeconds(1));
                    follower = null;
                }
                startFollowing(false);
            }
            f = follower;
        }
        if (f != null && !f.awaitEnd(logDrain)) {
            output.note(
                    "the task's output did not end within "
                            + DurationText.format(logDrain)
                            + " of its exit; later output is not shown");
            f.stop(Duration.ofSeconds(1));
        }
    }

    private int finish(TaskStatus end, long startedNanos) {
        String after =
                " after "
                        + DurationText.format(
                                Duration.ofMillis(
                                        TimeUnit.NANOSECONDS.toMillis(
                                                System.nanoTime() - startedNanos)));
        int state = end.getStateValue();
        boolean interrupted;
        int interruptedExitCode;
        String reason;
        synchronized (this) {
            interrupted = shutdownRequested;
            interruptedExitCode = interruptExitCode;
            reason = stopReason;
        }
        int exitCode = end.hasContainer() ? end.getContainer().getExitCode() : 0;
        if (interrupted) {
            output.note(
                    "the task was "
                            + (state == TaskState.SHUTDOWN_VALUE
                                    ? "shut down"
                                    : "ended (" + StatusOutput.stateName(end) + ")")
                            + " "
                            + reason
                            + after);
            return interruptedExitCode;
        }
        if (state == TaskState.COMPLETE_VALUE) {
            output.note("the task completed (exit code 0)" + after);
            return ExitCodes.OK;
        }
        if (state == TaskState.REJECTED_VALUE) {
            output.note("the task was rejected: " + end.getErr());
            return ExitCodes.NOT_RUN;
        }
        if (exitCode != 0) {
            output.note(
                    "the task "
                            + (state == TaskState.FAILED_VALUE
                                    ? "failed"
                                    : "ended as " + StatusOutput.stateName(end))
                            + " with exit code "
                            + exitCode
                            + after);
            return exitCode;
        }
        output.note(
                "the task "
                        + StatusOutput.stateName(end).toLowerCase()
                        + " without an exit code"
                        + (end.getErr().isEmpty() ? "" : ": " + end.getErr())
                        + after);
        return ExitCodes.NOT_RUN;
    }

    /**
     * Removes the task, retrying while its runtime is unreachable (see the class comment), and
     * says on stderr what was left when that fails. A removal attempt that hangs is given up
     * {@link #HUNG_REMOVAL} after the deadline.
     */
    private void cleanUp(Controller c) throws InterruptedException {
        synchronized (this) {
            if (follower != null) {
                follower.stop(Duration.ofSeconds(1));
            }
        }
        CompletableFuture<Removal.Result> result = new CompletableFuture<>();
        boolean[] told = {false};
        Thread removal =
                Thread.ofVirtual()
                        .name("taskexec-remove")
                        .start(
                                () -> {
                                    try {
                                        result.complete(
                                                Removal.within(cleanupTimeout)
                                                        .remove(
                                                                c,
                                                                failure -> {
                                                                    if (!told[0]) {
                                                                        told[0] = true;
                                                                        output.note(
                                                                                "cleaning up the task failed: "
                                                                                        + describe(
                                                                                                failure)
                                                                                        + "; retrying for up to "
                                                                                        + DurationText
                                                                                                .format(
                                                                                                        cleanupTimeout)
                                                                                        + " (--cleanup-timeout)");
                                                                    }
                                                                }));
                                    } catch (InterruptedException e) {
                                        result.completeExceptionally(e);
                                    } catch (RuntimeException e) {
                                        result.completeExceptionally(
                                                e); // a broken backend's remove
                                    }
                                });
        String problem;
        if (!removal.join(cleanupTimeout.plus(HUNG_REMOVAL))) {
            removal.interrupt();
            problem =
                    "removing it did not finish within "
                            + DurationText.format(cleanupTimeout.plus(HUNG_REMOVAL));
        } else {
            Removal.Result r = result.getNow(null);
            if (r != null && r.removed()) {
                if (told[0]) {
                    output.note("cleaned up the task after " + r.attempts() + " attempts");
                }
                problem = null;
            } else if (r != null) {
                Exception failure = r.failure().orElseThrow();
                log.debug("remove failed", failure);
                problem =
                        "removing it failed"
                                + (r.attempts() > 1
                                        ? " for " + DurationText.format(cleanupTimeout)
                                        : "")
                                + ": "
                                + describe(failure);
            } else {
                problem = "removing it failed: " + describe(result.exceptionNow());
            }
        }
        c.close();
        if (problem != null) {
            ContainerStatus container;
            synchronized (this) {
                container = lastContainer;
            }
            // Always shown (also with --json): it is the one thing an operator must act on.
            synchronized (err) {
                err.println(
                        "taskexec: the task "
                                + task.getId()
                                + " may be left behind: "
                                + problem
                                + "; remove it with: "
                                + howToRemove.apply(container));
                err.flush();
            }
        }
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null || e.getMessage().isBlank()
                ? e.getClass().getSimpleName()
                : e.getMessage();
    }
}

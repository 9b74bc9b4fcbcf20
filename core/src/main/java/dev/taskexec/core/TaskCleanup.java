package dev.taskexec.core;

import dev.taskexec.api.Controller;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clean-up of the tasks a {@link Worker} no longer runs, each on a thread of its own: the
 * runner closed, the controller shut down (if the task had got as far as PREPARING but not to a
 * terminal state), removed and closed, shutdown and remove each tried up to
 * {@value Worker#CLEANUP_ATTEMPTS} times with the runner options' backoff between attempts; and
 * the threads, until {@link #await(Duration)} has seen them end.
 *
 * <p>Separate from {@link Worker} because the retries and their threads are the one part of the
 * worker that outlives the assignment that started it and holds none of its locks: it needs only
 * what to clean up, the runner options, and a way to delete the task's record.
 */
final class TaskCleanup {

    // Logged as the worker's, as before this class was cut out of it: operators set the worker's
    // level.
    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    /** One clean-up operation that may fail. */
    @FunctionalInterface
    private interface Operation {
        void run() throws Exception;
    }

    private final RunnerOptions options;

    /** Deletes a task's record from the store, once its controller's remove succeeded. */
    private final Consumer<String> forgetRecord;

    /**
     * Clean-up threads, kept until seen dead so that {@link #await} can join them (a thread
     * that removed itself could still be running its last instructions); pruned once per
     * {@code assign} or {@code update}.
     */
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

    TaskCleanup(RunnerOptions options, Consumer<String> forgetRecord) {
        this.options = options;
        this.forgetRecord = forgetRecord;
    }

    /**
     * Cleans up one task on a thread of its own (inline when the thread factory refuses one).
     *
     * @param runner the task's runner, or null if it never got one
     * @param status the task's latest status, used when it has no runner
     * @param controller the task's controller, or null when resolution failed
     */
    void start(String id, TaskRunner runner, TaskStatus status, Controller controller) {
        Thread cleanup =
                options.threadFactory().newThread(() -> cleanUp(id, runner, status, controller));
        if (cleanup == null) {
            log.warn(
                    "task {}: the thread factory refused a clean-up thread; cleaning up inline",
                    id);
            cleanUp(id, runner, status, controller);
            return;
        }
        cleanup.setName("taskexec-cleanup-" + id);
        threads.add(cleanup);
        cleanup.start();
    }

    /** Forgets the clean-up threads that have ended. */
    void prune() {
        threads.removeIf(t -> !t.isAlive());
    }

    /**
     * Waits until every clean-up started so far has finished, at most {@code timeout}.
     *
     * @return whether every clean-up has finished
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    boolean await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread cleanup : List.copyOf(threads)) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !cleanup.join(Duration.ofNanos(left))) {
                return false;
            }
            threads.remove(cleanup);
        }
        return true;
    }

    private void cleanUp(String id, TaskRunner runner, TaskStatus status, Controller controller) {
        TaskStatus last = status;
        if (runner != null) {
            runner.close();
            last = runner.status();
        }
        if (controller == null) {
            return;
        }
        int state = last.getStateValue();
        if (state >= TaskState.PREPARING_VALUE && state < TaskState.COMPLETE_VALUE) {
            attempt(id, "shutdown", controller::shutdown);
        }
        boolean removed = attempt(id, "remove", controller::remove);
        closeQuietly(id, controller);
        if (removed) {
            forgetRecord.accept(
                    id); // only now: a crash before this finds the record and removes again
        }
        log.debug("task {}: cleaned up", id);
    }

    /** Runs an operation up to {@value Worker#CLEANUP_ATTEMPTS} times; whether it succeeded. */
    private boolean attempt(String id, String what, Operation operation) {
        for (int attempt = 0; attempt < Worker.CLEANUP_ATTEMPTS; attempt++) {
            try {
                operation.run();
                return true;
            } catch (InterruptedException e) {
                log.warn("task {}: {} interrupted; giving up on it", id, what);
                return false;
            } catch (Exception e) {
                if (attempt + 1 == Worker.CLEANUP_ATTEMPTS) {
                    log.error(
                            "task {}: {} failed {} times; giving up",
                            id,
                            what,
                            Worker.CLEANUP_ATTEMPTS,
                            e);
                    return false;
                }
                log.warn(
                        "task {}: {} failed (attempt {} of {}): {}",
                        id,
                        what,
                        attempt + 1,
                        Worker.CLEANUP_ATTEMPTS,
                        e.toString());
                try {
                    options.sleeper().sleep(options.backoff().delay(attempt, options.random()));
                } catch (InterruptedException interrupted) {
                    log.warn("task {}: {} interrupted; giving up on it", id, what);
                    return false;
                }
            }
        }
        return false;
    }

    /** Closes a controller, logging (not throwing) a failure: the worker's every close goes through here. */
    static void closeQuietly(String id, Controller controller) {
        try {
            controller.close();
        } catch (RuntimeException e) {
            log.warn("task {}: closing the controller failed", id, e);
        }
    }
}

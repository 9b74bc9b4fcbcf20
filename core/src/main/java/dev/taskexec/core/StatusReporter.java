package dev.taskexec.core;

import static org.apiguardian.api.API.Status.STABLE;

import dev.taskexec.api.proto.TaskStatus;
import org.apiguardian.api.API;

/**
 * Receives the statuses of tasks as they change: swarmkit's {@code StatusReporter}.
 *
 * <p>Given to a {@link TaskRunner} (which calls it on the task's own thread, once per distinct
 * status, in order) or to {@link Worker#listen(StatusReporter)} (which calls it on a thread of
 * that listener's own, in order). One reporter given to several runners is called concurrently
 * for different tasks, so implementations shared that way must be thread-safe.
 *
 * <p>A reporter that throws has its exception logged and otherwise ignored: the task goes on, and
 * the status is not sent again. A reporter may block; it then delays only the runner or listener
 * calling it, and it must honour interruption, which is how closing that runner or listener
 * reaches it.
 */
@API(status = STABLE, since = "0.1")
@FunctionalInterface
public interface StatusReporter {

    /**
     * Takes the latest status of a task.
     *
     * @param taskId the task's id; never null
     * @param status its new status; never null
     * @throws InterruptedException if interrupted while blocked
     * @throws Exception if the status could not be taken; logged and ignored by the caller
     */
    void report(String taskId, TaskStatus status) throws Exception;
}

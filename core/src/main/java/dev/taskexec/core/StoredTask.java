package dev.taskexec.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.taskexec.api.proto.Task;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One record of a {@link TaskStore}.
 *
 * @param task the task as last stored, carrying its latest stored status
 * @param removed whether the worker had let go of the task (its clean-up had started but its
 *     removal had not been confirmed): a worker opened on the store finishes that clean-up
 *     instead of resuming the task
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record StoredTask(Task task, boolean removed) {

    /** @throws NullPointerException if {@code task} is null */
    public StoredTask {
        Objects.requireNonNull(task, "task");
    }

    /** The task's id. */
    public String id() {
        return task.getId();
    }
}

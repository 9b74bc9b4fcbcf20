package dev.taskexec.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskStatus;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Where a {@link Worker} keeps its tasks so that a worker opened later, after a crash or a
 * restart of the process, can take them up again: swarmkit's worker database.
 *
 * <p>A store holds, for every task the worker knows, the task as last assigned (its spec and
 * desired state), its latest status, and whether the worker has let go of it and is cleaning it up
 * ({@linkplain #markRemoved removed}). The worker writes to it in an order that makes every crash
 * recoverable:
 * <ul>
 *   <li>a task is {@linkplain #put stored} before its controller is asked to prepare anything, so
 *       nothing a backend creates for a task exists without a record that claims it;</li>
 *   <li>a status is {@linkplain #putStatus stored} before it is reported to anyone, so a status
 *       once seen is never followed, after a restart, by an older one;</li>
 *   <li>a task no longer assigned is {@linkplain #markRemoved marked removed} before its clean-up
 *       starts, and {@linkplain #delete deleted} only after its controller's
 *       {@code remove()} succeeded, so a crash between the two leaves a record that makes the next
 *       worker finish the clean-up instead of leaking what the task had (swarmkit #2277).</li>
 * </ul>
 *
 * <p><b>Durability.</b> A method that returns has made its change as durable as the
 * implementation promises (see its documentation); {@link #inMemory()} promises nothing beyond the
 * life of the object.
 *
 * <p><b>Errors.</b> Every method throws {@link TaskStoreException} (unchecked) when the store
 * cannot do what was asked, with a message that says what and where; the change is then not made.
 * After {@link #close()}, every other method throws {@link TaskStoreException}.
 *
 * <p><b>Threads.</b> Implementations are thread-safe; calls may block for the time a write takes
 * to become durable.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface TaskStore extends AutoCloseable {

    /**
     * A store that keeps its records in memory only: what {@link Worker#create(dev.taskexec.api.Executor)}
     * uses. Nothing survives the process.
     */
    static TaskStore inMemory() {
        return new InMemoryTaskStore();
    }

    /**
     * Every stored task, in the order they were first stored, each carrying its latest status.
     *
     * @throws TaskStoreException if the records cannot be read
     */
    List<StoredTask> load();

    /**
     * Stores a task, or replaces the stored version of a task with the same id. A new record takes
     * the status {@code task} carries; an existing record keeps its stored status (statuses move
     * only through {@link #putStatus}, so an update racing with a status write cannot take the
     * status back) and its removed mark.
     *
     * @param task the task; its id must not be empty
     * @throws TaskStoreException if it cannot be stored
     */
    void put(Task task);

    /**
     * Stores the latest status of a task. Does nothing when no record has that id (the task was
     * deleted meanwhile): a status never brings a deleted record back.
     *
     * @throws TaskStoreException if it cannot be stored
     */
    void putStatus(String taskId, TaskStatus status);

    /**
     * Marks a task as let go of: it is no longer assigned and its clean-up has started. Does
     * nothing when no record has that id. Idempotent.
     *
     * @throws TaskStoreException if the mark cannot be stored
     */
    void markRemoved(String taskId);

    /**
     * Deletes a task's record; only after whatever the task had was removed. Idempotent.
     *
     * @throws TaskStoreException if it cannot be deleted
     */
    void delete(String taskId);

    /**
     * Releases the store (files, locks, connections). Idempotent; never throws.
     */
    @Override
    void close();
}

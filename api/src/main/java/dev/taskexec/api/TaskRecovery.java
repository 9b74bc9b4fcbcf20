package dev.taskexec.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.taskexec.api.proto.Task;
import java.util.List;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Optional capability of an {@link Executor}: its tasks outlive the executor instance (and the
 * process) that started them, and a later instance finds them again. Found with
 * {@code instanceof} on the executor; a worker opened on a durable task store uses it.
 *
 * <p><b>Re-adoption.</b> By implementing this interface a backend promises that
 * {@link Executor#controller(Task)}, given a task that an earlier instance of the same backend
 * (possibly in a process that was killed without any clean-up) had prepared or started, returns a
 * controller attached to what that instance created, found from the task alone (its id, and what
 * the backend derives from it, such as a container name or labels):
 * <ul>
 *   <li>{@link Controller#prepare()} throws {@link TaskAlreadyPreparedException} and
 *       {@link Controller#start()} throws {@link TaskAlreadyStartedException} when that was done
 *       already; nothing is created or started a second time;</li>
 *   <li>{@link Controller#await()} reports the task's true exit: at once, with the real exit code,
 *       when the task ended while no instance watched it;</li>
 *   <li>the task's logs, where the backend has {@link ControllerLogs}, are still there, including
 *       what was written while no instance ran;</li>
 *   <li>{@link Controller#shutdown()}, {@link Controller#terminate()} and
 *       {@link Controller#remove()} act on what the earlier instance created.</li>
 * </ul>
 *
 * <p><b>Orphans.</b> {@link #reapOrphans(Set)} stops and removes what the backend owns on this
 * node for tasks nobody claims any more. A backend marks what it creates (container labels,
 * process-group markers, state directories) so that it can tell its own from anything else, and
 * never touches what it did not create.
 *
 * <p>Both methods are thread-safe and may block for the time the runtime takes; they honour
 * interruption like every blocking method of this package.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface TaskRecovery {

    /**
     * Stops and removes everything this backend created on the node for a task whose id is not
     * in {@code claimedTaskIds}: called once when a worker opens on a store, with the id of every
     * task the store holds, before any of them is resumed. Only what this backend created (as
     * its markers show) is touched. Idempotent: a second call with the same set reaps nothing.
     *
     * <p>The default reaps nothing, for backends whose tasks leave nothing behind outside their
     * controllers.
     *
     * @param claimedTaskIds ids of the tasks still wanted; everything else of this backend goes
     * @return one entry per thing reaped, in the order reaped, for the caller to log
     * @throws InterruptedException if interrupted; what was reaped so far stays reaped
     * @throws Exception if the runtime cannot be reached or refuses (a daemon that is down: make
     *     it {@linkplain Errors#temporary(Throwable) temporary})
     */
    default List<ReapedResource> reapOrphans(Set<String> claimedTaskIds) throws Exception {
        return List.of();
    }
}

package dev.taskexec.agent.session;

import dev.taskexec.agent.proto.Assignment;
import dev.taskexec.agent.proto.AssignmentChange;
import dev.taskexec.agent.proto.AssignmentsMessage;
import dev.taskexec.agent.proto.Config;
import dev.taskexec.agent.proto.Secret;
import dev.taskexec.api.proto.Task;
import dev.taskexec.core.Worker;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies assignment messages to the node, as swarmkit's worker does:
 * <ul>
 *   <li>secrets and configs first (a task may need those that come in the same message), then
 *       tasks;</li>
 *   <li>COMPLETE: the secret and config stores are reset to what the message lists, and the
 *       listed tasks become the worker's {@linkplain Worker#assign complete set} (tasks not listed
 *       are shut down if needed and removed);</li>
 *   <li>INCREMENTAL: UPDATEs are {@linkplain Worker#update started or updated}, REMOVEs removed;
 *       a REMOVE for an id the node does not know is ignored (managers send them for secrets,
 *       configs and tasks after every re-registration);</li>
 *   <li>desired states are the worker's business: READY prepares without starting, RUNNING
 *       runs, SHUTDOWN and REMOVE stop (core's {@code Lifecycle}). A task with desired REMOVE
 *       stays until the manager REMOVEs it from the assignment.</li>
 * </ul>
 * Statuses of tasks no longer assigned are dropped from the {@link StatusSender}.
 *
 * <p>Called by one thread at a time (the session's assignment thread).
 */
final class AssignmentSet {

    private static final Logger log = LoggerFactory.getLogger(AssignmentSet.class);

    private final Worker worker;
    private final StatusSender statuses;
    private final SecretStore secrets;

    AssignmentSet(Worker worker, StatusSender statuses, SecretStore secrets) {
        this.worker = worker;
        this.statuses = statuses;
        this.secrets = secrets;
    }

    void apply(AssignmentsMessage message) {
        boolean complete = message.getType() == AssignmentsMessage.Type.COMPLETE;
        List<Task> tasks = new ArrayList<>();
        List<String> removedTasks = new ArrayList<>();
        List<Secret> secretUpdates = new ArrayList<>();
        List<String> secretRemovals = new ArrayList<>();
        List<Config> configUpdates = new ArrayList<>();
        List<String> configRemovals = new ArrayList<>();
        for (AssignmentChange change : message.getChangesList()) {
            boolean remove = change.getAction() == AssignmentChange.AssignmentAction.REMOVE;
            Assignment a = change.getAssignment();
            switch (a.getItemCase()) {
                case TASK -> {
                    if (remove) {
                        removedTasks.add(a.getTask().getId());
                    } else {
                        tasks.add(a.getTask());
                    }
                }
                case SECRET -> {
                    if (remove) {
                        secretRemovals.add(a.getSecret().getId());
                    } else {
                        secretUpdates.add(a.getSecret());
                    }
                }
                case CONFIG -> {
                    if (remove) {
                        configRemovals.add(a.getConfig().getId());
                    } else {
                        configUpdates.add(a.getConfig());
                    }
                }
                default -> log.debug("assignment of an unsupported kind ignored");
            }
        }
        secrets.apply(complete, secretUpdates, secretRemovals, configUpdates, configRemovals);
        List<Task> prepared = tasks.stream().map(secrets::prepare).toList();
        if (complete) {
            worker.assign(prepared);
            statuses.retain(tasks.stream().map(Task::getId).toList());
            secrets.retainTasks(tasks.stream().map(Task::getId).toList());
        } else {
            worker.update(prepared, removedTasks);
            statuses.forget(removedTasks);
            secrets.forgetTasks(removedTasks);
        }
        log.debug("{} assignment applied: {} tasks, {} removed", message.getType(), tasks.size(), removedTasks.size());
    }
}

package dev.taskexec.agent.session;

import dev.taskexec.agent.proto.Assignment;
import dev.taskexec.agent.proto.AssignmentChange;
import dev.taskexec.agent.proto.AssignmentsMessage;
import dev.taskexec.agent.proto.Config;
import dev.taskexec.agent.proto.Secret;
import dev.taskexec.agent.runtime.TaskMapping;
import dev.taskexec.api.input.Limits;
import dev.taskexec.api.input.TaskInput;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskSpec;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import dev.taskexec.core.Worker;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * Every task goes through the {@link TaskMapping} first (the backend's reading of the container
 * spec, secret and config files). A task the mapping refuses never reaches the worker: it is
 * reported REJECTED ("rejected by the node", {@code err} the mapping's message) and stays so
 * until it is no longer assigned. Statuses of tasks no longer assigned are dropped from the
 * {@link StatusSender}, and the mapping releases their files.
 *
 * <p>A task is mapped once, when it first arrives. A swarmkit task's spec never changes (a service
 * update makes new tasks); later assignments of it carry a new desired state or status, and the
 * manager takes its secrets and configs back as soon as the task has ended, often in the very
 * message that repeats the task. So a task seen before keeps the spec mapped then: mapping it again
 * would look for secrets no longer assigned and reject a task that had already completed.
 *
 * <p>Called by one thread at a time (the session's assignment thread).
 */
final class AssignmentSet {

    private static final Logger log = LoggerFactory.getLogger(AssignmentSet.class);

    private final Worker worker;
    private final StatusSender statuses;
    private final SecretStore secrets = new SecretStore();
    private final TaskMapping mapping;
    private final Clock clock;

    /** Tasks the mapping refused, until they are no longer assigned. */
    private final Set<String> refused = new HashSet<>();

    /** The spec each assigned task was mapped to, by task id, until it is no longer assigned. */
    private final Map<String, TaskSpec> mapped = new HashMap<>();

    AssignmentSet(Worker worker, StatusSender statuses, TaskMapping mapping, Clock clock) {
        this.worker = worker;
        this.statuses = statuses;
        this.mapping = mapping;
        this.clock = clock;
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
        List<Task> forWorker = new ArrayList<>();
        for (Task task : tasks) {
            Task m = map(task);
            if (m != null) {
                forWorker.add(m);
            }
        }
        if (complete) {
            Set<String> assigned = new HashSet<>();
            tasks.forEach(t -> assigned.add(t.getId()));
            Set<String> before = new HashSet<>(worker.statuses().keySet());
            before.addAll(refused);
            worker.assign(forWorker);
            statuses.retain(assigned);
            refused.retainAll(assigned);
            mapped.keySet().retainAll(assigned);
            before.removeAll(assigned);
            before.forEach(mapping::release);
        } else {
            worker.update(forWorker, removedTasks);
            statuses.forget(removedTasks);
            refused.removeAll(removedTasks);
            removedTasks.forEach(mapped::remove);
            removedTasks.forEach(mapping::release);
        }
        if (log.isDebugEnabled()) {
            // ids only: a secret's or config's payload is never logged
            log.debug(
                    "{} assignment applied: tasks {} removed {}; secrets {} removed {}; configs {} removed {}",
                    message.getType(),
                    tasks.stream().map(Task::getId).toList(),
                    removedTasks,
                    secretUpdates.stream().map(Secret::getId).toList(),
                    secretRemovals,
                    configUpdates.stream().map(Config::getId).toList(),
                    configRemovals);
        }
    }

    /** The task for the worker, or null when it was refused (and reported REJECTED). */
    private Task map(Task task) {
        if (refused.contains(task.getId())) {
            return null;
        }
        try {
            // Assignments are untrusted input like a task file: the same guard bounds them before
            // anything echoes, stores or maps their values (a TaskInputException is an IAE).
            TaskInput.check(task, Limits.defaults());
            TaskSpec known = mapped.get(task.getId());
            if (known != null) {
                return task.toBuilder().setSpec(known).build();
            }
            Task m = mapping.map(task, secrets);
            mapped.put(task.getId(), m.getSpec());
            return m;
        } catch (IllegalArgumentException | UncheckedIOException e) {
            refused.add(task.getId());
            mapping.release(task.getId());
            log.warn("task {}: rejected: {}", task.getId(), e.getMessage());
            long now = clock.millis();
            statuses.report(
                    task.getId(),
                    TaskStatus.newBuilder()
                            .setState(TaskState.REJECTED)
                            .setMessage("rejected by the node")
                            .setErr(e.getMessage())
                            .setTimestamp(
                                    com.google.protobuf.Timestamp.newBuilder()
                                            .setSeconds(Math.floorDiv(now, 1000))
                                            .setNanos(Math.floorMod(now, 1000) * 1_000_000))
                            .build());
            return null;
        }
    }
}

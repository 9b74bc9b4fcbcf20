package dev.taskexec.conformance;

import static dev.taskexec.conformance.Capability.CONTAINER_STATUS;
import static dev.taskexec.conformance.Capability.GRACEFUL_STOP;
import static dev.taskexec.conformance.Capability.LOGS;
import static dev.taskexec.conformance.Capability.PORT_STATUS;
import static dev.taskexec.conformance.Capability.RECOVERY;
import static dev.taskexec.conformance.Capability.UPDATE_REJECTION;
import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The catalogue of every rule the kit checks, in the order of {@code RULES.md}.
 * The kit's own tests check that this catalogue and {@code RULES.md} list the
 * same ids, and that every check names a catalogued rule.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Rules {

    private static final Map<String, Rule> BY_ID = new LinkedHashMap<>();

    public static final Rule LC_1 =
            required("LC-1", "the provider describes itself and creates a working executor");
    public static final Rule LC_2 =
            required("LC-2", "a workload that exits 0 walks every state up to COMPLETE");
    public static final Rule LC_3 =
            required("LC-3", "desired READY pauses the task; raising it later starts the task");
    public static final Rule LC_4 =
            required("LC-4", "desired SHUTDOWN stops a running workload and it really exits");
    public static final Rule LC_5 =
            required("LC-5", "a prepared, never started task shuts down cleanly");
    public static final Rule LC_6 =
            required("LC-6", "terminate stops a workload that ignores its stop signal");
    public static final Rule LC_7 = required("LC-7", "two tasks of one executor do not interfere");
    public static final Rule LC_8 =
            required("LC-8", "lifecycle invariants hold for random action sequences (property)");
    public static final Rule LC_9 =
            optional("LC-9", GRACEFUL_STOP, "shutdown sends the stop signal before killing");
    public static final Rule LC_10 =
            optional("LC-10", GRACEFUL_STOP, "shutdown honours a short stop_grace_period");
    public static final Rule LC_11 =
            optional(
                    "LC-11",
                    GRACEFUL_STOP,
                    "shutdown sends the task's stop_signal, not always SIGTERM");
    public static final Rule LC_12 =
            required("LC-12", "terminate leaves no process of the workload's tree running");
    public static final Rule LC_13 =
            required("LC-13", "shutdown leaves no process of the workload's tree running");
    public static final Rule LC_14 =
            required("LC-14", "two tasks of the same service and slot, different ids, stay apart");

    public static final Rule ID_1 = required("ID-1", "a second prepare is harmless");
    public static final Rule ID_2 =
            required("ID-2", "a second start is harmless and never runs the workload twice");
    public static final Rule ID_3 = required("ID-3", "await after exit repeats the same outcome");
    public static final Rule ID_4 =
            required("ID-4", "shutdown and terminate of an exited target succeed, twice");
    public static final Rule ID_5 =
            required("ID-5", "remove twice, and remove before prepare, succeed");
    public static final Rule ID_6 =
            required(
                    "ID-6",
                    "close is idempotent; calls after close return promptly and start nothing");
    public static final Rule ID_7 =
            required(
                    "ID-7",
                    "update with an equal task is accepted in every state and changes nothing");
    public static final Rule ID_8 =
            optional("ID-8", UPDATE_REJECTION, "update with a changed runtime spec is rejected");

    public static final Rule CX_1 =
            required("CX-1", "an interrupted await returns promptly and the step retries");
    public static final Rule CX_2 =
            required("CX-2", "interrupting await neither stops the target nor loses its exit code");
    public static final Rule CX_3 =
            optional(
                    "CX-3",
                    GRACEFUL_STOP,
                    "an interrupted shutdown returns promptly during a long grace period");
    public static final Rule CX_4 =
            optional("CX-4", LOGS, "logs with follow returns promptly when interrupted");

    public static final Rule EX_1 = required("EX-1", "exit 0 ends COMPLETE without error");
    public static final Rule EX_2 = required("EX-2", "exit N ends FAILED and reports exit code N");
    public static final Rule EX_3 = required("EX-3", "a terminated target never reports success");
    public static final Rule EX_4 =
            optional("EX-4", CONTAINER_STATUS, "container status is reported, with the exit code");
    public static final Rule EX_5 =
            optional("EX-5", PORT_STATUS, "port status answers for a running task");
    public static final Rule EX_6 =
            required("EX-6", "the workload runs with the spec's environment");
    public static final Rule EX_7 =
            required("EX-7", "the workload runs in the spec's working directory");

    public static final Rule LG_1 =
            optional(
                    "LG-1",
                    LOGS,
                    "stdout and stderr lines arrive complete, in order, on the right stream");
    public static final Rule LG_2 =
            optional("LG-2", LOGS, "the last lines before exit are never lost");
    public static final Rule LG_3 =
            optional("LG-3", LOGS, "every message carries a timestamp and the task's log context");
    public static final Rule LG_4 = optional("LG-4", LOGS, "streams selects stdout or stderr");
    public static final Rule LG_5 =
            optional("LG-5", LOGS, "a negative tail counts from the end, offset by one");
    public static final Rule LG_6 = optional("LG-6", LOGS, "follow delivers every line");
    public static final Rule LG_7 =
            optional("LG-7", LOGS, "a failing publisher does not hurt the task or its logs");
    public static final Rule LG_8 =
            optional("LG-8", LOGS, "since returns only the messages timestamped strictly after it");
    public static final Rule LG_9 =
            optional("LG-9", LOGS, "a positive tail skips the first n messages");
    public static final Rule LG_10 =
            optional(
                    "LG-10",
                    LOGS,
                    "tail -1 with follow on a finished task publishes nothing and returns");

    public static final Rule RS_1 =
            probed("RS-1", "a completed task leaves nothing after remove and close");
    public static final Rule RS_2 =
            probed("RS-2", "remove stops a running task and leaves nothing");
    public static final Rule RS_3 =
            probed("RS-3", "never-started and rejected tasks leave nothing after remove and close");
    public static final Rule RS_4 = required("RS-4", "no thread outlives Executor.close");
    public static final Rule RS_5 =
            probed(
                    "RS-5",
                    "random action sequences leave nothing after remove and close (property)");
    public static final Rule RS_6 =
            required(
                    "RS-6",
                    "remove of a running task leaves no process of its tree, seen by the kit itself");

    public static final Rule ER_1 =
            required("ER-1", "the workloads' rejected spec ends REJECTED with a message");
    public static final Rule ER_2 =
            required("ER-2", "an unknown runtime is rejected with RuntimeUnsupportedException");
    public static final Rule ER_3 =
            required("ER-3", "a spec without runtime ends REJECTED with a message");
    public static final Rule ER_4 =
            required("ER-4", "an unknown option is an IllegalArgumentException naming it");
    public static final Rule ER_5 =
            required("ER-5", "a spec the backend cannot honour ends REJECTED, not run differently");

    public static final Rule RC_1 =
            optional(
                    "RC-1",
                    RECOVERY,
                    "a fresh executor re-adopts a running task: already prepared, already started, stoppable");
    public static final Rule RC_2 =
            optional(
                    "RC-2",
                    RECOVERY,
                    "a task that exited 0 while no executor watched ends COMPLETE with exit code 0");
    public static final Rule RC_3 =
            optional(
                    "RC-3",
                    RECOVERY,
                    "a task that exited N while no executor watched ends FAILED with exit code N");
    public static final Rule RC_4 =
            optional("RC-4", RECOVERY, "a re-adopted task's logs are all still there");
    public static final Rule RC_5 =
            optional(
                    "RC-5", RECOVERY, "a task re-adopted at STARTING is not started a second time");
    public static final Rule RC_6 =
            optional(
                    "RC-6",
                    RECOVERY,
                    "orphans no task claims are reaped; claimed tasks are not touched");

    private Rules() {}

    /** Every rule, in catalogue order. The list is unmodifiable. */
    public static List<Rule> all() {
        return List.copyOf(BY_ID.values());
    }

    /**
     * The rule with this id.
     *
     * @throws NoSuchElementException if no rule has this id
     */
    public static Rule byId(String id) {
        Rule rule = BY_ID.get(id);
        if (rule == null) {
            throw new NoSuchElementException("no conformance rule " + id);
        }
        return rule;
    }

    /** The rule with this id, or empty. */
    public static Optional<Rule> find(String id) {
        return Optional.ofNullable(BY_ID.get(id));
    }

    private static Rule required(String id, String title) {
        return add(new Rule(id, title, Optional.empty(), false));
    }

    private static Rule probed(String id, String title) {
        return add(new Rule(id, title, Optional.empty(), true));
    }

    private static Rule optional(String id, Capability capability, String title) {
        return add(new Rule(id, title, Optional.of(capability), false));
    }

    private static Rule add(Rule rule) {
        if (BY_ID.putIfAbsent(rule.id(), rule) != null) {
            throw new IllegalStateException("duplicate rule id " + rule.id());
        }
        return rule;
    }
}

package dev.taskexec.conformance.check;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.google.protobuf.Timestamp;
import dev.taskexec.api.Executor;
import dev.taskexec.api.proto.Annotations;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskSpec;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import dev.taskexec.conformance.Capability;
import dev.taskexec.conformance.Rule;
import dev.taskexec.conformance.Workloads;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;
import org.opentest4j.TestAbortedException;

/**
 * What one check works with: the subject, the rule being checked, and every
 * executor and task the check created, so that they are all cleaned up after the
 * check whatever its outcome.
 */
@API(status = INTERNAL, since = "0.1")
public final class Env implements AutoCloseable {

    /** Service id of every task the kit makes. */
    public static final String SERVICE_ID = "conformance";

    /** Node id of every task the kit makes. */
    public static final String NODE_ID = "conformance-node";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final Subject subject;
    private final Rule rule;
    private final List<Executor> executors = new ArrayList<>();
    private final List<TaskDriver> drivers = new ArrayList<>();
    private Executor shared;

    /**
     * An environment with no executors or tasks yet; {@link #close()} cleans up what the check
     * creates through it. Not thread-safe: one check uses it from one thread.
     *
     * @param subject the backend under test
     * @param rule    the rule being checked; every violation reported here names it
     */
    public Env(Subject subject, Rule rule) {
        this.subject = subject;
        this.rule = rule;
    }

    /** The backend under test. */
    public Subject subject() {
        return subject;
    }

    /** The rule being checked. */
    public Rule rule() {
        return rule;
    }

    /** The subject's workloads; {@code subject().workloads()}. */
    public Workloads workloads() {
        return subject.workloads();
    }

    /** The deadline of one backend call. */
    public Duration callTimeout() {
        return subject.settings().callTimeout();
    }

    /** Creates a new executor from the provider, with the subject's options; closed with this env. */
    public Executor newExecutor() throws Exception {
        Executor executor =
                Calls.within(
                        rule,
                        "ExecutorProvider.create(" + subject.options() + ")",
                        callTimeout(),
                        () -> subject.provider().create(subject.options()));
        if (executor == null) {
            throw violation("ExecutorProvider.create returned null");
        }
        executors.add(executor);
        return executor;
    }

    /** The executor this check's tasks use unless they ask for their own; created on first use. */
    public Executor executor() throws Exception {
        if (shared == null) {
            shared = newExecutor();
        }
        return shared;
    }

    /** A driver for a new task with this spec on the shared executor, desired RUNNING, not yet resolved. */
    public TaskDriver task(TaskSpec spec) throws Exception {
        return task(executor(), spec);
    }

    /** A driver for a new task with this spec on {@code executor}, desired RUNNING, not yet resolved. */
    public TaskDriver task(Executor executor, TaskSpec spec) {
        TaskDriver driver = new TaskDriver(this, executor, newTask(spec));
        drivers.add(driver);
        return driver;
    }

    /**
     * A driver for a task the check already has (with its id and status), on {@code executor}, not
     * yet resolved: another executor's view of the same task, for the recovery rules.
     */
    public TaskDriver task(Executor executor, Task task) {
        TaskDriver driver = new TaskDriver(this, executor, task);
        drivers.add(driver);
        return driver;
    }

    /** A resolved task, on the shared executor, desired RUNNING. */
    public TaskDriver resolved(TaskSpec spec) throws Exception {
        TaskDriver driver = task(spec);
        driver.resolveOrFail();
        return driver;
    }

    /** A task as a manager would assign it: state ASSIGNED, desired RUNNING, a fresh swarmkit-style id. */
    public Task newTask(TaskSpec spec) {
        String id = newId();
        Instant now = Instant.now();
        return Task.newBuilder()
                .setId(id)
                .setServiceId(SERVICE_ID)
                .setNodeId(NODE_ID)
                .setSlot(1)
                .setAnnotations(
                        Annotations.newBuilder()
                                .setName("conformance-" + rule.id().toLowerCase() + "." + id))
                .setSpec(spec)
                .setDesiredState(TaskState.RUNNING)
                .setStatus(
                        TaskStatus.newBuilder()
                                .setState(TaskState.ASSIGNED)
                                .setMessage("assigned")
                                .setTimestamp(
                                        Timestamp.newBuilder()
                                                .setSeconds(now.getEpochSecond())
                                                .setNanos(now.getNano())))
                .build();
    }

    /** A violation of the rule being checked. */
    public RuleViolation violation(String message) {
        return new RuleViolation(rule, message);
    }

    /** A violation of the rule being checked, with its cause. */
    public RuleViolation violation(String message, Throwable cause) {
        return new RuleViolation(rule, message, cause);
    }

    /** Fails the rule with {@code message} unless {@code condition} holds. */
    public void check(boolean condition, String message) {
        if (!condition) {
            throw violation(message);
        }
    }

    /**
     * Why a capability's rule runs, for a failure message: the kit cannot tell a declared
     * capability from one it presumed, so it does not claim a declaration.
     */
    static String claimed(Capability capability) {
        return capability
                + " is among the backend's capabilities (declared through capabilities() or"
                + " --capabilities, or presumed because the kit could not look at a controller)";
    }

    /** Skips the rule being checked unless the backend declared {@code capability}. */
    public void requireCapability(Capability capability) {
        if (!subject.capabilities().contains(capability)) {
            throw new TestAbortedException(
                    rule.id() + ": skipped, the backend does not declare " + capability);
        }
    }

    /**
     * Cleans up everything the check created: every task is terminated, removed and
     * closed, and every executor closed, each with a deadline and ignoring failures
     * (the check's verdict is already made).
     */
    @Override
    public void close() {
        for (TaskDriver driver : drivers) {
            driver.cleanUp();
        }
        for (Executor executor : executors) {
            try {
                Calls.outcome(rule, "Executor.close()", callTimeout(), executor::close);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error ignored) {
                // Already judged; cleaning up is best effort.
            }
        }
    }

    private static String newId() {
        char[] id = new char[25];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_ALPHABET[RANDOM.nextInt(ID_ALPHABET.length)];
        }
        return new String(id);
    }
}

package dev.taskexec.conformance.check;

import static dev.taskexec.api.proto.TaskState.SHUTDOWN;

import dev.taskexec.api.Controller;
import dev.taskexec.api.proto.TaskSpec;
import dev.taskexec.conformance.Rules;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.opentest4j.TestAbortedException;

/**
 * The rules that look for survivors of a workload that forks children and grandchildren (LC-12
 * terminate, LC-13 shutdown, RS-6 remove), through the kit's own view of this machine's
 * processes ({@link HostProcesses}), so they need no user-written probe: a backend that kills
 * only its direct child leaves the rest of the tree running, and every later task pays for it.
 */
final class ProcessTreeChecks {

    /** The workload's own shell, two children and two grandchildren. */
    private static final int TREE_SIZE = 5;

    /** How long the kit waits to see the whole tree after the workload said it is ready. */
    private static final Duration VISIBLE_LIMIT = Duration.ofSeconds(10);

    private ProcessTreeChecks() {}

    static RuleCheck terminate() {
        return new RuleCheck(
                Rules.LC_12,
                env ->
                        treeGone(
                                env,
                                "terminate",
                                task -> {
                                    CallResult<Void> done =
                                            task.run(
                                                    "Controller.terminate()",
                                                    LifecycleChecks.EXIT_LIMIT,
                                                    Controller::terminate);
                                    env.check(
                                            done.returned(),
                                            "terminate threw " + Causes.describe(done.thrown()));
                                }));
    }

    static RuleCheck shutdown() {
        return new RuleCheck(
                Rules.LC_13,
                env ->
                        treeGone(
                                env,
                                "shutdown (after the 1 s grace period)",
                                task -> {
                                    task.desire(SHUTDOWN);
                                    task.step(
                                            LifecycleChecks.GRACE.plus(LifecycleChecks.EXIT_LIMIT));
                                    env.check(
                                            task.state() == SHUTDOWN,
                                            "desired SHUTDOWN gave state "
                                                    + task.state()
                                                    + " (err '"
                                                    + task.status().getErr()
                                                    + "')");
                                }));
    }

    static RuleCheck remove() {
        return new RuleCheck(
                Rules.RS_6,
                env ->
                        treeGone(
                                env,
                                "remove of the running task (and close)",
                                task -> ResourceChecks.removeRunningAndClose(env, task)));
    }

    private static void treeGone(Env env, String how, Stop stop) throws Exception {
        String marker =
                "taskexec-conformance-"
                        + env.rule().id().toLowerCase()
                        + "-"
                        + Long.toString(
                                ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        TaskSpec spec =
                FidelityChecks.workload(
                        env,
                        env.workloads().processTree(marker, LifecycleChecks.GRACE),
                        "processTree");
        try {
            TaskDriver task = env.resolved(spec).startRunning().awaitReady();
            List<String> running =
                    Poll.until(
                            VISIBLE_LIMIT,
                            () -> HostProcesses.withMarker(marker),
                            seen -> seen.size() >= TREE_SIZE);
            if (running.isEmpty()) {
                throw new TestAbortedException(
                        env.rule().id()
                                + ": skipped, the kit sees none of the running workload's"
                                + " processes on this machine (it runs elsewhere, or in a way /proc does not show), so it"
                                + " cannot tell whether any survive; supply a ResourceProbe for RS-1 ... RS-5");
            }
            stop.apply(task);
            List<String> left =
                    Poll.until(
                            ResourceChecks.RELEASE_LIMIT,
                            () -> HostProcesses.withMarker(marker),
                            List::isEmpty);
            env.check(
                    left.isEmpty(),
                    "after "
                            + how
                            + ", "
                            + left.size()
                            + " of the "
                            + running.size()
                            + " processes of a workload that forked children and grandchildren were still running "
                            + Calls.seconds(ResourceChecks.RELEASE_LIMIT)
                            + " later (every process of the task's tree must"
                            + " end, not only the direct child): "
                            + String.join("; ", left));
        } finally {
            HostProcesses.killMarked(marker);
        }
    }

    @FunctionalInterface
    private interface Stop {
        void apply(TaskDriver task) throws Exception;
    }
}

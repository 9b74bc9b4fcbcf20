package dev.taskexec.conformance.check;

import static dev.taskexec.api.proto.TaskState.COMPLETE;
import static dev.taskexec.api.proto.TaskState.READY;
import static dev.taskexec.api.proto.TaskState.REJECTED;

import dev.taskexec.api.Controller;
import dev.taskexec.api.Executor;
import dev.taskexec.api.proto.Task;
import dev.taskexec.conformance.Rules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The RS rules: after remove and close, nothing the backend made for a task is left. */
final class ResourceChecks {

    /** How long the kit keeps looking before it calls something a leak. */
    static final Duration RELEASE_LIMIT = Duration.ofSeconds(5);

    /** The same, in property tests: shorter, since a failing property re-plays many scenarios while it shrinks. */
    static final Duration PROPERTY_RELEASE_LIMIT = Duration.ofSeconds(1);

    /** Threads the JDK and common test tooling start on their own, whoever triggered them. */
    private static final List<String> SHARED_THREAD_PREFIXES =
            List.of(
                    InFlight.THREAD_PREFIX,
                    "process reaper",
                    "ForkJoinPool.commonPool-worker-",
                    "Common-Cleaner",
                    "Reference Handler",
                    "Finalizer",
                    "Signal Dispatcher",
                    "Attach Listener",
                    "Notification Thread",
                    "InnocuousThread",
                    "JFR ",
                    "VirtualThread-unparker",
                    "Read-Poller",
                    "Write-Poller",
                    "Monitor Deflation",
                    "surefire-forkedjvm",
                    "junit-");

    private ResourceChecks() {}

    static List<RuleCheck> checks() {
        return List.of(
                new RuleCheck(Rules.RS_1, ResourceChecks::completedTaskReleased),
                new RuleCheck(Rules.RS_2, ResourceChecks::removeStopsRunningTask),
                new RuleCheck(Rules.RS_3, ResourceChecks::unstartedTasksReleased),
                new RuleCheck(Rules.RS_4, ResourceChecks::noThreadOutlivesExecutor),
                new RuleCheck(Rules.RS_5, PropertyChecks::resourcesReleased),
                ProcessTreeChecks.remove());
    }

    private static void completedTaskReleased(Env env) throws Exception {
        TaskDriver task = env.resolved(env.workloads().exit(0));
        env.check(task.settle() == COMPLETE, "exit 0 did not complete: " + task.history());
        task.removeAndClose();
        expectReleased(env, task.task(), "after a completed task was removed and closed");
    }

    private static void removeStopsRunningTask(Env env) throws Exception {
        // Ready first: a remove that lands before the workload has started its children cannot show
        // they survive.
        TaskDriver task =
                env.resolved(env.workloads().runUntilStopped(LifecycleChecks.GRACE))
                        .startRunning()
                        .awaitReady();
        removeRunningAndClose(env, task);
        expectReleased(env, task.task(), "after a running task was removed and closed");
    }

    /** {@code remove} on a running task (with time for its grace period), then {@code close}; fails the rule if either throws. */
    static void removeRunningAndClose(Env env, TaskDriver task) throws Exception {
        CallResult<Void> removed =
                task.run(
                        "Controller.remove() of a running task",
                        LifecycleChecks.GRACE.plus(LifecycleChecks.EXIT_LIMIT),
                        Controller::remove);
        env.check(
                removed.returned(),
                "remove of a running task threw " + Causes.describe(removed.thrown()));
        task.mustSucceed("Controller.close()", Controller::close);
        task.markCleaned();
    }

    private static void unstartedTasksReleased(Env env) throws Exception {
        TaskDriver prepared = env.resolved(env.workloads().exit(0));
        env.check(
                prepared.runTo(READY) == READY,
                "the task did not settle at READY: " + prepared.history());
        prepared.removeAndClose();
        expectReleased(
                env,
                prepared.task(),
                "after a prepared, never started task was removed and closed");

        TaskDriver rejected = env.task(env.workloads().rejected());
        if (rejected.resolve().resolved()) {
            rejected.settle();
            env.check(
                    rejected.state() == REJECTED,
                    "the rejected workload ended "
                            + rejected.state()
                            + " instead of REJECTED (see ER-1)");
            rejected.removeAndClose();
        }
        expectReleased(env, rejected.task(), "after a rejected task was removed and closed");
    }

    /** Fails the rule if the probe still sees something for {@code task} after {@link #RELEASE_LIMIT}. */
    static void expectReleased(Env env, Task task, String when) throws Exception {
        expectReleased(env, task, when, RELEASE_LIMIT);
    }

    /** Fails the rule if the probe still sees something for {@code task} after {@code limit}. */
    static void expectReleased(Env env, Task task, String when, Duration limit) throws Exception {
        List<String> held =
                Poll.until(
                        limit,
                        () -> {
                            List<String> now = env.subject().probe().heldFor(task);
                            if (now == null) {
                                throw env.violation(
                                        "the ResourceProbe returned null instead of a list");
                            }
                            return now;
                        },
                        List::isEmpty);
        env.check(
                held.isEmpty(),
                when
                        + ", the backend still holds "
                        + held.size()
                        + " resource(s) "
                        + Calls.seconds(limit)
                        + " later: "
                        + String.join("; ", held));
    }

    private static void noThreadOutlivesExecutor(Env env) throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        Executor executor = env.newExecutor();
        TaskDriver task = env.task(executor, env.workloads().exit(0));
        task.resolveOrFail();
        env.check(task.settle() == COMPLETE, "exit 0 did not complete: " + task.history());
        task.removeAndClose();
        CallResult<Void> closed =
                Calls.outcome(env.rule(), "Executor.close()", env.callTimeout(), executor::close);
        env.check(closed.returned(), "Executor.close() threw " + Causes.describe(closed.thrown()));
        List<Thread> left = Poll.until(RELEASE_LIMIT, () -> newThreads(before), List::isEmpty);
        env.check(
                left.isEmpty(),
                "after Executor.close(), "
                        + left.size()
                        + " thread(s) it started were still alive "
                        + Calls.seconds(RELEASE_LIMIT)
                        + " later: "
                        + left.stream()
                                .map(
                                        t ->
                                                "'"
                                                        + t.getName()
                                                        + "' ("
                                                        + t.getState()
                                                        + (t.isDaemon() ? ", daemon" : "")
                                                        + ")")
                                .collect(Collectors.joining(", ")));
    }

    private static List<Thread> newThreads(Set<Thread> before) {
        List<Thread> fresh = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (!before.contains(thread) && thread.isAlive() && !isShared(thread)) {
                fresh.add(thread);
            }
        }
        return fresh;
    }

    private static boolean isShared(Thread thread) {
        String name = thread.getName();
        return SHARED_THREAD_PREFIXES.stream().anyMatch(name::startsWith);
    }
}

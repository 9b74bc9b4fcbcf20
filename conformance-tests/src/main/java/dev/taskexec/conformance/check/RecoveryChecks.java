package dev.taskexec.conformance.check;

import static dev.taskexec.api.proto.TaskState.COMPLETE;
import static dev.taskexec.api.proto.TaskState.FAILED;
import static dev.taskexec.api.proto.TaskState.RUNNING;
import static dev.taskexec.api.proto.TaskState.SHUTDOWN;
import static dev.taskexec.api.proto.TaskState.STARTING;

import dev.taskexec.api.Controller;
import dev.taskexec.api.ControllerLogs;
import dev.taskexec.api.Executor;
import dev.taskexec.api.ReapedResource;
import dev.taskexec.api.TaskAlreadyPreparedException;
import dev.taskexec.api.TaskAlreadyStartedException;
import dev.taskexec.api.TaskRecovery;
import dev.taskexec.api.proto.LogMessage;
import dev.taskexec.api.proto.LogStream;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import dev.taskexec.api.proto.TaskSpec;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.conformance.Capability;
import dev.taskexec.conformance.Rules;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * The RC rules: a task outlives the executor that started it. Each check starts a task on one
 * executor and then drops that executor without any clean-up (no await, no remove, no close: what
 * an agent killed with SIGKILL leaves), and drives the same task, by its id and spec, on a fresh
 * executor from the same provider and options, as a restarted agent does with its stored tasks.
 */
final class RecoveryChecks {

    private static final List<String> OUT = List.of("rc-out-1", "rc-out-2", "rc-out-3");
    private static final List<String> ERR = List.of("rc-err-1", "rc-err-2");

    private RecoveryChecks() {}

    static List<RuleCheck> checks() {
        return List.of(
                new RuleCheck(Rules.RC_1, RecoveryChecks::runningReadopted),
                new RuleCheck(Rules.RC_2, RecoveryChecks::exitedZeroMeanwhile),
                new RuleCheck(Rules.RC_3, RecoveryChecks::exitedNonZeroMeanwhile),
                new RuleCheck(Rules.RC_4, RecoveryChecks::logsSurvive),
                new RuleCheck(Rules.RC_5, RecoveryChecks::notStartedTwice),
                new RuleCheck(Rules.RC_6, RecoveryChecks::orphansReaped));
    }

    /** A task started on a fresh executor that the check then stops using. */
    private static TaskDriver startedThenDropped(Env env, TaskSpec spec) throws Exception {
        Executor first = env.newExecutor();
        return env.task(first, spec).startRunning();
    }

    /** The same task, as stored, on a fresh executor: resolved, not stepped. */
    private static TaskDriver adopted(Env env, TaskDriver dropped) throws Exception {
        Executor second = env.newExecutor();
        env.check(
                second instanceof TaskRecovery,
                "the backend declares RECOVERY but its executor is not a TaskRecovery");
        return env.task(second, dropped.task()).resolveOrFail();
    }

    private static void runningReadopted(Env env) throws Exception {
        TaskDriver dropped =
                startedThenDropped(env, env.workloads().runUntilStopped(LifecycleChecks.GRACE));
        TaskDriver task = adopted(env, dropped);
        CallResult<Void> prepare = task.run("Controller.prepare()", Controller::prepare);
        env.check(
                !prepare.returned()
                        && Causes.has(prepare.thrown(), TaskAlreadyPreparedException.class),
                "prepare() on a fresh executor's controller of a running task "
                        + (prepare.returned()
                                ? "returned normally (did it create the task again?)"
                                : "threw " + Causes.describe(prepare.thrown()))
                        + "; expected TaskAlreadyPreparedException");
        checkStartRefused(
                env,
                task,
                "start() on a fresh executor's controller of a running task ",
                " (did it start the workload again?)");
        TaskState end = task.runTo(SHUTDOWN);
        env.check(
                end == SHUTDOWN,
                "desired SHUTDOWN on the re-adopted task ended "
                        + end
                        + " (err '"
                        + task.status().getErr()
                        + "')");
        task.awaitTarget(
                LifecycleChecks.EXIT_LIMIT,
                "the re-adopted task reached SHUTDOWN but its workload is still running: the stop missed it");
        task.removeAndClose();
    }

    private static void exitedZeroMeanwhile(Env env) throws Exception {
        TaskDriver task = adopted(env, startedThenDropped(env, env.workloads().exit(0)));
        env.check(
                task.state() == RUNNING,
                "the adopted task should resume at RUNNING, is " + task.state());
        TaskState end = task.settle();
        env.check(
                end == COMPLETE,
                "a workload that exited 0 while no executor watched ended "
                        + end
                        + " (err '"
                        + task.status().getErr()
                        + "')");
        env.check(
                task.status().getContainer().getExitCode() == 0,
                "COMPLETE with exit code " + task.status().getContainer().getExitCode());
        task.removeAndClose();
    }

    private static void exitedNonZeroMeanwhile(Env env) throws Exception {
        int code = 3;
        TaskDriver task = adopted(env, startedThenDropped(env, env.workloads().exit(code)));
        TaskState end = task.settle();
        env.check(
                end == FAILED,
                "a workload that exited "
                        + code
                        + " while no executor watched ended "
                        + end
                        + " (err '"
                        + task.status().getErr()
                        + "'): its exit was lost");
        int reported = task.status().getContainer().getExitCode();
        env.check(
                reported == code,
                "a workload that exited "
                        + code
                        + " while no executor watched was reported"
                        + " with exit code "
                        + reported);
        CallResult<Void> exit =
                task.awaitTarget(CancellationChecks.PROMPTLY, "await after the exit blocked");
        OptionalInt thrown = exit.returned() ? OptionalInt.empty() : Causes.exitCode(exit.thrown());
        env.check(
                thrown.isPresent() && thrown.getAsInt() == code,
                "await on the re-adopted task "
                        + (exit.returned()
                                ? "returned normally"
                                : "threw " + Causes.describe(exit.thrown()))
                        + "; expected an ExitCoder reporting "
                        + code);
        task.removeAndClose();
    }

    private static void logsSurvive(Env env) throws Exception {
        env.requireCapability(Capability.LOGS);
        TaskDriver task = adopted(env, startedThenDropped(env, env.workloads().print(OUT, ERR, 0)));
        TaskState end = task.settle();
        env.check(
                end == COMPLETE,
                "the printing workload ended " + end + " (err '" + task.status().getErr() + "')");
        List<LogMessage> messages = read(env, task);
        env.check(
                lines(messages, LogStream.LOG_STREAM_STDOUT).equals(OUT)
                        && lines(messages, LogStream.LOG_STREAM_STDERR).equals(ERR),
                "the re-adopted task's logs lost lines written before or while no executor ran: stdout "
                        + lines(messages, LogStream.LOG_STREAM_STDOUT)
                        + " (expected "
                        + OUT
                        + "), stderr "
                        + lines(messages, LogStream.LOG_STREAM_STDERR)
                        + " (expected "
                        + ERR
                        + ")");
        task.removeAndClose();
    }

    private static void notStartedTwice(Env env) throws Exception {
        // The crash came after start() returned and before RUNNING was stored: the stored status is
        // STARTING.
        Executor first = env.newExecutor();
        TaskDriver dropped =
                env.task(first, env.workloads().print(List.of("rc-once"), List.of(), 0))
                        .resolveOrFail();
        TaskState reached = dropped.stepTo(STARTING);
        env.check(reached == STARTING, "expected the task to reach STARTING, it is " + reached);
        dropped.mustSucceed("Controller.start()", Controller::start);

        TaskDriver task = adopted(env, dropped);
        env.check(
                task.state() == STARTING,
                "the adopted task should resume at STARTING, is " + task.state());
        TaskState end = task.settle();
        env.check(
                end == COMPLETE,
                "a task re-adopted at STARTING whose workload had started ended "
                        + end
                        + " (err '"
                        + task.status().getErr()
                        + "'; states "
                        + task.history()
                        + "): start() must answer TaskAlreadyStartedException, not fail or start again");
        if (env.subject().capabilities().contains(Capability.LOGS)) {
            List<String> out = lines(read(env, task), LogStream.LOG_STREAM_STDOUT);
            env.check(
                    out.equals(List.of("rc-once")),
                    "the workload's output shows it ran "
                            + Collections.frequency(out, "rc-once")
                            + " times (stdout "
                            + out
                            + "); it must run once");
        }
        task.removeAndClose();
    }

    private static void orphansReaped(Env env) throws Exception {
        Executor first = env.newExecutor();
        TaskDriver orphan =
                env.task(first, env.workloads().runUntilStopped(LifecycleChecks.GRACE))
                        .startRunning();
        TaskDriver kept =
                env.task(first, env.workloads().runUntilStopped(LifecycleChecks.GRACE))
                        .startRunning();

        Executor second = env.newExecutor();
        env.check(
                second instanceof TaskRecovery,
                "the backend declares RECOVERY but its executor is not a TaskRecovery");
        TaskRecovery recovery = (TaskRecovery) second;
        String keptId = kept.task().getId();
        String orphanId = orphan.task().getId();
        List<ReapedResource> reaped =
                Calls.within(
                        env.rule(),
                        "TaskRecovery.reapOrphans",
                        env.callTimeout(),
                        () -> recovery.reapOrphans(Set.of(keptId)));
        env.check(reaped != null, "reapOrphans returned null instead of a list");
        env.check(
                reaped.stream().anyMatch(r -> r.taskId().equals(orphanId)),
                "reapOrphans did not report reaping the unclaimed task "
                        + orphanId
                        + "; it reported "
                        + reaped);
        env.check(
                reaped.stream().noneMatch(r -> r.taskId().equals(keptId)),
                "reapOrphans reaped the claimed task " + keptId + ": " + reaped);

        TaskDriver gone = env.task(second, orphan.task()).resolveOrFail();
        CallResult<Void> prepare = gone.run("Controller.prepare()", Controller::prepare);
        env.check(
                prepare.returned(),
                "after reaping, prepare() of the reaped task's id "
                        + (prepare.returned() ? "" : "threw " + Causes.describe(prepare.thrown()))
                        + ": something of the orphan is still there");
        gone.removeAndClose();

        TaskDriver still = env.task(second, kept.task()).resolveOrFail();
        checkStartRefused(env, still, "the claimed task did not survive the reaping: start() ", "");

        List<ReapedResource> again =
                Calls.within(
                        env.rule(),
                        "TaskRecovery.reapOrphans (again)",
                        env.callTimeout(),
                        () -> recovery.reapOrphans(Set.of(keptId)));
        env.check(
                again != null && again.stream().noneMatch(r -> r.taskId().equals(orphanId)),
                "a second reapOrphans reaped the orphan again: " + again);
        env.check(
                still.runTo(SHUTDOWN) == SHUTDOWN,
                "the claimed task did not shut down after the reaping");
        still.removeAndClose();
    }

    private static List<LogMessage> read(Env env, TaskDriver task) throws Exception {
        env.check(
                task.controller() instanceof ControllerLogs,
                "the backend declares LOGS but its controller is not a ControllerLogs");
        ControllerLogs logs = (ControllerLogs) task.controller();
        List<LogMessage> received = Collections.synchronizedList(new ArrayList<>());
        InFlight<Void> call =
                InFlight.start(
                        "ControllerLogs.logs()",
                        () ->
                                logs.logs(
                                        received::add,
                                        LogSubscriptionOptions.getDefaultInstance()));
        CallResult<Void> result;
        try {
            result = call.await(env.callTimeout());
        } catch (TimeoutException e) {
            call.interrupt();
            throw env.violation(
                    "logs() on the re-adopted task did not return within "
                            + Calls.seconds(env.callTimeout()));
        }
        env.check(
                result.returned(),
                "logs() on the re-adopted task threw " + Causes.describe(result.thrown()));
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    private static List<String> lines(List<LogMessage> messages, LogStream stream) {
        List<String> out = new ArrayList<>();
        for (LogMessage m : messages) {
            if (m.getStream() == stream) {
                out.add(m.getData().toStringUtf8().stripTrailing());
            }
        }
        return out;
    }

    /**
     * Checks that {@code start()} on {@code task}'s controller is refused with {@link
     * TaskAlreadyStartedException}: the workload it stands for has run already. The failure reads
     * {@code what}, then how the call ended ({@code ifReturned} follows "returned normally").
     */
    private static void checkStartRefused(Env env, TaskDriver task, String what, String ifReturned)
            throws InterruptedException {
        CallResult<Void> start = task.run("Controller.start()", Controller::start);
        env.check(
                !start.returned() && Causes.has(start.thrown(), TaskAlreadyStartedException.class),
                what
                        + (start.returned()
                                ? "returned normally" + ifReturned
                                : "threw " + Causes.describe(start.thrown()))
                        + "; expected TaskAlreadyStartedException");
    }
}

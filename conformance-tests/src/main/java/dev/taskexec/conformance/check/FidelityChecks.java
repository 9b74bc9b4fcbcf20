package dev.taskexec.conformance.check;

import static dev.taskexec.api.proto.TaskState.COMPLETE;
import static dev.taskexec.api.proto.TaskState.SHUTDOWN;

import dev.taskexec.api.ControllerLogs;
import dev.taskexec.api.proto.LogStream;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import dev.taskexec.api.proto.TaskSpec;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.conformance.Capability;
import dev.taskexec.conformance.Rules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;
import org.opentest4j.TestAbortedException;

/**
 * The rules that hold a backend to the task's spec beyond its command (EX-6 environment, EX-7
 * working directory, LC-11 stop signal): the workloads report what they got through their exit
 * code, so the checks need no logs, and quote the workload's own output when logs are there.
 */
final class FidelityChecks {

    /** Not SIGTERM and not SIGINT, so a backend that always sends SIGTERM is told apart. */
    static final String STOP_SIGNAL = "SIGUSR1";

    private FidelityChecks() {}

    static RuleCheck environment() {
        return new RuleCheck(Rules.EX_6, FidelityChecks::environmentIsSet);
    }

    static RuleCheck workingDirectory() {
        return new RuleCheck(Rules.EX_7, FidelityChecks::workingDirectoryIsSet);
    }

    static RuleCheck stopSignal() {
        return new RuleCheck(Rules.LC_11, FidelityChecks::stopSignalIsDelivered);
    }

    private static void environmentIsSet(Env env) throws Exception {
        String nonce = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("TASKEXEC_CONFORMANCE_PLAIN", "plain-" + nonce);
        vars.put("TASKEXEC_CONFORMANCE_SPACES", "two words and an = sign " + nonce);
        vars.put("TASKEXEC_CONFORMANCE_EMPTY", "");
        TaskSpec spec = workload(env, env.workloads().expectEnvironment(vars), "expectEnvironment");
        TaskDriver task = env.resolved(spec);
        TaskState end = task.settle();
        env.check(
                end == COMPLETE,
                "a workload whose spec sets the environment "
                        + vars
                        + " ended "
                        + end
                        + " (exit code "
                        + task.status().getContainer().getExitCode()
                        + ", err '"
                        + task.status().getErr()
                        + "'): it did not see those variables with those values"
                        + output(env, task));
        task.removeAndClose();
    }

    private static void workingDirectoryIsSet(Env env) throws Exception {
        Path dir = Files.createTempDirectory("taskexec-conformance-dir-");
        try {
            TaskSpec spec =
                    workload(
                            env,
                            env.workloads().expectWorkingDirectory(dir.toString()),
                            "expectWorkingDirectory");
            TaskDriver task = env.resolved(spec);
            TaskState end = task.settle();
            env.check(
                    end == COMPLETE,
                    "a workload whose spec sets dir "
                            + dir
                            + " ended "
                            + end
                            + " (exit code "
                            + task.status().getContainer().getExitCode()
                            + ", err '"
                            + task.status().getErr()
                            + "'): it did not run in that directory"
                            + output(env, task));
            task.removeAndClose();
        } finally {
            Files.deleteIfExists(dir);
        }
    }

    private static void stopSignalIsDelivered(Env env) throws Exception {
        env.requireCapability(Capability.GRACEFUL_STOP);
        Duration grace = Duration.ofSeconds(5);
        TaskSpec spec =
                workload(
                        env,
                        env.workloads().expectStopSignal(STOP_SIGNAL, grace),
                        "expectStopSignal");
        TaskDriver task = env.resolved(spec).startRunning().awaitReady();
        task.desire(SHUTDOWN);
        task.step(grace.plus(LifecycleChecks.EXIT_LIMIT));
        env.check(
                task.state() == SHUTDOWN,
                "desired SHUTDOWN gave state "
                        + task.state()
                        + " (err '"
                        + task.status().getErr()
                        + "')");
        CallResult<Void> exit =
                task.awaitTarget(
                        LifecycleChecks.EXIT_LIMIT,
                        "the workload was still running after shutdown");
        if (!exit.returned()) {
            OptionalInt code = Causes.exitCode(exit.thrown());
            String what =
                    code.isEmpty()
                            ? Causes.describe(exit.thrown())
                            : switch (code.getAsInt()) {
                                case 3 -> "exit code 3: it received SIGTERM or SIGINT";
                                case 137 ->
                                        "exit code 137: it got no signal it handles and was killed after its grace period";
                                default -> "exit code " + code.getAsInt();
                            };
            throw env.violation(
                    "a workload whose spec sets stop_signal "
                            + STOP_SIGNAL
                            + " (and exits 0 on it) ended with "
                            + what
                            + " after shutdown: the task's stop signal was not delivered",
                    exit.thrown());
        }
        task.removeAndClose();
    }

    /** The workload, or skips the rule: the kit cannot check what the workloads cannot express. */
    static TaskSpec workload(Env env, Optional<TaskSpec> spec, String method) {
        return spec.orElseThrow(
                () ->
                        new TestAbortedException(
                                env.rule().id()
                                        + ": skipped, "
                                        + env.workloads()
                                        + " gives no "
                                        + method
                                        + " workload (implement Workloads."
                                        + method
                                        + " so the kit can check it)"));
    }

    /** What the workload wrote to stdout, for a failure message; empty without logs. */
    static String output(Env env, TaskDriver task) {
        if (!env.subject().capabilities().contains(Capability.LOGS)
                || !(task.controller() instanceof ControllerLogs logs)) {
            return "";
        }
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        try {
            CallResult<Void> read =
                    Calls.outcome(
                            env.rule(),
                            "ControllerLogs.logs",
                            env.callTimeout(),
                            () -> {
                                logs.logs(
                                        message -> {
                                            if (message.getStream()
                                                    == LogStream.LOG_STREAM_STDOUT) {
                                                lines.add(message.getData().toStringUtf8().strip());
                                            }
                                        },
                                        LogSubscriptionOptions.getDefaultInstance());
                            });
            if (!read.returned()) {
                return "";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        } catch (RuntimeException | AssertionError e) {
            return "";
        }
        synchronized (lines) {
            return lines.isEmpty() ? "" : "; it wrote " + lines;
        }
    }
}

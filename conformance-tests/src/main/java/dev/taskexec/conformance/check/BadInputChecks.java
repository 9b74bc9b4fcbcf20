package dev.taskexec.conformance.check;

import static dev.taskexec.api.proto.TaskState.REJECTED;

import dev.taskexec.api.Executor;
import dev.taskexec.api.RuntimeUnsupportedException;
import dev.taskexec.api.proto.GenericRuntimeSpec;
import dev.taskexec.api.proto.TaskSpec;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.conformance.Rules;
import dev.taskexec.core.Resolution;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opentest4j.TestAbortedException;

/** The ER rules: bad input is refused with a clear message, never a hang or a crash. */
final class BadInputChecks {

    /** An option key no backend can know. */
    static final String UNKNOWN_OPTION = "taskexec-conformance-no-such-option";

    private BadInputChecks() {}

    static List<RuleCheck> checks() {
        return List.of(
                new RuleCheck(Rules.ER_1, BadInputChecks::rejectedWorkload),
                new RuleCheck(Rules.ER_2, BadInputChecks::unknownRuntime),
                new RuleCheck(Rules.ER_3, BadInputChecks::noRuntime),
                new RuleCheck(Rules.ER_4, BadInputChecks::unknownOption),
                new RuleCheck(Rules.ER_5, BadInputChecks::unrunnableSpecs));
    }

    private static void rejectedWorkload(Env env) throws Exception {
        expectRejected(env, env.workloads().rejected(), "the spec from Workloads.rejected()");
    }

    private static void unknownRuntime(Env env) throws Exception {
        TaskSpec spec =
                TaskSpec.newBuilder()
                        .setGeneric(
                                GenericRuntimeSpec.newBuilder()
                                        .setKind("taskexec-conformance-unknown-kind"))
                        .build();
        TaskDriver task = env.task(spec);
        Resolution resolution = task.resolve();
        env.check(
                !resolution.resolved(),
                "Executor.controller accepted a generic runtime of unknown kind");
        env.check(
                task.state() == REJECTED,
                "an unknown runtime was resolved to " + task.state() + ", not REJECTED");
        env.check(
                Causes.has(resolution.failure(), RuntimeUnsupportedException.class),
                "Executor.controller refused an unknown runtime with "
                        + Causes.describe(resolution.failure())
                        + "; expected RuntimeUnsupportedException (or a failure caused by one)");
    }

    private static void noRuntime(Env env) throws Exception {
        expectRejected(env, TaskSpec.getDefaultInstance(), "a spec without runtime");
    }

    private static void expectRejected(Env env, TaskSpec spec, String what) throws Exception {
        TaskDriver task = env.task(spec);
        Resolution resolution = task.resolve();
        if (resolution.resolved()) {
            task.settle();
        }
        env.check(
                task.state() == REJECTED,
                what
                        + " ended "
                        + task.state()
                        + " instead of REJECTED (states "
                        + task.history()
                        + ", err '"
                        + task.status().getErr()
                        + "')"
                        + (task.state() == TaskState.COMPLETE
                                ? ": the backend ran it instead of refusing it"
                                : task.history().contains(TaskState.STARTING)
                                        ? ": it was accepted by prepare and only failed once started"
                                        : ""));
        env.check(!task.status().getErr().isBlank(), what + " was REJECTED with an empty err");
        if (resolution.resolved()) {
            task.removeAndClose();
        }
    }

    private static void unrunnableSpecs(Env env) throws Exception {
        Map<String, TaskSpec> specs = env.workloads().unrunnable();
        if (specs.isEmpty()) {
            throw new TestAbortedException(
                    env.rule().id()
                            + ": skipped, "
                            + env.workloads()
                            + " names no spec the backend cannot honour (implement Workloads.unrunnable)");
        }
        for (Map.Entry<String, TaskSpec> bad : specs.entrySet()) {
            expectRejected(env, bad.getValue(), "a spec with " + bad.getKey());
        }
    }

    private static void unknownOption(Env env) throws Exception {
        Map<String, String> options = new HashMap<>(env.subject().options());
        options.put(UNKNOWN_OPTION, "1");
        CallResult<Executor> result =
                Calls.outcome(
                        env.rule(),
                        "ExecutorProvider.create(unknown option)",
                        env.callTimeout(),
                        () -> env.subject().provider().create(options));
        if (result.returned()) {
            Executor executor = result.value();
            if (executor != null) {
                Calls.outcome(env.rule(), "Executor.close()", env.callTimeout(), executor::close);
            }
            throw env.violation(
                    "ExecutorProvider.create accepted the unknown option '" + UNKNOWN_OPTION + "'");
        }
        Throwable thrown = result.thrown();
        env.check(
                thrown instanceof IllegalArgumentException,
                "ExecutorProvider.create with an unknown option threw "
                        + Causes.describe(thrown)
                        + "; expected IllegalArgumentException");
        env.check(
                thrown.getMessage() != null && thrown.getMessage().contains(UNKNOWN_OPTION),
                "the IllegalArgumentException for an unknown option does not name it: '"
                        + thrown.getMessage()
                        + "'");
    }
}

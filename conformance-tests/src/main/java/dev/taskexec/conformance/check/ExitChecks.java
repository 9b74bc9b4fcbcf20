package dev.taskexec.conformance.check;

import static dev.taskexec.api.proto.TaskState.COMPLETE;
import static dev.taskexec.api.proto.TaskState.FAILED;

import dev.taskexec.api.ContainerStatuser;
import dev.taskexec.api.Controller;
import dev.taskexec.api.PortStatuser;
import dev.taskexec.api.proto.ContainerStatus;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.conformance.Capability;
import dev.taskexec.conformance.Rules;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** The EX rules: exit codes and status reach the task's status. */
final class ExitChecks {

    private static final int[] CODES = {1, 3, 42, 125};

    /** 128 + SIGKILL. */
    private static final int KILLED = 137;

    private ExitChecks() {}

    static List<RuleCheck> checks() {
        return List.of(
                new RuleCheck(Rules.EX_1, ExitChecks::exitZero),
                new RuleCheck(Rules.EX_2, ExitChecks::exitNonZero),
                new RuleCheck(Rules.EX_3, ExitChecks::terminatedIsNotSuccess),
                new RuleCheck(Rules.EX_4, ExitChecks::containerStatus),
                new RuleCheck(Rules.EX_5, ExitChecks::portStatus),
                FidelityChecks.environment(),
                FidelityChecks.workingDirectory());
    }

    private static void exitZero(Env env) throws Exception {
        TaskDriver task = env.resolved(env.workloads().exit(0));
        TaskState end = task.settle();
        env.check(
                end == COMPLETE,
                "a workload that exits 0 ended " + end + " (err '" + task.status().getErr() + "')");
        env.check(
                task.status().getErr().isEmpty(),
                "COMPLETE with a non-empty err '" + task.status().getErr() + "'");
        env.check(
                task.status().getContainer().getExitCode() == 0,
                "COMPLETE with exit code " + task.status().getContainer().getExitCode());
        task.removeAndClose();
    }

    private static void exitNonZero(Env env) throws Exception {
        for (int code : CODES) {
            TaskDriver task = env.resolved(env.workloads().exit(code));
            TaskState end = task.settle();
            env.check(
                    end == FAILED,
                    "a workload that exits "
                            + code
                            + " ended "
                            + end
                            + " instead of FAILED (err '"
                            + task.status().getErr()
                            + "')");
            env.check(
                    !task.status().getErr().isEmpty(),
                    "FAILED with an empty err for exit code " + code);
            int reported = task.status().getContainer().getExitCode();
            env.check(
                    reported == code,
                    "a workload that exits "
                            + code
                            + " was reported with exit code "
                            + reported
                            + " in its status: the exit code was lost");
            CallResult<Void> exit =
                    task.awaitTarget(CancellationChecks.PROMPTLY, "await after exit blocked");
            OptionalInt thrown =
                    exit.returned() ? OptionalInt.empty() : Causes.exitCode(exit.thrown());
            env.check(
                    thrown.isPresent() && thrown.getAsInt() == code,
                    "await after exit "
                            + code
                            + " "
                            + (exit.returned()
                                    ? "returned normally"
                                    : "threw " + Causes.describe(exit.thrown()))
                            + "; expected an ExitCoder reporting "
                            + code);
            task.removeAndClose();
        }
    }

    private static void terminatedIsNotSuccess(Env env) throws Exception {
        TaskDriver task =
                env.resolved(env.workloads().ignoreStopSignal(Duration.ofSeconds(30)))
                        .startRunning();
        task.mustSucceed("Controller.terminate()", Controller::terminate);
        CallResult<Void> exit =
                task.awaitTarget(LifecycleChecks.EXIT_LIMIT, "terminate did not stop the workload");
        env.check(
                !exit.returned(),
                "await of a terminated workload returned normally: it reported success");
        OptionalInt code = Causes.exitCode(exit.thrown());
        env.check(
                code.isPresent() && code.getAsInt() > 0 && code.getAsInt() <= 255,
                "await of a terminated workload"
                        + " threw "
                        + Causes.describe(exit.thrown())
                        + "; expected an ExitCoder with an exit code in 1..255");
        if (env.subject().capabilities().contains(Capability.GRACEFUL_STOP)) {
            // A backend with signals reports a death by signal n as 128 + n, as a shell and Docker
            // do.
            env.check(
                    code.getAsInt() == KILLED,
                    "a workload killed by terminate was reported with exit code "
                            + code.getAsInt()
                            + "; a backend with signals (GRACEFUL_STOP) must report 128 + 9 = "
                            + KILLED
                            + " for a death by SIGKILL");
        }
        task.removeAndCloseReleased();
    }

    private static void containerStatus(Env env) throws Exception {
        env.requireCapability(Capability.CONTAINER_STATUS);
        // Still running when first asked, so a status read once and never refreshed shows.
        TaskDriver task =
                env.resolved(env.workloads().exitAfter(Duration.ofSeconds(1), 5)).startRunning();
        env.check(
                task.controller() instanceof ContainerStatuser,
                Env.claimed(Capability.CONTAINER_STATUS)
                        + " but its controller is not a ContainerStatuser");
        ContainerStatuser statuser = (ContainerStatuser) task.controller();
        Optional<ContainerStatus> started = status(env, statuser, "after start");
        env.check(
                started.isPresent() && !started.get().getContainerId().isEmpty(),
                "containerStatus() after start must be present with a container id, was "
                        + started);
        TaskState end = task.settle();
        env.check(end == FAILED, "exit 5 ended " + end);
        Optional<ContainerStatus> exited = status(env, statuser, "after exit");
        env.check(
                exited.isPresent() && exited.get().getExitCode() == 5,
                "containerStatus() after exit 5 must report exit code 5, was " + exited);
        CallResult<Void> exit =
                task.awaitTarget(CancellationChecks.PROMPTLY, "await after exit blocked");
        Optional<ContainerStatuser> carried =
                exit.returned()
                        ? Optional.empty()
                        : Causes.find(exit.thrown(), ContainerStatuser.class);
        env.check(
                carried.isPresent(),
                "the exit failure from await is not a ContainerStatuser (nor caused by one): "
                        + Causes.describe(exit.thrown()));
        Optional<ContainerStatus> fromFailure =
                Calls.within(
                        env.rule(),
                        "ContainerStatuser.containerStatus() of the exit failure",
                        env.callTimeout(),
                        () -> carried.get().containerStatus());
        env.check(
                fromFailure != null
                        && fromFailure.isPresent()
                        && fromFailure.get().getExitCode() == 5,
                "the exit failure's container status must report exit code 5, was " + fromFailure);
        task.removeAndClose();
    }

    private static Optional<ContainerStatus> status(
            Env env, ContainerStatuser statuser, String when) throws Exception {
        Optional<ContainerStatus> status =
                Calls.within(
                        env.rule(),
                        "ContainerStatuser.containerStatus() " + when,
                        env.callTimeout(),
                        statuser::containerStatus);
        env.check(
                status != null,
                "containerStatus() " + when + " returned null instead of an Optional");
        return status;
    }

    private static void portStatus(Env env) throws Exception {
        env.requireCapability(Capability.PORT_STATUS);
        TaskDriver task =
                env.resolved(env.workloads().runUntilStopped(LifecycleChecks.GRACE)).startRunning();
        env.check(
                task.controller() instanceof PortStatuser,
                Env.claimed(Capability.PORT_STATUS) + " but its controller is not a PortStatuser");
        PortStatuser statuser = (PortStatuser) task.controller();
        CallResult<Object> result =
                task.call(
                        "PortStatuser.portStatus()",
                        CancellationChecks.PROMPTLY,
                        c -> statuser.portStatus());
        env.check(result.returned(), "portStatus() threw " + Causes.describe(result.thrown()));
        env.check(result.value() != null, "portStatus() returned null instead of an Optional");
        task.removeAndClose();
    }
}

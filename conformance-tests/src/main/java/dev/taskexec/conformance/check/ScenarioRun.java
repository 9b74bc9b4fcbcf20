package dev.taskexec.conformance.check;

import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.conformance.Fault;
import dev.taskexec.core.Step;
import java.time.Duration;

/**
 * Plays one {@link Scenario} the way swarmkit's task manager would: at most one
 * step in flight, an update or a raised desired state interrupts it, a step that
 * blocks in {@code await} stays in flight while other actions happen. After the
 * actions it runs the task until it is idle (or blocked), raises the desired state to
 * SHUTDOWN, steps to a terminal state, removes and closes, and checks the invariants
 * that need the whole run.
 */
final class ScenarioRun {

    /**
     * How long an action waits for a step that is expected to block (an {@code await} on a
     * workload that never exits on its own, a {@code prepare} told to block) before leaving it in
     * flight. Every other step is waited for until it returns (within the call deadline), so the
     * scenario's outcome never depends on how fast the machine is: the same seed gives the same
     * verdict on a loaded CI machine and on a quiet laptop.
     */
    private static final Duration BLOCKED_AFTER = Duration.ofMillis(500);

    private static final int MAX_STEPS = 24;

    private final Env env;
    private final Scenario scenario;
    private final TaskDriver driver;
    private InFlight<Step> inFlight;
    private boolean ran;
    private boolean prepareInterrupted;

    ScenarioRun(Env env, Scenario scenario) {
        this.env = env;
        this.scenario = scenario;
        try {
            this.driver = env.task(env.executor(), scenario.spec(env.workloads()));
        } catch (RuleViolation e) {
            throw e;
        } catch (Exception e) {
            throw env.violation("could not create an executor: " + Causes.describe(e), e);
        }
    }

    Task task() {
        return driver.task();
    }

    void play() throws Exception {
        driver.desire(scenario.desired());
        driver.resolveOrFail();
        for (Action action : scenario.actions()) {
            apply(action);
        }
        // Let the task get where its desired state leads (as an agent would) before the
        // orchestrator takes it away, so that most scenarios see their workload's exit.
        apply(new Action.RunUntilIdle());
        driver.desire(TaskState.SHUTDOWN);
        interruptInFlight();
        for (int i = 0; i < MAX_STEPS && !TaskDriver.isTerminal(driver.state()); i++) {
            driver.step();
            noteRunning();
        }
        TaskState end = driver.state();
        if (!TaskDriver.isTerminal(end)) {
            throw violation(
                    "desired SHUTDOWN did not bring the task to a terminal state; it is " + end);
        }
        checkExit();
        driver.removeAndClose();
    }

    private void apply(Action action) throws Exception {
        switch (action) {
            case Action.StepOnce s -> stepOnce();
            case Action.RunUntilIdle r -> {
                for (int i = 0; i < MAX_STEPS; i++) {
                    Step step = stepOnce();
                    if (step == null || step.outcome() == Step.Outcome.NOOP) {
                        break;
                    }
                }
            }
            case Action.Raise raise -> {
                if (raise.desired().getNumber() > driver.task().getDesiredState().getNumber()) {
                    interruptInFlight();
                    driver.desire(raise.desired());
                }
            }
            case Action.Interrupt i -> interruptInFlight();
            case Action.Update u -> {
                interruptInFlight();
                Task same = driver.task();
                CallResult<Void> result =
                        driver.run("Controller.update(equal task)", c -> c.update(same));
                if (!result.returned()) {
                    throw violation(
                            "update with an equal task at "
                                    + driver.state()
                                    + " threw "
                                    + Causes.describe(result.thrown()));
                }
            }
        }
    }

    /** Starts a step (or keeps waiting for the in-flight one) for a little while; null if it is still blocked. */
    private Step stepOnce() throws Exception {
        if (inFlight == null) {
            inFlight = driver.stepAsync();
        }
        try {
            inFlight.await(mayBlock() ? BLOCKED_AFTER : env.callTimeout());
        } catch (java.util.concurrent.TimeoutException stillBlocked) {
            if (!mayBlock()) {
                throw violation(
                        inFlight.what()
                                + " did not return within "
                                + Calls.seconds(env.callTimeout())
                                + " although nothing in the scenario makes it block");
            }
            return null;
        }
        InFlight<Step> done = inFlight;
        inFlight = null;
        Step step = driver.finish(done, Duration.ZERO.plusMillis(1));
        noteRunning();
        return step;
    }

    /**
     * Whether the next step may block until interrupted: at RUNNING (where the step awaits the
     * workload) for a workload that never exits on its own, or before READY while a
     * {@code prepare} that blocks once has not been interrupted yet.
     */
    private boolean mayBlock() {
        TaskState state = driver.state();
        if (state == TaskState.RUNNING && scenario.workload().exitCode() < 0) {
            return true;
        }
        return scenario.fault().filter(f -> f == Fault.PREPARE_BLOCKS_ONCE).isPresent()
                && !prepareInterrupted
                && state.getNumber() < TaskState.READY.getNumber();
    }

    private void interruptInFlight() throws Exception {
        if (inFlight == null) {
            return;
        }
        InFlight<Step> call = inFlight;
        inFlight = null;
        if (driver.state().getNumber() < TaskState.READY.getNumber()) {
            prepareInterrupted = true;
        }
        call.interrupt();
        try {
            call.await(CancellationChecks.PROMPTLY);
        } catch (java.util.concurrent.TimeoutException e) {
            throw violation(
                    call.what()
                            + " ignored its interruption for "
                            + Calls.seconds(CancellationChecks.PROMPTLY)
                            + " (see CX-1)");
        }
        driver.finish(call, Duration.ofMillis(1));
        noteRunning();
    }

    private void noteRunning() {
        if (driver.state() == TaskState.RUNNING) {
            ran = true;
        }
    }

    private void checkExit() {
        TaskState end = driver.state();
        int expected = scenario.workload().exitCode();
        int reported = driver.status().getContainer().getExitCode();
        if (end == TaskState.COMPLETE && expected != 0) {
            throw violation(
                    "the task ended COMPLETE but its workload "
                            + (expected < 0 ? "never exits on its own" : "exits with " + expected));
        }
        if (end == TaskState.FAILED && ran) {
            if (expected <= 0) {
                throw violation(
                        "the task ended FAILED (exit code "
                                + reported
                                + ", err '"
                                + driver.status().getErr()
                                + "') but its workload "
                                + (expected < 0 ? "never exits on its own" : "exits 0"));
            }
            if (reported != expected) {
                throw violation(
                        "the task ended FAILED with exit code "
                                + reported
                                + " but its workload exits with "
                                + expected);
            }
        }
    }

    private RuleViolation violation(String message) {
        return env.violation(message + " — scenario " + scenario + ", states " + driver.history());
    }

    void cleanUp() {
        if (inFlight != null) {
            inFlight.interrupt();
        }
        driver.cleanUp();
    }
}

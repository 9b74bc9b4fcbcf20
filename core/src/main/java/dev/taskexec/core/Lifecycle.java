package dev.taskexec.core;

import static org.apiguardian.api.API.Status.STABLE;

import com.google.protobuf.Timestamp;
import dev.taskexec.api.ContainerStatuser;
import dev.taskexec.api.Controller;
import dev.taskexec.api.Errors;
import dev.taskexec.api.Executor;
import dev.taskexec.api.ExitCoder;
import dev.taskexec.api.PortStatuser;
import dev.taskexec.api.TaskAlreadyPreparedException;
import dev.taskexec.api.TaskAlreadyStartedException;
import dev.taskexec.api.proto.ContainerStatus;
import dev.taskexec.api.proto.PortStatus;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task lifecycle as a pure function over a {@link Controller}: swarmkit's {@code Resolve} and
 * {@code Do} (its {@code agent/exec} package).
 *
 * <p>{@link #resolve resolve} asks an executor for a task's controller; {@link #step step} performs
 * at most one controller operation and computes the task's next status. Neither keeps state
 * between calls: the caller reports the returned status and puts it back on the task before the
 * next call. Both are thread-safe; calls for different tasks may run concurrently, calls for one
 * task must not (they would race on the controller, as in swarmkit).
 *
 * <h2>Which operation a step performs</h2>
 * <p>Desired states above SHUTDOWN (REMOVE, ORPHANED, unknown higher values) count as SHUTDOWN.
 * <ul>
 *   <li>Desired SHUTDOWN: a task not yet ended (below COMPLETE) is {@code shutdown()} and becomes
 *       SHUTDOWN ("shutdown"); an ended one is left alone (NOOP).</li>
 *   <li>A task beyond its desired state waits (NOOP).</li>
 *   <li>PREPARING: {@code prepare()}, then READY ("prepared"). STARTING: {@code start()}, then
 *       RUNNING ("started"). RUNNING: {@code await()}, then COMPLETE ("finished"). These run even
 *       when the task is already at its desired state.</li>
 *   <li>Otherwise the task moves only while it is below its desired state, without touching the
 *       controller: NEW / PENDING / ASSIGNED to ACCEPTED ("accepted"), ACCEPTED to PREPARING
 *       ("preparing"), READY to STARTING ("starting"). Terminal and unknown states stay (NOOP).</li>
 * </ul>
 *
 * <h2>Failures</h2>
 * <p>Nothing a controller or executor throws escapes: every {@link Exception}, checked or not, is a
 * failure of the operation and lands in the returned status. A {@link RuntimeException} from a
 * buggy controller is treated exactly like a checked one, because a broken backend must fail its
 * task, not the thread that drives every task. {@link Error}s ({@code OutOfMemoryError},
 * {@code StackOverflowError}, {@code AssertionError}, ...) propagate: they mean the JVM or the
 * program is broken and no status could be trusted.
 * <p>A failed operation is classified, in this order:
 * <ol>
 *   <li><b>Accepted as success</b>: {@code prepare()} throwing {@link TaskAlreadyPreparedException}
 *       and {@code start()} throwing {@link TaskAlreadyStartedException}. Only the thrown exception
 *       itself counts (an {@code instanceof} test, like swarmkit's identity comparison), not one
 *       found further down its cause chain: a wrapper means someone decided it is a different
 *       failure.</li>
 *   <li><b>Interrupted</b>: an {@link InterruptedException}, {@link CancellationException} or
 *       {@link TimeoutException} anywhere in the cause chain (Java's forms of a cancelled or
 *       expired context), or the calling thread's interrupt flag set when the operation failed (a
 *       library may have lost the cause but kept the flag, as channel I/O does). The step returns
 *       {@link Step.Outcome#RETRY} with state, message and {@code err} unchanged. If the chain holds
 *       an {@code InterruptedException}, the thread's interrupt flag is set again before the step
 *       returns (and before the status queries below, which then see it, as swarmkit's status
 *       queries see the cancelled context), so the caller still sees the interruption.</li>
 *   <li><b>Temporary</b> ({@link Errors#isTemporary}): RETRY, with {@code err} set to the
 *       failure's message.</li>
 *   <li><b>Fatal</b>: REJECTED when the task was below STARTING, FAILED from STARTING on, with
 *       {@code err} set and the message left as it was (so it says where the task got to).</li>
 * </ol>
 * <p>A status's {@code err} is the failure's {@link Throwable#getMessage() message}, or its class
 * name when the message is null or blank.
 *
 * <h2>Container and port status</h2>
 * <p>When the new state is STARTING or later (including REJECTED and FAILED), the container status
 * is, in this order: the one carried by the failure (a {@link ContainerStatuser} in its cause
 * chain), else the controller's (if it is a {@code ContainerStatuser}), else the task's previous
 * one. An exit code carried by the failure (an {@link ExitCoder} in its cause chain) overrides the
 * status's exit code when it is non-zero. A {@link PortStatuser} controller is asked for its port
 * status; an empty answer clears it. Failures of these queries are logged at WARN and never fail
 * the step; the previous value is kept. Where this differs from swarmkit, it is on purpose:
 * swarmkit drops a failure's exit code and skips port status when the controller is not a
 * {@code ContainerStatuser}, clears port status when the query fails, and records an empty
 * container status when there is none; here a known exit code is always recorded, a failing port
 * query keeps the previous ports, and no empty container status is invented.
 *
 * <h2>Timestamps and identity</h2>
 * <p>When the new status differs from the task's (ignoring {@code timestamp}, {@code applied_by}
 * and {@code applied_at}), it is stamped with the clock's time, or with the previous timestamp if
 * that is later (so a clock stepping back never moves a status backwards). When it does not
 * differ, the returned status <em>is</em> the task's own {@code TaskStatus} instance, and, when
 * the controller reports no container or port status, the step allocates nothing (unchanged
 * results are reused from a small cache).
 *
 * <h2>Logging</h2>
 * <p>State changes, fatal failures and retries are logged at DEBUG through slf4j; failing status
 * queries at WARN.
 */
@API(status = STABLE, since = "0.1")
public final class Lifecycle {

    private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

    // States are compared as numbers: a status from a newer manager may carry a value this build
    // does not know (the enum reads UNRECOGNIZED), and the ordering must still hold for it.
    private static final int ACCEPTED = TaskState.ACCEPTED_VALUE;
    private static final int STARTING = TaskState.STARTING_VALUE;
    private static final int RUNNING = TaskState.RUNNING_VALUE;
    private static final int COMPLETE = TaskState.COMPLETE_VALUE;
    private static final int SHUTDOWN = TaskState.SHUTDOWN_VALUE;
    private static final int FAILED = TaskState.FAILED_VALUE;
    private static final int REJECTED = TaskState.REJECTED_VALUE;

    /** Message of a status whose controller could not be resolved (swarmkit's wording). */
    static final String RESOLVE_FAILED = "resolving controller failed";

    private Lifecycle() {}

    /**
     * Resolves the task's controller, stamping with the system UTC clock; see
     * {@link #resolve(Task, Executor, Clock)}.
     *
     * @param task the task, with its current status
     * @param executor the executor to ask
     * @return the new status, and the controller or the executor's failure
     */
    public static Resolution resolve(Task task, Executor executor) {
        return resolve(task, executor, Clock.systemUTC());
    }

    /**
     * Asks the executor for the task's controller and computes the status that follows.
     *
     * <p>On success a task below ACCEPTED becomes ACCEPTED ("accepted", {@code err} cleared); any
     * other status is kept. When {@link Executor#controller} throws (or returns null, which is
     * reported as an {@link IllegalStateException}), the message becomes "resolving controller
     * failed" and {@code err} the failure's message, and the task becomes REJECTED if it was below
     * STARTING, FAILED if it was STARTING or RUNNING, and keeps its state otherwise. A failure
     * caused by an interruption (see the class comment) is not a verdict on the task: the status
     * is left unchanged and the interrupt flag is set again if the chain holds an
     * {@code InterruptedException}. Swarmkit's {@code Resolve} never stamps a status; this one
     * does, by the same rule as {@link #step}.
     *
     * <p>Blocks as long as {@code executor.controller(task)} does.
     *
     * @param task the task, with its current status
     * @param executor the executor to ask
     * @param clock the clock that stamps a changed status
     * @return the new status, and the controller or the executor's failure
     * @throws NullPointerException if an argument is null
     */
    public static Resolution resolve(Task task, Executor executor, Clock clock) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(clock, "clock");
        TaskStatus previous = task.getStatus();
        int current = previous.getStateValue();

        Controller controller = null;
        Throwable failure;
        try {
            controller = executor.controller(task);
            failure =
                    controller != null
                            ? null
                            : new IllegalStateException(
                                    executor.getClass().getName()
                                            + ".controller(task) returned null instead of a controller or an exception");
        } catch (Exception e) {
            failure = e;
        }

        int state = current;
        String message = previous.getMessage();
        String err = previous.getErr();
        if (failure != null) {
            if (isInterruption(failure)) {
                restoreInterrupt(failure);
                log.debug("task {}: resolving the controller was interrupted", task.getId());
            } else {
                message = RESOLVE_FAILED;
                err = describe(failure);
                if (current < STARTING) {
                    state = REJECTED;
                } else if (current <= RUNNING) {
                    state = FAILED;
                }
                log.debug("task {}: resolving the controller failed", task.getId(), failure);
            }
        } else if (current < ACCEPTED) {
            state = ACCEPTED;
            message = "accepted";
            err = "";
        }
        TaskStatus status =
                settle(
                        task,
                        previous,
                        state,
                        message,
                        err,
                        previous.hasContainer() ? previous.getContainer() : null,
                        previous.hasPortStatus() ? previous.getPortStatus() : null,
                        clock);
        return new Resolution(status, controller, failure);
    }

    /**
     * Performs one step, stamping with the system UTC clock; see
     * {@link #step(Task, Controller, Clock)}.
     *
     * @param task the task, with its current status and desired state
     * @param controller the task's controller
     * @return the new status (the task's own instance when unchanged) and the outcome
     */
    public static Step step(Task task, Controller controller) {
        return step(task, controller, Clock.systemUTC());
    }

    /**
     * Performs at most one controller operation to move the task toward its desired state, and
     * computes the task's next status (see the class comment for every rule).
     *
     * <p>Blocks as long as the controller operation does ({@code await()} blocks until the task
     * exits). Interrupting the calling thread interrupts the operation (if the controller honours
     * interruption, as the SPI requires); the step then returns RETRY with the interrupt flag set.
     *
     * @param task the task, with its current status and desired state
     * @param controller the task's controller
     * @param clock the clock that stamps a changed status
     * @return the new status (the task's own instance when unchanged) and the outcome
     * @throws NullPointerException if an argument is null
     */
    public static Step step(Task task, Controller controller, Clock clock) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(controller, "controller");
        Objects.requireNonNull(clock, "clock");
        TaskStatus previous = task.getStatus();
        int current = previous.getStateValue();
        int desired = Math.min(task.getDesiredStateValue(), SHUTDOWN);

        Transition transition = Transition.next(current, desired);
        int state = current;
        String message = previous.getMessage();
        String err = previous.getErr();
        Step.Outcome outcome;
        Exception failure = null;
        if (transition == null) {
            outcome = Step.Outcome.NOOP;
        } else {
            failure = perform(controller, transition);
            if (failure == null) {
                state = transition.target;
                message = transition.message;
                err = "";
                outcome = Step.Outcome.PROGRESSED;
            } else if (isInterruption(failure)) {
                outcome = Step.Outcome.RETRY;
                log.debug(
                        "task {}: {} was interrupted; retry",
                        task.getId(),
                        transition.operationName());
            } else {
                err = describe(failure);
                if (isTemporary(failure)) {
                    outcome = Step.Outcome.RETRY;
                    log.debug(
                            "task {}: {} failed temporarily; retry",
                            task.getId(),
                            transition.operationName(),
                            failure);
                } else {
                    state = current < STARTING ? REJECTED : FAILED;
                    outcome = Step.Outcome.PROGRESSED;
                    log.debug(
                            "task {}: {} failed",
                            task.getId(),
                            transition.operationName(),
                            failure);
                }
            }
        }

        ContainerStatus previousContainer =
                previous.hasContainer() ? previous.getContainer() : null;
        PortStatus previousPorts = previous.hasPortStatus() ? previous.getPortStatus() : null;
        ContainerStatus container = previousContainer;
        PortStatus ports = previousPorts;
        if (state >= STARTING) {
            ContainerStatus reported =
                    failure == null ? null : failureContainerStatus(task, failure);
            if (reported == null && controller instanceof ContainerStatuser statuser) {
                reported = containerStatus(task, statuser);
            }
            if (reported != null) {
                container = reported;
            }
            int exitCode = failure == null ? 0 : exitCode(failure);
            if (exitCode != 0 && (container == null || container.getExitCode() != exitCode)) {
                container =
                        (container == null ? ContainerStatus.newBuilder() : container.toBuilder())
                                .setExitCode(exitCode)
                                .build();
            }
            if (controller instanceof PortStatuser statuser) {
                ports = portStatus(task, statuser, previousPorts);
            }
        }

        TaskStatus status = settle(task, previous, state, message, err, container, ports, clock);
        return status == previous ? unchanged(previous, outcome) : new Step(status, outcome);
    }

    /** Runs the transition's controller operation, if any; returns its failure, or null on success. */
    private static Exception perform(Controller controller, Transition transition) {
        if (!transition.callsController()) {
            return null;
        }
        try {
            transition.perform(controller);
            return null;
        } catch (Exception e) {
            if (transition.alreadyDone(e)) {
                return null;
            }
            restoreInterrupt(e);
            return e;
        }
    }

    /**
     * Returns the previous status when nothing but the ignored fields would change, else a new
     * status stamped no earlier than the previous one.
     */
    private static TaskStatus settle(
            Task task,
            TaskStatus previous,
            int state,
            String message,
            String err,
            ContainerStatus container,
            PortStatus ports,
            Clock clock) {
        int current = previous.getStateValue();
        boolean changed =
                state != current
                        || !message.equals(previous.getMessage())
                        || !err.equals(previous.getErr())
                        || !Objects.equals(
                                container, previous.hasContainer() ? previous.getContainer() : null)
                        || !Objects.equals(
                                ports, previous.hasPortStatus() ? previous.getPortStatus() : null);
        if (!changed) {
            return previous;
        }
        if (state != current && log.isDebugEnabled()) {
            log.debug(
                    "task {}: {} -> {} (desired {}){}",
                    task.getId(),
                    stateName(current),
                    stateName(state),
                    stateName(task.getDesiredStateValue()),
                    err.isEmpty() ? "" : ": " + err);
        }
        TaskStatus.Builder next =
                previous.toBuilder()
                        .setMessage(message)
                        .setErr(err)
                        .setTimestamp(stamp(previous, clock));
        if (state != current) {
            next.setStateValue(state);
        }
        if (container != null) {
            next.setContainer(container);
        }
        if (ports != null) {
            next.setPortStatus(ports);
        } else {
            next.clearPortStatus();
        }
        return next.build();
    }

    private static Timestamp stamp(TaskStatus previous, Clock clock) {
        Instant now = clock.instant();
        if (previous.hasTimestamp()) {
            Timestamp before = previous.getTimestamp();
            if (before.getSeconds() > now.getEpochSecond()
                    || (before.getSeconds() == now.getEpochSecond()
                            && before.getNanos() >= now.getNano())) {
                return before;
            }
        }
        return Timestamp.newBuilder()
                .setSeconds(now.getEpochSecond())
                .setNanos(now.getNano())
                .build();
    }

    // Steps for unchanged statuses are what a runner polling a settled task sees over and over;
    // reusing them keeps that path free of allocation. The races on this array are benign: a Step
    // is immutable with final fields, so any thread that reads a reference sees a whole Step, and a
    // lost write only costs an allocation. It holds at most 64 statuses alive.
    private static final Step[] UNCHANGED = new Step[64];

    private static Step unchanged(TaskStatus status, Step.Outcome outcome) {
        int slot = System.identityHashCode(status) & (UNCHANGED.length - 1);
        Step cached = UNCHANGED[slot];
        if (cached != null && cached.status() == status && cached.outcome() == outcome) {
            return cached;
        }
        Step fresh = new Step(status, outcome);
        UNCHANGED[slot] = fresh;
        return fresh;
    }

    private static ContainerStatus failureContainerStatus(Task task, Exception failure) {
        Optional<ContainerStatuser> statuser;
        try {
            statuser = Errors.find(failure, ContainerStatuser.class);
        } catch (RuntimeException e) { // a cause chain whose getCause() throws
            return null;
        }
        return statuser.isPresent() ? containerStatus(task, statuser.get()) : null;
    }

    private static ContainerStatus containerStatus(Task task, ContainerStatuser statuser) {
        try {
            Optional<ContainerStatus> status = statuser.containerStatus();
            return status == null ? null : status.orElse(null);
        } catch (Exception e) {
            queryFailed(task, "container status", e);
            return null;
        }
    }

    private static PortStatus portStatus(Task task, PortStatuser statuser, PortStatus previous) {
        try {
            Optional<PortStatus> status = statuser.portStatus();
            return status == null ? null : status.orElse(null);
        } catch (Exception e) {
            queryFailed(task, "port status", e);
            return previous;
        }
    }

    private static void queryFailed(Task task, String what, Exception e) {
        restoreInterrupt(e);
        // Interrupted queries are expected (the caller is cancelling the step); only say so at
        // DEBUG.
        if (isInterruption(e)) {
            log.debug("task {}: {} query interrupted", task.getId(), what);
        } else {
            log.warn("task {}: {} unavailable: {}", task.getId(), what, describe(e));
            log.debug("task {}: {} query failed", task.getId(), what, e);
        }
    }

    private static int exitCode(Exception failure) {
        try {
            return Errors.find(failure, ExitCoder.class).map(ExitCoder::exitCode).orElse(0);
        } catch (RuntimeException e) { // a buggy exitCode() or getCause()
            return 0;
        }
    }

    private static boolean isTemporary(Throwable failure) {
        try {
            return Errors.isTemporary(failure);
        } catch (RuntimeException e) { // a buggy isTemporary() or getCause()
            return false;
        }
    }

    private static boolean isInterruption(Throwable failure) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        try {
            return Errors.find(failure, InterruptedException.class).isPresent()
                    || Errors.find(failure, CancellationException.class).isPresent()
                    || Errors.find(failure, TimeoutException.class).isPresent();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Sets the interrupt flag again when the failure says the thread was interrupted. */
    private static void restoreInterrupt(Throwable failure) {
        boolean interrupted;
        try {
            interrupted = Errors.find(failure, InterruptedException.class).isPresent();
        } catch (RuntimeException e) {
            interrupted = false;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** A failure's message for a status's {@code err}: its message, or its class name. */
    static String describe(Throwable failure) {
        String message;
        try {
            message = failure.getMessage();
        } catch (RuntimeException e) {
            message = null;
        }
        return message == null || message.isBlank() ? failure.getClass().getName() : message;
    }

    private static String stateName(int value) {
        TaskState state = TaskState.forNumber(value);
        return state != null ? state.name() : Integer.toString(value);
    }
}

package dev.taskexec.core;

import dev.taskexec.api.Controller;
import dev.taskexec.api.TaskAlreadyPreparedException;
import dev.taskexec.api.TaskAlreadyStartedException;
import dev.taskexec.api.proto.TaskState;

/**
 * One move of the task lifecycle: the state it leads to, the status message that says so, and the
 * controller operation it needs, if any. {@link Lifecycle#step} picks at most one per step with
 * {@link #next}; being an enum, picking and performing one allocates nothing.
 */
enum Transition {
    ACCEPT(TaskState.ACCEPTED_VALUE, "accepted"),
    BEGIN_PREPARING(TaskState.PREPARING_VALUE, "preparing"),
    BEGIN_STARTING(TaskState.STARTING_VALUE, "starting"),
    PREPARE(TaskState.READY_VALUE, "prepared") {
        @Override
        void perform(Controller controller) throws Exception {
            controller.prepare();
        }

        @Override
        boolean alreadyDone(Exception failure) {
            return failure instanceof TaskAlreadyPreparedException;
        }
    },
    START(TaskState.RUNNING_VALUE, "started") {
        @Override
        void perform(Controller controller) throws Exception {
            controller.start();
        }

        @Override
        boolean alreadyDone(Exception failure) {
            return failure instanceof TaskAlreadyStartedException;
        }
    },
    AWAIT(TaskState.COMPLETE_VALUE, "finished") {
        @Override
        void perform(Controller controller) throws Exception {
            controller.await();
        }
    },
    SHUT_DOWN(TaskState.SHUTDOWN_VALUE, "shutdown") {
        @Override
        void perform(Controller controller) throws Exception {
            controller.shutdown();
        }
    };

    /** The state number the task has once the transition succeeded. */
    final int target;

    /** The status message that goes with {@link #target}. */
    final String message;

    Transition(int target, String message) {
        this.target = target;
        this.message = message;
    }

    /** Whether this transition calls the controller; the others only relabel the task. */
    boolean callsController() {
        return this == PREPARE || this == START || this == AWAIT || this == SHUT_DOWN;
    }

    /** Runs the controller operation; a transition that calls none does nothing. */
    void perform(Controller controller) throws Exception {}

    /**
     * Whether a failure of {@link #perform} means the work was already done, which counts as
     * success (only the thrown exception itself, never its causes: see {@link Lifecycle}).
     */
    boolean alreadyDone(Exception failure) {
        return false;
    }

    /** The name of the operation, for log lines. */
    String operationName() {
        return switch (this) {
            case PREPARE -> "prepare";
            case START -> "start";
            case AWAIT -> "await";
            case SHUT_DOWN -> "shutdown";
            default -> "transition";
        };
    }

    /**
     * The transition a step takes from state {@code current} towards {@code desired} (both state
     * numbers, desired already capped at SHUTDOWN), or null when there is nothing to do.
     */
    static Transition next(int current, int desired) {
        if (desired >= TaskState.SHUTDOWN_VALUE) {
            return current < TaskState.COMPLETE_VALUE ? SHUT_DOWN : null;
        }
        if (current > desired) {
            return null;
        }
        // PREPARING, STARTING and RUNNING proceed even at their desired state; the others only
        // while below it.
        return switch (current) {
            case TaskState.PREPARING_VALUE -> PREPARE;
            case TaskState.STARTING_VALUE -> START;
            case TaskState.RUNNING_VALUE -> AWAIT;
            case TaskState.NEW_VALUE, TaskState.PENDING_VALUE, TaskState.ASSIGNED_VALUE ->
                    current < desired ? ACCEPT : null;
            case TaskState.ACCEPTED_VALUE -> current < desired ? BEGIN_PREPARING : null;
            case TaskState.READY_VALUE -> current < desired ? BEGIN_STARTING : null;
            default -> null; // terminal or unknown states
        };
    }
}

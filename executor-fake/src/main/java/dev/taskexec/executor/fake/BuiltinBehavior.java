package dev.taskexec.executor.fake;

import dev.taskexec.api.Errors;
import dev.taskexec.api.ExitException;
import dev.taskexec.api.proto.ContainerStatus;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The behaviours {@link Behavior}'s factories return. They are records so that scripts compare by
 * value (a parsed script equals the one built in Java), and each {@code toString} is the
 * behaviour's script word, which {@link ScriptParser} reads back.
 */
sealed interface BuiltinBehavior extends Behavior {

    enum Ok implements BuiltinBehavior {
        INSTANCE;

        @Override
        public void perform(BehaviorContext context) {}

        @Override
        public String toString() {
            return "ok";
        }
    }

    enum Block implements BuiltinBehavior {
        INSTANCE;

        @Override
        public void perform(BehaviorContext context) throws Exception {
            context.block();
        }

        @Override
        public String toString() {
            return "block";
        }
    }

    record Fail(String message) implements BuiltinBehavior {
        @Override
        public void perform(BehaviorContext context) throws Exception {
            throw new ScriptedFailureException(
                    message != null ? message : "fake: " + context.call().word() + " failed");
        }

        @Override
        public String toString() {
            return message == null ? "fail" : "fail:" + message;
        }
    }

    record Temporary(String message) implements BuiltinBehavior {
        @Override
        public void perform(BehaviorContext context) throws Exception {
            throw Errors.temporary(
                    new ScriptedFailureException(
                            message != null
                                    ? message
                                    : "fake: " + context.call().word() + " failed temporarily"));
        }

        @Override
        public String toString() {
            return message == null ? "temporary" : "temporary:" + message;
        }
    }

    record Exit(int exitCode, String message) implements BuiltinBehavior {
        @Override
        public void perform(BehaviorContext context) throws Exception {
            ContainerStatus status =
                    context.containerStatus()
                            .map(ContainerStatus::toBuilder)
                            .orElseGet(ContainerStatus::newBuilder)
                            .clearPid()
                            .setExitCode(exitCode)
                            .build();
            throw new ExitException(
                    exitCode,
                    message != null
                            ? message
                            : "fake: "
                                    + context.call().word()
                                    + " failed with exit code "
                                    + exitCode,
                    status);
        }

        @Override
        public String toString() {
            return message == null ? "exit:" + exitCode : "exit:" + exitCode + ":" + message;
        }
    }

    record Delay(Duration duration) implements BuiltinBehavior {
        public Delay {
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative()) {
                throw new IllegalArgumentException("negative delay " + duration);
            }
        }

        @Override
        public void perform(BehaviorContext context) throws Exception {
            context.sleep(duration);
        }

        @Override
        public String toString() {
            return "delay:" + DurationWord.format(duration);
        }
    }

    record Then(Behavior first, Behavior next) implements BuiltinBehavior {
        @Override
        public void perform(BehaviorContext context) throws Exception {
            first.perform(context);
            next.perform(context);
        }

        @Override
        public String toString() {
            return first + "+" + next;
        }
    }

    record Raise(Supplier<? extends Exception> failure) implements BuiltinBehavior {
        public Raise {
            Objects.requireNonNull(failure, "failure");
        }

        @Override
        public void perform(BehaviorContext context) throws Exception {
            throw Objects.requireNonNull(failure.get(), "the raise supplier returned null");
        }

        @Override
        public String toString() {
            return "raise(" + failure + ")";
        }
    }
}

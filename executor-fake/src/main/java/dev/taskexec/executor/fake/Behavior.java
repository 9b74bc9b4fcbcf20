package dev.taskexec.executor.fake;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * Decides how one call of a {@link FakeController} goes, before the call has its normal effect.
 *
 * <p>A behaviour {@linkplain #perform runs} at the start of the call (after the controller's
 * latency). If it returns normally, the call goes on to do what a real backend would do (prepare
 * creates the fake container, start runs it, await waits for its exit, and so on), including
 * failing when it is made out of order. If it throws, the call throws that exception and has no
 * effect. So {@link #ok()} means "behave like a healthy backend", not "return at once".
 *
 * <p>The built-in behaviours are immutable values with {@code equals}, and their
 * {@link Object#toString()} is their form in the script grammar (see {@link FakeScript}), so
 * {@code Behavior.delay(Duration.ofMillis(50)).then(Behavior.fail("boom"))} prints as
 * {@code delay:50ms+fail:boom}. Anyone can implement this interface for a behaviour the grammar
 * lacks; such a behaviour works from the Java API but cannot be written as a script word.
 */
@API(status = EXPERIMENTAL, since = "0.1")
@FunctionalInterface
public interface Behavior {

    /**
     * Decides the call: returns normally to let it take effect, throws to make it fail.
     *
     * @param context the call, its task and interruptible waiting
     * @throws Exception the failure the call will throw
     */
    void perform(BehaviorContext context) throws Exception;

    /**
     * This behaviour, then {@code next} if this one returned normally. Word form: {@code a+b}.
     */
    default Behavior then(Behavior next) {
        return new BuiltinBehavior.Then(this, Objects.requireNonNull(next, "next"));
    }

    /** Lets the call take its normal effect at once. Word: {@code ok}. */
    static Behavior ok() {
        return BuiltinBehavior.Ok.INSTANCE;
    }

    /**
     * Fails the call with a {@link ScriptedFailureException}, which is neither temporary nor an
     * exit code, so the lifecycle treats it as fatal. Word: {@code fail} or {@code fail:MESSAGE}.
     *
     * @param message the exception's message, or null for {@code "fake: <call> failed"}
     */
    static Behavior fail(String message) {
        return new BuiltinBehavior.Fail(message);
    }

    /**
     * Fails the call with a {@link ScriptedFailureException} wrapped by
     * {@link dev.taskexec.api.Errors#temporary}, which the lifecycle retries. Word:
     * {@code temporary} or {@code temporary:MESSAGE}.
     *
     * @param message the message, or null for {@code "fake: <call> failed temporarily"}
     */
    static Behavior temporary(String message) {
        return new BuiltinBehavior.Temporary(message);
    }

    /**
     * Fails the call with an {@link dev.taskexec.api.ExitException} carrying {@code exitCode} and
     * the fake container's status with that exit code (a bare status with only the exit code
     * before the task was prepared). Word: {@code exit:CODE} or {@code exit:CODE:MESSAGE}.
     *
     * <p>On {@code start} of a prepared task it also means the workload ran and exited at once
     * with that code, and on {@code await} of a running one that it exited with it: the
     * container status reports the code from then on (as with any failure carrying an
     * {@link dev.taskexec.api.ExitCoder} on those two calls).
     *
     * @param message the message, or null for {@code "fake: <call> failed with exit code N"}
     */
    static Behavior exit(int exitCode, String message) {
        return new BuiltinBehavior.Exit(exitCode, message);
    }

    /** {@link #exit(int, String)} with the default message. Word: {@code exit:CODE}. */
    static Behavior exit(int exitCode) {
        return new BuiltinBehavior.Exit(exitCode, null);
    }

    /**
     * Blocks until the calling thread is interrupted (the call then throws
     * {@link InterruptedException}) or the controller is closed (it throws
     * {@link dev.taskexec.api.ControllerClosedException}). Word: {@code block}.
     */
    static Behavior block() {
        return BuiltinBehavior.Block.INSTANCE;
    }

    /**
     * Takes the given time, then lets the call take its normal effect; combine with
     * {@link #then} to fail after a while. Interruptible like {@link #block()}. Word:
     * {@code delay:DURATION}, for example {@code delay:50ms}.
     *
     * @throws IllegalArgumentException if the duration is negative
     */
    static Behavior delay(Duration duration) {
        return new BuiltinBehavior.Delay(duration);
    }

    /**
     * Fails the call with a fresh exception from {@code failure} each time, for failures the
     * other behaviours do not cover (a {@link java.util.concurrent.TimeoutException}, a
     * {@link dev.taskexec.api.DependencyNotReadyException}...). Has no word form.
     */
    static Behavior raise(Supplier<? extends Exception> failure) {
        return new BuiltinBehavior.Raise(failure);
    }
}

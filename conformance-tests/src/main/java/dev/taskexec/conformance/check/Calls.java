package dev.taskexec.conformance.check;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.taskexec.conformance.Rule;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import org.apiguardian.api.API;

/**
 * Every call the kit makes into a backend goes through here, with a deadline: a
 * call that does not return in time fails the rule being checked instead of
 * hanging the build. The call is interrupted and left behind on its daemon
 * thread.
 */
@API(status = INTERNAL, since = "0.1")
public final class Calls {

    private Calls() {}

    /**
     * Runs {@code call} with a deadline and returns what it returned, or rethrows
     * what it threw.
     *
     * @throws RuleViolation if it did not return within {@code limit}
     * @throws Exception     whatever the call threw
     */
    public static <T> T within(Rule rule, String what, Duration limit, Callable<T> call)
            throws Exception {
        return outcome(rule, what, limit, call).get();
    }

    /**
     * Runs {@code call} with a deadline and returns how it ended, without rethrowing.
     *
     * @throws RuleViolation if it did not return within {@code limit}
     */
    public static <T> CallResult<T> outcome(
            Rule rule, String what, Duration limit, Callable<T> call) throws InterruptedException {
        InFlight<T> inFlight = InFlight.start(what, call);
        return finish(rule, inFlight, limit);
    }

    /**
     * Runs {@code call}, which returns nothing, with a deadline and returns how it ended, without
     * rethrowing.
     *
     * @throws RuleViolation if it did not return within {@code limit}
     */
    public static CallResult<Void> outcome(
            Rule rule, String what, Duration limit, InFlight.VoidCall call)
            throws InterruptedException {
        return finish(rule, InFlight.start(what, call), limit);
    }

    /**
     * Waits for an in-flight call to end.
     *
     * @throws RuleViolation if it did not end within {@code limit}; it is interrupted and abandoned
     */
    public static <T> CallResult<T> finish(Rule rule, InFlight<T> inFlight, Duration limit)
            throws InterruptedException {
        try {
            return inFlight.await(limit);
        } catch (TimeoutException e) {
            inFlight.interrupt();
            throw new RuleViolation(
                    rule,
                    inFlight.what()
                            + " did not return within "
                            + seconds(limit)
                            + " (a hung backend call; the kit interrupted it and moved on)");
        }
    }

    /** A duration as a short human string such as {@code 2 s} or {@code 1.5 s}. */
    public static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0
                ? (millis / 1000) + " s"
                : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}

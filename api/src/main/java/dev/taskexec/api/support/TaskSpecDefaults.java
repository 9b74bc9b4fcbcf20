package dev.taskexec.api.support;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.taskexec.api.input.Quote;
import dev.taskexec.api.proto.ContainerSpec;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * What a task means where its {@link ContainerSpec} leaves a field unset, as swarmkit and Docker
 * define it, and the checks of those fields that every backend makes alike.
 *
 * <p>A field that is set but wrong is refused with an {@link InvalidTaskException} that names the
 * field's path ({@code container.stop_signal: unknown signal "SIGNOPE"}), so the lifecycle rejects
 * the task with that message as its {@code err}.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class TaskSpecDefaults {

    /** How long a stop waits for the workload after the stop signal before killing it: 10 s, swarmkit's default. */
    public static final Duration STOP_GRACE_PERIOD = Duration.ofSeconds(10);

    /** The stop signal of a task that sets none: {@code SIGTERM}. */
    public static final Signal STOP_SIGNAL = Signal.SIGTERM;

    /** The path of {@link ContainerSpec#getStopSignal()} in messages. */
    public static final String STOP_SIGNAL_FIELD = "container.stop_signal";

    /** The path of {@link ContainerSpec#getEnvList()} in messages; an entry is {@code container.env[i]}. */
    public static final String ENV_FIELD = "container.env";

    /** The path of {@link ContainerSpec#getStopGracePeriod()} in messages. */
    public static final String STOP_GRACE_PERIOD_FIELD = "container.stop_grace_period";

    private TaskSpecDefaults() {}

    /**
     * The task's stop signal.
     *
     * @param spec the task's container spec
     * @return its {@code stop_signal} parsed by {@link Signal#parse}, or {@link #STOP_SIGNAL} if it
     *     is empty or blank
     * @throws InvalidTaskException if it names no signal, for field {@value #STOP_SIGNAL_FIELD}
     * @throws NullPointerException if {@code spec} is null
     */
    public static Signal stopSignal(ContainerSpec spec) {
        String text = spec.getStopSignal();
        if (text.isBlank()) {
            return STOP_SIGNAL;
        }
        try {
            return Signal.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidTaskException(STOP_SIGNAL_FIELD, e.getMessage());
        }
    }

    /**
     * The task's stop grace period.
     *
     * @param spec     the task's container spec
     * @param fallback the period when the spec sets none: {@link #STOP_GRACE_PERIOD}, or a backend's
     *                 configured default
     * @return its {@code stop_grace_period}, or {@code fallback} if it is unset
     * @throws InvalidTaskException if it is negative or out of range, for field
     *     {@value #STOP_GRACE_PERIOD_FIELD}
     * @throws NullPointerException if {@code spec} or {@code fallback} is null
     */
    public static Duration stopGracePeriod(ContainerSpec spec, Duration fallback) {
        Objects.requireNonNull(fallback, "fallback");
        if (!spec.hasStopGracePeriod()) {
            return fallback;
        }
        com.google.protobuf.Duration d = spec.getStopGracePeriod();
        if (d.getSeconds() < 0 || d.getNanos() < 0) {
            throw new InvalidTaskException(
                    STOP_GRACE_PERIOD_FIELD,
                    "must not be negative, got " + d.getSeconds() + "s " + d.getNanos() + "ns");
        }
        if (d.getNanos() > 999_999_999) {
            throw new InvalidTaskException(
                    STOP_GRACE_PERIOD_FIELD,
                    "nanos " + d.getNanos() + " is not from 0 to 999999999");
        }
        return Duration.ofSeconds(d.getSeconds(), d.getNanos());
    }

    /**
     * The task's stop grace period, with swarmkit's default.
     *
     * @param spec the task's container spec
     * @return its {@code stop_grace_period}, or {@link #STOP_GRACE_PERIOD} if it is unset
     * @throws InvalidTaskException if it is negative or out of range, for field
     *     {@value #STOP_GRACE_PERIOD_FIELD}
     * @throws NullPointerException if {@code spec} is null
     */
    public static Duration stopGracePeriod(ContainerSpec spec) {
        return stopGracePeriod(spec, STOP_GRACE_PERIOD);
    }

    /**
     * The task's environment, as Docker reads {@code env}: entries {@code NAME=VALUE}, the value
     * being everything after the first {@code =}, a later entry for a name replacing an earlier one.
     *
     * @param spec the task's container spec
     * @return the variables by name, in the order of their first entry; unmodifiable
     * @throws InvalidTaskException for the first entry that has no {@code =}, an empty name, or a
     *     NUL byte (which no process environment can hold), as {@code container.env[i]}
     * @throws NullPointerException if {@code spec} is null
     */
    public static Map<String, String> env(ContainerSpec spec) {
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < spec.getEnvCount(); i++) {
            String entry = spec.getEnv(i);
            if (entry.indexOf('\0') >= 0) {
                throw new InvalidTaskException(ENV_FIELD, i, "contains a NUL byte");
            }
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new InvalidTaskException(
                        ENV_FIELD, i, Quote.of(entry) + " is not NAME=VALUE with a non-empty NAME");
            }
            env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        return Collections.unmodifiableMap(env);
    }
}

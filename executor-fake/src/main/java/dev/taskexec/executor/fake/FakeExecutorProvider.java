package dev.taskexec.executor.fake;

import static org.apiguardian.api.API.Status.STABLE;

import dev.taskexec.api.ExecutorProvider;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The {@code fake} backend, found by {@link java.util.ServiceLoader}: makes {@link FakeExecutor}s.
 *
 * <p>Options (all optional):
 * <ul>
 * <li>{@code latency}: the time every call takes before its behaviour, in the script duration
 *     notation ({@code 5ms}, {@code 1s}; a whole number and ns, us, ms, s, m or h); default
 *     {@code 0}. A script's own {@code latency=} word overrides it.
 * <li>{@code hostname}: the hostname {@link FakeExecutor#describe()} reports; default
 *     {@code fake}.
 * <li>{@code runtime}: a name; executors created with the same name share their fake containers,
 *     so a later one re-adopts the tasks an earlier one started (see
 *     {@link FakeExecutor.Builder#runtime}); default: none.
 * </ul>
 * Tasks carry their script as described on {@link FakeExecutor} and {@link FakeScript}; tasks
 * with no runtime are refused (use {@link FakeExecutor#builder()} for a default script).
 */
@API(status = STABLE, since = "0.1")
public final class FakeExecutorProvider implements ExecutorProvider {

    /** The provider's name. */
    public static final String NAME = "fake";

    private static final Map<String, String> OPTIONS;

    static {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("latency", "time every call takes first, like 5ms (default 0)");
        options.put("hostname", "hostname the node description reports (default fake)");
        options.put(
                "runtime",
                "name of a fake container runtime shared by the executors created with it (default: none)");
        OPTIONS = Collections.unmodifiableMap(options);
    }

    /** Made by {@link java.util.ServiceLoader}, or directly. */
    public FakeExecutorProvider() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "in-memory backend that follows a script given by each task; runs nothing (for tests)";
    }

    /** {@code latency} and {@code hostname}, each with a one-line description. */
    @Override
    public Map<String, String> options() {
        return OPTIONS;
    }

    /**
     * A new executor with these options.
     *
     * @throws IllegalArgumentException naming an unknown option, or an option with a bad value
     */
    @Override
    public FakeExecutor create(Map<String, String> options) {
        return builder(options).build();
    }

    /**
     * A builder already configured with these options, so that a test can add what options
     * cannot say (an {@link Interceptor}, a controller wrapper, a clock) to an executor
     * configured like one the provider makes.
     *
     * @throws IllegalArgumentException naming an unknown option, or an option with a bad value
     */
    public static FakeExecutor.Builder builder(Map<String, String> options) {
        Objects.requireNonNull(options, "options");
        FakeExecutor.Builder b = FakeExecutor.builder();
        for (Map.Entry<String, String> e : options.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (value == null) {
                throw new IllegalArgumentException("fake: option " + key + " has no value");
            }
            switch (key) {
                case "latency" -> {
                    Duration d;
                    try {
                        d = DurationWord.parse(value);
                    } catch (IllegalArgumentException bad) {
                        throw new IllegalArgumentException(
                                "fake: option latency: " + bad.getMessage(), bad);
                    }
                    b.latency(d);
                }
                case "hostname" -> {
                    if (value.isBlank()) {
                        throw new IllegalArgumentException("fake: option hostname is blank");
                    }
                    b.hostname(value);
                }
                case "runtime" -> {
                    if (value.isBlank()) {
                        throw new IllegalArgumentException("fake: option runtime is blank");
                    }
                    b.runtime(value);
                }
                default ->
                        throw new IllegalArgumentException(
                                "fake: unknown option \""
                                        + key
                                        + "\" (known: "
                                        + String.join(", ", OPTIONS.keySet())
                                        + ")");
            }
        }
        return b;
    }
}

package dev.taskexec.api;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.Map;
import org.apiguardian.api.API;

/**
 * The service through which backends are found: register an implementation in
 * {@code META-INF/services/dev.taskexec.api.ExecutorProvider} (or {@code provides} it in
 * {@code module-info.java}) and {@code ExecutorRegistry} lists it.
 *
 * <p>Implementations have a public no-argument constructor, are cheap to construct and do no I/O
 * until {@link #create(Map)}: listing backends must never touch a daemon.
 */
@API(status = STABLE, since = "0.1")
public interface ExecutorProvider {

    /**
     * The syntax of a provider name, in words: the one definition, which the registry enforces
     * when it loads providers and the conformance kit checks in rule LC-1.
     */
    String NAME_SYNTAX =
            "lower-case letters and digits, optionally separated by single '.', '-' or '_'"
                    + " (for example docker, my-runtime, acme.gpu_v2)";

    /**
     * The backend's unique name, used to pick it ({@code taskexec run -e NAME}); it follows
     * {@link #NAME_SYNTAX} ({@link #isValidName} tells), for example {@code "docker"},
     * {@code "process"}, {@code "fake"}.
     *
     * @return the name; constant for the life of the provider
     */
    String name();

    /**
     * Whether {@code name} follows {@link #NAME_SYNTAX}.
     *
     * @param name a candidate provider name; may be null
     * @return true if it is a valid name; false for null, empty or anything else
     */
    static boolean isValidName(String name) {
        return name != null && ProviderNames.VALID.matcher(name).matches();
    }

    /**
     * One line that says what the backend runs tasks on, for listings.
     *
     * @return the description; constant
     */
    String description();

    /**
     * Makes an executor configured by {@code options}.
     *
     * @param options option keys and values, as given by the user; never {@code null}, may be
     *     empty (every option has a default)
     * @return a new executor, owned by the caller, who must close it
     * @throws IllegalArgumentException if an option key is unknown or a value is malformed; the
     *     message names the option
     * @throws Exception if the executor cannot be made (its runtime is missing, say)
     */
    Executor create(Map<String, String> options) throws Exception;

    /**
     * The option keys {@link #create(Map)} accepts, each with a one-line description that states
     * its default, in the order to list them. The default: no options.
     *
     * @return an unmodifiable map from option key to description
     */
    default Map<String, String> options() {
        return Map.of();
    }
}

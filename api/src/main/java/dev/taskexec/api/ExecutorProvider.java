package dev.taskexec.api;

import java.util.Map;

/**
 * The service through which backends are found: register an implementation in
 * {@code META-INF/services/dev.taskexec.api.ExecutorProvider} (or {@code provides} it in
 * {@code module-info.java}) and {@code ExecutorRegistry} lists it.
 *
 * <p>Implementations have a public no-argument constructor, are cheap to construct and do no I/O
 * until {@link #create(Map)}: listing backends must never touch a daemon.
 */
public interface ExecutorProvider {

    /**
     * The backend's unique name, used to pick it ({@code taskexec run -e NAME}): lower case
     * letters, digits and dashes, for example {@code "docker"}, {@code "process"}, {@code "fake"}.
     *
     * @return the name; constant for the life of the provider
     */
    String name();

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

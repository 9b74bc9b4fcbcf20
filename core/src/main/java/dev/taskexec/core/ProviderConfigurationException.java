package dev.taskexec.core;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.List;
import org.apiguardian.api.API;

/**
 * The executor providers on the class path, module path or a module layer cannot be used as they
 * are: two providers share a name, a provider's name is not a valid lower-case name, or a provider
 * could not be loaded or instantiated ({@link java.util.ServiceConfigurationError}, a
 * {@link LinkageError} such as a class missing from its jar, or an exception from its constructor,
 * {@code name()} or {@code description()}).
 *
 * <p>Thrown by {@link ExecutorRegistry}'s factories. It is a deployment problem, fixed by changing
 * which jars are installed, not by retrying; so it is unchecked, like the
 * {@code ServiceConfigurationError} it often reports. The message lists every problem found, one
 * per line, each naming the provider classes and the jars or directories they came from; the first
 * underlying failure, if any, is the cause and the others are suppressed.
 */
@API(status = STABLE, since = "0.1")
public final class ProviderConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    // An array, not a List: the exception is Serializable and List is not (List.copyOf's lists are,
    // but the field's type is what the serial form promises).
    private final String[] problems;

    ProviderConfigurationException(List<String> problems, List<Throwable> failures) {
        super(message(problems), failures.isEmpty() ? null : failures.get(0));
        this.problems = problems.toArray(String[]::new);
        failures.stream().skip(1).forEach(this::addSuppressed);
    }

    /** Every problem found, one sentence each, in the order found. */
    public List<String> problems() {
        return List.of(problems);
    }

    private static String message(List<String> problems) {
        if (problems.size() == 1) {
            return problems.get(0);
        }
        return problems.size()
                + " problems with the installed executor providers:\n  - "
                + String.join("\n  - ", problems);
    }
}

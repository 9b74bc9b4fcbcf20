package dev.taskexec.cli;

import dev.taskexec.api.Executor;
import dev.taskexec.core.ExecutorRegistry;
import dev.taskexec.core.ProviderConfigurationException;
import java.util.Map;

/**
 * How the commands find and open executor backends: through {@link ExecutorRegistry}, so a plugin
 * jar on the class path (the launcher adds {@code plugins/*.jar} and {@code $TASKEXEC_CLASSPATH})
 * is usable with no code change. Turns the registry's failures into one-line
 * {@link CommandException}s.
 */
public final class Backends {

    private Backends() {}

    /**
     * The backends installed with this command.
     *
     * @param exitCode the exit code to fail with
     * @throws CommandException if the installed providers conflict or cannot be loaded
     */
    public static ExecutorRegistry registry(int exitCode) {
        try {
            return ExecutorRegistry.load();
        } catch (ProviderConfigurationException e) {
            throw new CommandException(
                    exitCode,
                    "the installed executors cannot be used: "
                            + e.getMessage().replaceAll("\\s*\\R\\s*", " "),
                    e);
        }
    }

    /**
     * Opens the named backend with options given as {@code -o KEY=VALUE}.
     *
     * @param registry where to look
     * @param name the executor's name ({@code -e})
     * @param options its options
     * @param exitCode the exit code to fail with
     * @return the executor, owned by the caller
     * @throws CommandException if the name is unknown (the message lists the known ones), an option
     *     is unknown or bad (the message names it), or the backend cannot be created
     * @throws InterruptedException if interrupted while the backend was being created
     */
    public static Executor open(
            ExecutorRegistry registry, String name, Map<String, String> options, int exitCode)
            throws InterruptedException {
        try {
            return registry.open(name, options);
        } catch (IllegalArgumentException e) {
            if (registry.find(name).isEmpty()) {
                throw new CommandException(exitCode, oneLine(e), e); // it lists the names available
            }
            Map<String, String> known = registry.find(name).orElseThrow().provider().options();
            String message = oneLine(e);
            String hint =
                    known.isEmpty()
                            ? " (it takes no -o options)"
                            : known.keySet().stream().anyMatch(message::contains)
                                    ? "" // it lists them itself
                                    : " (its options: "
                                            + String.join(", ", known.keySet())
                                            + "; see 'taskexec executors')";
            throw new CommandException(exitCode, "executor '" + name + "': " + message + hint, e);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new CommandException(
                    exitCode, "cannot create executor '" + name + "': " + oneLine(e), e);
        }
    }

    /** The failure's message on one line, or its class name when it has none. */
    public static String oneLine(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank()
                ? e.getClass().getSimpleName()
                : m.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}

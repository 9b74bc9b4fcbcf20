package dev.taskexec.executor.process;

import static org.apiguardian.api.API.Status.STABLE;

import dev.taskexec.api.Executor;
import dev.taskexec.api.ExecutorProvider;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * Registers the process executor under the name {@code process} for {@link java.util.ServiceLoader}.
 *
 * <p>The options are listed by {@link #options()} and explained in {@link ProcessExecutorOptions}.
 * Creating an executor starts nothing; it only checks the options (and creates the state
 * directory when one is given).
 */
@API(status = STABLE, since = "0.1")
public final class ProcessExecutorProvider implements ExecutorProvider {

    /** The provider name. */
    public static final String NAME = "process";

    /** Public no-argument constructor, for {@link java.util.ServiceLoader}. */
    public ProcessExecutorProvider() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "runs each task as a local OS process (a PTY when tty is set); needs no daemon";
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException naming the option, for an unknown key or a bad value
     */
    @Override
    public Executor create(Map<String, String> options) {
        return new ProcessExecutor(ProcessExecutorOptions.parse(options));
    }

    @Override
    public Map<String, String> options() {
        return ProcessExecutorOptions.DESCRIPTIONS;
    }
}

package dev.taskexec.executor.docker;

import static org.apiguardian.api.API.Status.STABLE;

import dev.taskexec.api.Executor;
import dev.taskexec.api.ExecutorProvider;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * The {@code docker} backend, found with {@link java.util.ServiceLoader}: runs container tasks on a
 * Docker Engine through docker-java.
 *
 * <p>Options (see {@link DockerOptions#describe()}): {@code host}, {@code pull},
 * {@code max-connections}, {@code connect-timeout-ms}.
 */
@API(status = STABLE, since = "0.1")
public final class DockerExecutorProvider implements ExecutorProvider {

    /** The provider's name. */
    public static final String NAME = "docker";

    /** Public no-argument constructor, for {@link java.util.ServiceLoader}. */
    public DockerExecutorProvider() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "containers on a Docker Engine (docker-java; unix socket or tcp)";
    }

    /**
     * Makes an executor; does not contact the engine.
     *
     * @throws IllegalArgumentException for an unknown option or a bad value, naming the option
     */
    @Override
    public Executor create(Map<String, String> options) {
        return new DockerExecutor(DockerOptions.parse(options));
    }

    @Override
    public Map<String, String> options() {
        return DockerOptions.describe();
    }
}

package dev.taskexec.executor.docker;

import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One executor with the default options for all the tests of a class, registered as a static
 * {@code @RegisterExtension} field: what {@link EngineRequired} does (skip the class without an
 * engine; afterwards, check that it left no container behind), with the executor made after the
 * check for the engine and closed before the one for containers.
 */
final class SharedExecutor implements BeforeAllCallback, AfterAllCallback {

    private final EngineRequired engine = new EngineRequired();
    private DockerExecutor executor;

    /** The class's executor; only between its {@code beforeAll} and {@code afterAll}. */
    DockerExecutor executor() {
        if (executor == null) {
            throw new IllegalStateException("the executor exists only while the test class runs");
        }
        return executor;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        engine.beforeAll(context);
        executor = DockerTestEnvironment.executor(Map.of());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (executor != null) {
            executor.close();
            executor = null;
        }
        engine.afterAll(context);
    }
}

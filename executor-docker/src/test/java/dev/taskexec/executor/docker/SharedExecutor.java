package dev.taskexec.executor.docker;

import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One executor with the default options for all the tests of a class, registered as a static
 * {@code @RegisterExtension} field: skips the class without an engine
 * ({@link DockerTestEnvironment#require()}), closes the executor after the class, and then checks
 * that the class left no container behind.
 */
final class SharedExecutor implements BeforeAllCallback, AfterAllCallback {

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
        DockerTestEnvironment.require();
        executor = DockerTestEnvironment.executor(Map.of());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // JUnit runs afterAll also when beforeAll skipped the class: then there is nothing to close
        if (executor != null) {
            executor.close();
            executor = null;
            DockerTestEnvironment.assertNoContainersLeft();
        }
    }
}

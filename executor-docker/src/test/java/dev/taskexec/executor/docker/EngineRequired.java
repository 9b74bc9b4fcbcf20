package dev.taskexec.executor.docker;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For a test class that needs the engine and makes (and closes) its executors itself: skips the
 * class without an engine ({@link DockerTestEnvironment#require()}), and once it ran, checks it
 * left no container behind.
 */
final class EngineRequired implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(EngineRequired.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        DockerTestEnvironment.require();
        context.getStore(NAMESPACE).put("required", Boolean.TRUE);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // JUnit runs afterAll also when beforeAll skipped the class: then there is no engine to ask
        if (context.getStore(NAMESPACE).get("required") != null) {
            DockerTestEnvironment.assertNoContainersLeft();
        }
    }
}

package dev.taskexec.executor.docker;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.ExecutorProvider;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.support.InvalidTaskException;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The provider and its options; no engine needed. */
class DockerExecutorProviderTest {

    @Test
    void foundByServiceLoaderUnderItsName() {
        ExecutorProvider found =
                ServiceLoader.load(ExecutorProvider.class).stream()
                        .map(ServiceLoader.Provider::get)
                        .filter(p -> p.name().equals("docker"))
                        .findFirst()
                        .orElseThrow();
        assertTrue(found instanceof DockerExecutorProvider);
        assertEquals(DockerOptions.describe().keySet(), found.options().keySet());
    }

    @Test
    void badOptionsNameTheOption() {
        DockerExecutorProvider p = new DockerExecutorProvider();
        assertMessage(
                assertThrows(
                        IllegalArgumentException.class, () -> p.create(Map.of("colour", "blue"))),
                "colour");
        assertMessage(
                assertThrows(
                        IllegalArgumentException.class,
                        () -> p.create(Map.of("pull", "sometimes"))),
                "pull");
        assertMessage(
                assertThrows(
                        IllegalArgumentException.class, () -> p.create(Map.of("host", "http://x"))),
                "host");
        assertMessage(
                assertThrows(
                        IllegalArgumentException.class,
                        () -> p.create(Map.of("max-connections", "1"))),
                "max-connections");
        assertMessage(
                assertThrows(
                        IllegalArgumentException.class,
                        () -> p.create(Map.of("connect-timeout-ms", "soon"))),
                "connect-timeout-ms");
    }

    @Test
    void optionsParse() {
        DockerOptions o =
                DockerOptions.parse(
                        Map.of(
                                "host",
                                "tcp://127.0.0.1:2375",
                                "pull",
                                "never",
                                "max-connections",
                                "8"));
        assertEquals("tcp", o.host().getScheme());
        assertEquals(PullPolicy.NEVER, o.pullPolicy());
        assertEquals(8, o.maxConnections());
    }

    @Test
    void imageReferences() {
        assertEquals("busybox:latest", ImageReference.parse("busybox").pullReference());
        assertEquals(
                "localhost:5000/a/b:1.0",
                ImageReference.parse("localhost:5000/a/b:1.0").pullReference());
        String digest = "sha256:" + "a".repeat(64);
        assertEquals(
                "busybox@" + digest, ImageReference.parse("busybox@" + digest).pullReference());
        assertThrows(IllegalArgumentException.class, () -> ImageReference.parse("a b"));
        assertThrows(IllegalArgumentException.class, () -> ImageReference.parse("busybox:"));
        assertThrows(IllegalArgumentException.class, () -> ImageReference.parse("Busybox"));
    }

    @Test
    void stopFieldsAreCheckedAsOnEveryBackend() {
        for (String ok :
                new String[] {
                    "", "SIGTERM", "TERM", "sigusr1", "9", "SIGRTMIN+3", "SIGRTMAX-2", "CLD"
                }) {
            assertDoesNotThrow(() -> ContainerPlan.of(task(ok)), ok);
        }
        for (String bad : new String[] {"SIGBOGUS", "0", "65", "SIGRTMIN+99", "-1"}) {
            InvalidTaskException e =
                    assertThrows(
                            InvalidTaskException.class, () -> ContainerPlan.of(task(bad)), bad);
            assertMessage(e, "container.stop_signal: unknown signal");
        }
    }

    private static Task task(String stopSignal) {
        return DockerTestEnvironment.task(
                DockerTestEnvironment.shell("true").setStopSignal(stopSignal));
    }

    private static void assertMessage(Exception e, String mentions) {
        assertTrue(e.getMessage().contains(mentions), e.getMessage());
    }
}

package dev.taskexec.executor.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.Executor;
import dev.taskexec.api.ExecutorProvider;
import dev.taskexec.api.proto.Node;
import dev.taskexec.api.proto.NodeDescription;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ProviderTest {

    @Test
    void serviceLoaderFindsTheFakeProvider() {
        List<ExecutorProvider> fakes =
                ServiceLoader.load(ExecutorProvider.class).stream()
                        .map(ServiceLoader.Provider::get)
                        .filter(p -> p.name().equals("fake"))
                        .toList();
        assertEquals(1, fakes.size());
        assertInstanceOf(FakeExecutorProvider.class, fakes.get(0));
        assertFalse(fakes.get(0).description().isBlank());
        assertFalse(fakes.get(0).description().contains("\n"));
    }

    @Test
    void optionsAreDescribed() {
        assertEquals(
                List.of("latency", "hostname", "runtime"),
                List.copyOf(new FakeExecutorProvider().options().keySet()));
    }

    @Test
    void executorsOfOneNamedRuntimeShareTheirContainersAndReapOrphans() throws Exception {
        String runtime = "provider-test-" + System.nanoTime();
        FakeExecutor first = new FakeExecutorProvider().create(Map.of("runtime", runtime));
        FakeExecutor alone = new FakeExecutorProvider().create(Map.of());
        FakeController started = (FakeController) first.controller(Fixtures.task("kept"));
        started.prepare();
        started.start();
        FakeController orphan = (FakeController) first.controller(Fixtures.task("orphan"));
        orphan.prepare();

        FakeExecutor second = new FakeExecutorProvider().create(Map.of("runtime", runtime));
        FakeController adopted = (FakeController) second.controller(Fixtures.task("kept"));
        assertThrows(dev.taskexec.api.TaskAlreadyStartedException.class, adopted::start);
        FakeController stranger = (FakeController) alone.controller(Fixtures.task("kept"));
        assertThrows(
                CallOutOfOrderException.class,
                stranger::start,
                "another runtime knows nothing of it");

        assertEquals(
                List.of("orphan"),
                second.reapOrphans(java.util.Set.of("kept")).stream()
                        .map(dev.taskexec.api.ReapedResource::taskId)
                        .toList());
        assertEquals(List.of(), second.reapOrphans(java.util.Set.of("kept")));
        adopted.remove();
        for (FakeController c : List.of(started, orphan, adopted, stranger)) {
            c.close();
        }
        second.assertNoLeaks();
        assertThrows(
                IllegalArgumentException.class,
                () -> new FakeExecutorProvider().create(Map.of("runtime", " ")));
    }

    @Test
    void noOptionsGiveADefaultExecutor() throws Exception {
        try (Executor ex = new FakeExecutorProvider().create(Map.of())) {
            NodeDescription d = ex.describe();
            assertEquals("fake", d.getHostname());
            assertEquals("fake", d.getEngine().getEngineVersion());
            assertTrue(d.getResources().getNanoCpus() > 0);
            assertFalse(d.getPlatform().getOs().isEmpty());
            assertEquals(Duration.ZERO, ((FakeExecutor) ex).latency());
        }
    }

    @Test
    void optionsApply() throws Exception {
        FakeExecutor ex =
                new FakeExecutorProvider().create(Map.of("latency", "25ms", "hostname", "node-a"));
        assertEquals("node-a", ex.describe().getHostname());
        assertEquals(Duration.ofMillis(25), ex.latency());
        FakeController c = (FakeController) ex.controller(Fixtures.task("t"));
        long t0 = System.nanoTime();
        c.prepare();
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(25).toNanos());
    }

    @Test
    void aBuilderFromOptionsTakesMore() throws Exception {
        FakeExecutor ex =
                FakeExecutorProvider.builder(Map.of("hostname", "h"))
                        .interceptor(
                                inv -> {
                                    if (inv.call() != Call.PREPARE) {
                                        inv.proceed();
                                    }
                                })
                        .build();
        assertEquals("h", ex.describe().getHostname());
        FakeController c = (FakeController) ex.controller(Fixtures.task("t"));
        c.prepare();
        assertTrue(c.containerStatus().isEmpty(), "the interceptor skipped prepare");
        assertThrows(
                IllegalArgumentException.class,
                () -> FakeExecutorProvider.builder(Map.of("nope", "1")));
    }

    @Test
    void unknownOptionsAreRejectedByName() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new FakeExecutorProvider().create(Map.of("latencyy", "1ms")));
        assertTrue(e.getMessage().contains("\"latencyy\""), e.getMessage());
        assertTrue(e.getMessage().contains("latency, hostname"), e.getMessage());
    }

    @Test
    void badValuesAreRejectedByName() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new FakeExecutorProvider().create(Map.of("latency", "soon")));
        assertTrue(e.getMessage().contains("latency"), e.getMessage());
        assertTrue(e.getMessage().contains("\"soon\""), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new FakeExecutorProvider().create(Map.of("hostname", " ")));
    }

    @Test
    void configureRemembersTheNode() throws Exception {
        FakeExecutor ex = FakeExecutor.create();
        assertTrue(ex.node().isEmpty());
        Node node = Node.newBuilder().setId("n1").build();
        ex.configure(node);
        assertEquals(node, ex.node().orElseThrow());
    }
}

package dev.taskexec.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.taskexec.api.proto.Meta;
import dev.taskexec.api.proto.Node;
import dev.taskexec.api.proto.NodeSpec;
import dev.taskexec.api.proto.NodeStatus;
import dev.taskexec.api.proto.Version;
import dev.taskexec.executor.fake.FakeExecutor;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The executor learns the node's record from the session, and again when it changes, as in swarmkit. */
class NodeConfigurerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static Node node(
            long version, NodeStatus.State state, NodeSpec.Availability availability) {
        return Node.newBuilder()
                .setId("node-1")
                .setMeta(Meta.newBuilder().setVersion(Version.newBuilder().setIndex(version)))
                .setStatus(NodeStatus.newBuilder().setState(state))
                .setSpec(NodeSpec.newBuilder().setAvailability(availability))
                .build();
    }

    @Test
    void theExecutorIsConfiguredWithTheFirstRecordAndEachChangeOfItsSpec() throws Exception {
        try (FakeExecutor executor = FakeExecutor.create();
                NodeConfigurer configurer = new NodeConfigurer(executor)) {
            Node first = node(1, NodeStatus.State.READY, NodeSpec.Availability.ACTIVE);
            configurer.nodeUpdated(first);
            await("the first record", () -> executor.node().equals(Optional.of(first)));

            // a new version and status alone (every heartbeat's record): not handed over again
            configurer.nodeUpdated(node(2, NodeStatus.State.DOWN, NodeSpec.Availability.ACTIVE));
            Node drained = node(3, NodeStatus.State.READY, NodeSpec.Availability.DRAIN);
            configurer.nodeUpdated(drained);
            await("the drained record", () -> executor.node().equals(Optional.of(drained)));
            assertEquals(
                    2,
                    configurer.handedOver(),
                    "the first record and the drained one, not the heartbeat's");
        }
    }

    private static void await(String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(
                    Duration.ofMillis(10)
                            .toNanos()); // polling interval of a condition with a deadline
        }
    }
}

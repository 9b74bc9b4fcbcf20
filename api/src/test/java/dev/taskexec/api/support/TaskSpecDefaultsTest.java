package dev.taskexec.api.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.proto.ContainerSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TaskSpecDefaultsTest {

    @Test
    void unsetFieldsMeanSwarmkitsDefaults() {
        ContainerSpec none = ContainerSpec.getDefaultInstance();
        assertEquals(Signal.SIGTERM, TaskSpecDefaults.stopSignal(none));
        assertEquals(Duration.ofSeconds(10), TaskSpecDefaults.stopGracePeriod(none));
        assertEquals(Duration.ofSeconds(3), TaskSpecDefaults.stopGracePeriod(none, Duration.ofSeconds(3)));
        assertEquals(Signal.SIGTERM, TaskSpecDefaults.stopSignal(ContainerSpec.newBuilder().setStopSignal("  ").build()));
    }

    @Test
    void setFieldsAreRead() {
        ContainerSpec spec = ContainerSpec.newBuilder().setStopSignal("SIGRTMAX-2")
                .setStopGracePeriod(com.google.protobuf.Duration.newBuilder().setSeconds(1).setNanos(500_000_000))
                .build();
        assertEquals(62, TaskSpecDefaults.stopSignal(spec).number());
        assertEquals(Duration.ofMillis(1500), TaskSpecDefaults.stopGracePeriod(spec));
        ContainerSpec zero = ContainerSpec.newBuilder().setStopGracePeriod(com.google.protobuf.Duration.getDefaultInstance()).build();
        assertEquals(Duration.ZERO, TaskSpecDefaults.stopGracePeriod(zero));
    }

    @Test
    void wrongFieldsAreRefusedByTheirPath() {
        IllegalArgumentException signal = assertThrows(IllegalArgumentException.class,
                () -> TaskSpecDefaults.stopSignal(ContainerSpec.newBuilder().setStopSignal("SIGNOPE").build()));
        assertEquals("container.stop_signal: unknown signal \"SIGNOPE\"", signal.getMessage());
        IllegalArgumentException grace = assertThrows(IllegalArgumentException.class,
                () -> TaskSpecDefaults.stopGracePeriod(ContainerSpec.newBuilder()
                        .setStopGracePeriod(com.google.protobuf.Duration.newBuilder().setSeconds(-1)).build()));
        assertTrue(grace.getMessage().startsWith("container.stop_grace_period: must not be negative"), grace.getMessage());
    }
}

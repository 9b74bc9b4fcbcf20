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
        assertEquals(
                Duration.ofSeconds(3),
                TaskSpecDefaults.stopGracePeriod(none, Duration.ofSeconds(3)));
        assertEquals(
                Signal.SIGTERM,
                TaskSpecDefaults.stopSignal(
                        ContainerSpec.newBuilder().setStopSignal("  ").build()));
    }

    @Test
    void setFieldsAreRead() {
        ContainerSpec spec =
                ContainerSpec.newBuilder()
                        .setStopSignal("SIGRTMAX-2")
                        .setStopGracePeriod(
                                com.google.protobuf.Duration.newBuilder()
                                        .setSeconds(1)
                                        .setNanos(500_000_000))
                        .build();
        assertEquals(62, TaskSpecDefaults.stopSignal(spec).number());
        assertEquals(Duration.ofMillis(1500), TaskSpecDefaults.stopGracePeriod(spec));
        ContainerSpec zero =
                ContainerSpec.newBuilder()
                        .setStopGracePeriod(com.google.protobuf.Duration.getDefaultInstance())
                        .build();
        assertEquals(Duration.ZERO, TaskSpecDefaults.stopGracePeriod(zero));
    }

    @Test
    void wrongFieldsAreRefusedByTheirPath() {
        IllegalArgumentException signal =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                TaskSpecDefaults.stopSignal(
                                        ContainerSpec.newBuilder()
                                                .setStopSignal("SIGNOPE")
                                                .build()));
        assertEquals("container.stop_signal: unknown signal \"SIGNOPE\"", signal.getMessage());
        IllegalArgumentException grace =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                TaskSpecDefaults.stopGracePeriod(
                                        ContainerSpec.newBuilder()
                                                .setStopGracePeriod(
                                                        com.google.protobuf.Duration.newBuilder()
                                                                .setSeconds(-1))
                                                .build()));
        assertTrue(
                grace.getMessage().startsWith("container.stop_grace_period: must not be negative"),
                grace.getMessage());
    }

    @Test
    void envIsReadAsDockerReadsIt() {
        ContainerSpec spec =
                ContainerSpec.newBuilder()
                        .addEnv("A=1")
                        .addEnv("B=x=y")
                        .addEnv("A=2")
                        .addEnv("C=")
                        .build();
        assertEquals(
                java.util.List.of("A", "B", "C"),
                java.util.List.copyOf(TaskSpecDefaults.env(spec).keySet()));
        assertEquals("2", TaskSpecDefaults.env(spec).get("A"));
        assertEquals("x=y", TaskSpecDefaults.env(spec).get("B"));
        assertEquals("", TaskSpecDefaults.env(spec).get("C"));
    }

    @Test
    void aWrongEnvEntryIsRefusedByItsIndex() {
        for (String bad : new String[] {"NOEQUALS", "=value", "A=\0"}) {
            InvalidTaskException e =
                    assertThrows(
                            InvalidTaskException.class,
                            () ->
                                    TaskSpecDefaults.env(
                                            ContainerSpec.newBuilder()
                                                    .addEnv("OK=1")
                                                    .addEnv(bad)
                                                    .build()));
            assertEquals("container.env[1]", e.field());
            assertTrue(e.getMessage().startsWith("container.env[1]: "), e.getMessage());
        }
    }

    @Test
    void anInvalidTaskIsBadInputNamingItsField() {
        InvalidTaskException e =
                new InvalidTaskException("container.mounts", 0, "target is not absolute");
        assertEquals("container.mounts[0]", e.field());
        assertEquals("container.mounts[0]: target is not absolute", e.getMessage());
        assertTrue(e instanceof IllegalArgumentException);
    }
}

package dev.taskexec.executor.process;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.Controller;
import dev.taskexec.api.proto.ContainerSpec;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Errors about huge values quote a short prefix, never the whole value (issue 16: 20 MB of stderr). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EchoedInputTest {

    private static final String HUGE = "v".repeat(1_000_000);
    private final ProcessExecutor executor = new ProcessExecutor(ProcessExecutorOptions.defaults());

    @AfterEach
    void tearDown() {
        executor.close();
    }

    static Stream<Arguments> fields() {
        return Stream.of(
                Arguments.of(
                        "container.command[0]",
                        (UnaryOperator<ContainerSpec.Builder>) c -> c.setCommand(0, HUGE)),
                Arguments.of(
                        "container.command[0]",
                        (UnaryOperator<ContainerSpec.Builder>) c -> c.setCommand(0, "/" + HUGE)),
                Arguments.of(
                        "container.dir",
                        (UnaryOperator<ContainerSpec.Builder>) c -> c.setDir("/" + HUGE)),
                Arguments.of(
                        "container.user",
                        (UnaryOperator<ContainerSpec.Builder>) c -> c.setUser(HUGE)),
                Arguments.of(
                        "container.stop_signal",
                        (UnaryOperator<ContainerSpec.Builder>) c -> c.setStopSignal(HUGE)),
                Arguments.of(
                        "container.hostname",
                        (UnaryOperator<ContainerSpec.Builder>) c -> c.setHostname(HUGE)),
                Arguments.of(
                        "container.env[0]",
                        (UnaryOperator<ContainerSpec.Builder>) c -> c.addEnv(HUGE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fields")
    void aHugeValueIsQuotedShort(String field, UnaryOperator<ContainerSpec.Builder> edit) {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> {
                            try (Controller c = executor.controller(Tasks.task(edit, "true"))) {
                                c.prepare();
                            }
                        });
        assertTrue(e.getMessage().startsWith(field + ": "), e.getMessage().substring(0, 100));
        assertTrue(
                e.getMessage().length() < 1024,
                e.getMessage().length() + " characters"); // PATH may be quoted too
        assertTrue(
                e.getMessage().contains("(1000000 characters)")
                        || e.getMessage().contains("(1000001 characters)"),
                e.getMessage());
    }
}

package dev.taskexec.executor.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.BoolValue;
import com.google.protobuf.Duration;
import dev.taskexec.api.Controller;
import dev.taskexec.api.RuntimeUnsupportedException;
import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.GenericRuntimeSpec;
import dev.taskexec.api.proto.Mount;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every task the backend cannot run is refused by {@code controller()} or {@code prepare()} with a
 * message naming the field, and nothing is started.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BadInputTest {

    private final ProcessExecutor executor = new ProcessExecutor(ProcessExecutorOptions.defaults());

    @AfterEach
    void tearDown() {
        executor.close();
    }

    static Stream<Arguments> refusedByController() {
        return Stream.of(
                bad("container.command", c -> c.clearCommand()),
                bad("container.command", c -> c.clearCommand().addCommand("")),
                bad("container.command[1]", c -> c.addCommand("a\0b")),
                bad("container.args[0]", c -> c.addArgs("x\0")),
                bad("container.env[1]", c -> c.addEnv("OK=1").addEnv("NOEQUALS")),
                bad("container.env[0]", c -> c.addEnv("=value")),
                bad("container.env[0]", c -> c.addEnv("K=v\0w")),
                bad("container.dir", c -> c.setDir("/tmp\0x")),
                bad("container.stop_signal", c -> c.setStopSignal("SIGNOPE")),
                bad("container.stop_signal", c -> c.setStopSignal("99")),
                bad(
                        "container.stop_grace_period",
                        c -> c.setStopGracePeriod(Duration.newBuilder().setSeconds(-1))),
                bad("container.user", c -> c.setUser("someone-else-entirely")),
                bad(
                        "container.mounts",
                        c -> c.addMounts(Mount.newBuilder().setSource("/a").setTarget("/b"))),
                bad("container.read_only", c -> c.setReadOnly(true)),
                bad("container.init", c -> c.setInit(BoolValue.of(true))),
                bad("container.hostname", c -> c.setHostname("not-this-host.invalid")));
    }

    private static Arguments bad(String field, UnaryOperator<ContainerSpec.Builder> edit) {
        return Arguments.of(field, edit);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedByController")
    void controllerRefusesNamingTheField(String field, UnaryOperator<ContainerSpec.Builder> edit) {
        Task task = Tasks.task(edit, "true");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> executor.controller(task));
        assertTrue(e.getMessage().startsWith(field + ":"), e.getMessage());
    }

    @Test
    void otherRuntimesAreUnsupported() {
        Task generic =
                Task.newBuilder()
                        .setId("g")
                        .setSpec(
                                TaskSpec.newBuilder()
                                        .setGeneric(
                                                GenericRuntimeSpec.newBuilder().setKind("wasm")))
                        .build();
        assertThrows(RuntimeUnsupportedException.class, () -> executor.controller(generic));
        assertThrows(
                RuntimeUnsupportedException.class,
                () -> executor.controller(Task.newBuilder().setId("e").build()));
    }

    @Test
    void theCurrentUserIsAccepted() throws Exception {
        executor.controller(Tasks.task(c -> c.setUser(System.getProperty("user.name")), "true"))
                .close();
    }

    @Test
    void anAllDefaultPrivilegesMessageAsksForNothingAndIsAccepted() throws Exception {
        executor.controller(
                        Tasks.task(
                                c ->
                                        c.setPrivileges(
                                                dev.taskexec.api.proto.Privileges
                                                        .getDefaultInstance()),
                                "true"))
                .close();
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                executor.controller(
                                        Tasks.task(
                                                c ->
                                                        c.setPrivileges(
                                                                dev.taskexec.api.proto.Privileges
                                                                        .newBuilder()
                                                                        .setNoNewPrivileges(true)),
                                                "true")));
        assertTrue(e.getMessage().startsWith("container.privileges: "), e.getMessage());
    }

    @Test
    void missingExecutableIsRefusedByPrepare(@TempDir Path dir) throws Exception {
        assertPrepareRefuses("container.command[0]", Tasks.task("no-such-command-anywhere"));
        assertPrepareRefuses("container.command[0]", Tasks.task("./missing"));
        Path notExecutable = Files.writeString(dir.resolve("script.sh"), "echo hi\n");
        assertPrepareRefuses("container.command[0]", Tasks.task(notExecutable.toString()));
        assertPrepareRefuses("container.command[0]", Tasks.task(dir.toString()));
        // not executable on the PATH either
        assertPrepareRefuses(
                "container.command[0]", Tasks.task(c -> c.addEnv("PATH=" + dir), "script.sh"));
    }

    @Test
    void missingWorkingDirectoryIsRefusedByPrepare(@TempDir Path dir) throws Exception {
        assertPrepareRefuses(
                "container.dir",
                Tasks.task(c -> c.setDir(dir.resolve("missing").toString()), "true"));
        Path file = Files.writeString(dir.resolve("file"), "");
        assertPrepareRefuses("container.dir", Tasks.task(c -> c.setDir(file.toString()), "true"));
    }

    private void assertPrepareRefuses(String field, Task task) throws Exception {
        List<Long> before = ProcessHandle.current().children().map(ProcessHandle::pid).toList();
        Controller c = executor.controller(task);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::prepare);
        assertTrue(e.getMessage().startsWith(field + ":"), e.getMessage());
        // start (which prepares when needed) refuses the same way and starts nothing
        IllegalArgumentException again = assertThrows(IllegalArgumentException.class, c::start);
        assertEquals(e.getMessage(), again.getMessage());
        assertEquals(before, ProcessHandle.current().children().map(ProcessHandle::pid).toList());
        c.close();
    }
}

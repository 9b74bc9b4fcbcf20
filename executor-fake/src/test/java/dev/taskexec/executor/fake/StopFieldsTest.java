package dev.taskexec.executor.fake;

import static dev.taskexec.executor.fake.Fixtures.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.ExitException;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.support.InvalidTaskException;
import org.junit.jupiter.api.Test;

/** The fake checks a task's stop fields and words its exits as every backend does. */
class StopFieldsTest {

    private final FakeExecutor executor = FakeExecutor.builder().build();

    @Test
    void anUnknownStopSignalIsRefusedNamingTheField() {
        Task base = task("t", "exit=0");
        Task bad =
                base.toBuilder()
                        .setSpec(
                                base.getSpec().toBuilder()
                                        .setContainer(
                                                base.getSpec().getContainer().toBuilder()
                                                        .setStopSignal("SIGNOPE")))
                        .build();
        InvalidTaskException e =
                assertThrows(InvalidTaskException.class, () -> executor.controller(bad));
        assertEquals("container.stop_signal: unknown signal \"SIGNOPE\"", e.getMessage());
        assertTrue(
                executor.leaks().isEmpty(),
                "nothing is left of a refused task: " + executor.leaks());
    }

    @Test
    void aNegativeGracePeriodIsRefusedNamingTheField() {
        Task base = task("t", "exit=0");
        Task bad =
                base.toBuilder()
                        .setSpec(
                                base.getSpec().toBuilder()
                                        .setContainer(
                                                base.getSpec().getContainer().toBuilder()
                                                        .setStopGracePeriod(
                                                                com.google.protobuf.Duration
                                                                        .newBuilder()
                                                                        .setSeconds(-1))))
                        .build();
        InvalidTaskException e =
                assertThrows(InvalidTaskException.class, () -> executor.controller(bad));
        assertTrue(e.getMessage().startsWith("container.stop_grace_period:"), e.getMessage());
    }

    @Test
    void aNonZeroExitIsWordedAsSwarmkitWordsIt() throws Exception {
        FakeController c = (FakeController) executor.controller(task("t", "exit=3"));
        c.prepare();
        c.start();
        ExitException e = assertThrows(ExitException.class, c::await);
        assertEquals("task: non-zero exit (3)", e.getMessage());
        c.remove();
        c.close();
    }
}

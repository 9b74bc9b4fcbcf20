package dev.taskexec.executor.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.Controller;
import dev.taskexec.api.ControllerStdin;
import dev.taskexec.api.proto.LogStream;
import dev.taskexec.api.proto.Task;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ControllerStdin} on real processes: bytes reach the task, and closing passes end-of-file on. */
class ProcessStdinTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir Path stateDir;

    private ProcessExecutor executor;

    @BeforeEach
    void setUp() {
        executor =
                new ProcessExecutor(
                        ProcessExecutorOptions.parse(
                                Map.of(
                                        ProcessExecutorOptions.STATE_DIR,
                                        stateDir.toString(),
                                        ProcessExecutorOptions.STOP_GRACE_PERIOD,
                                        "5s")));
    }

    @AfterEach
    void tearDown() {
        executor.close();
    }

    private Controller start(Task task) throws Exception {
        Controller c = executor.controller(task);
        c.prepare();
        c.start();
        return c;
    }

    private static void write(OutputStream in, String text) throws IOException {
        in.write(text.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    @Test
    void aPipeGetsTheBytesAndEndOfFileOnClose() throws Exception {
        Controller c = start(Tasks.task(s -> s.setOpenStdin(true), "cat"));
        OutputStream in = ((ControllerStdin) c).stdin();
        write(in, "one\n");
        write(in, "two, no newline");
        in.close();
        in.close(); // idempotent
        assertTimeoutPreemptively(WAIT, c::await, "cat ends once its input does");
        assertEquals("one\ntwo, no newline", Logs.text(Logs.all(c), LogStream.LOG_STREAM_STDOUT));
        assertThrows(IOException.class, () -> in.write('x'), "a closed input takes no more bytes");
    }

    @Test
    void aTerminalGetsEndOfFileEvenAfterAnUnfinishedLine() throws Exception {
        Controller c =
                start(
                        Tasks.sh(
                                s -> s.setOpenStdin(true).setTty(true),
                                "read x; echo \"got:$x\"; cat > /dev/null; echo eof"));
        OutputStream in = ((ControllerStdin) c).stdin();
        write(in, "abc\n");
        write(in, "unfinished");
        in.close();
        assertTimeoutPreemptively(WAIT, c::await, "cat on the terminal ends at ^D");
        String out = Logs.text(Logs.all(c), LogStream.LOG_STREAM_STDOUT);
        assertTrue(out.contains("got:abc\r\n") && out.endsWith("eof\r\n"), out);
    }

    @Test
    void theContractsRefusalsAreIllegalStates() throws Exception {
        Controller closedInput = start(Tasks.task("cat"));
        var e =
                assertThrows(
                        IllegalStateException.class, () -> ((ControllerStdin) closedInput).stdin());
        assertTrue(e.getMessage().contains("open_stdin"), e.getMessage());

        Controller notStarted = executor.controller(Tasks.task(s -> s.setOpenStdin(true), "cat"));
        notStarted.prepare();
        assertThrows(IllegalStateException.class, () -> ((ControllerStdin) notStarted).stdin());
        notStarted.remove();
        notStarted.close();

        Controller c = start(Tasks.task(s -> s.setOpenStdin(true), "cat"));
        OutputStream in = ((ControllerStdin) c).stdin();
        assertThrows(
                IllegalStateException.class, () -> ((ControllerStdin) c).stdin(), "taken once");
        in.close();
        assertTimeoutPreemptively(WAIT, c::await);
    }

    @Test
    void writingToATaskThatExitedFails() throws Exception {
        Controller c = start(Tasks.sh(s -> s.setOpenStdin(true), "exit 0"));
        assertTimeoutPreemptively(WAIT, c::await);
        OutputStream in = ((ControllerStdin) c).stdin();
        assertThrows(
                IOException.class,
                () -> {
                    for (int i = 0;
                            i < 1000;
                            i++) { // a pipe may take a first write after its reader went away
                        write(in, "x".repeat(1024));
                    }
                });
        in.close();
    }
}

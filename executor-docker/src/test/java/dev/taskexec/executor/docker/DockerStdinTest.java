package dev.taskexec.executor.docker;

import static dev.taskexec.executor.docker.DockerTestEnvironment.shell;
import static dev.taskexec.executor.docker.DockerTestEnvironment.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.ControllerClosedException;
import dev.taskexec.api.ControllerStdin;
import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.LogMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ControllerStdin} on the real engine: what is written reaches the task, closing passes
 * end-of-file on (with and without a terminal), and a task without {@code open_stdin} has none.
 */
// "try": the tasks' close() removes their container, which may be interrupted, as Controller.remove
// may
@SuppressWarnings("try")
class DockerStdinTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension static final SharedExecutor engine = new SharedExecutor();

    /** Prepares and starts a controller for {@code spec}; {@link #close()} removes its container. */
    private static final class Started implements AutoCloseable {
        final DockerController controller;

        Started(ContainerSpec.Builder spec) throws Exception {
            controller = (DockerController) engine.executor().controller(task(spec));
            try {
                controller.prepare();
                controller.start();
            } catch (Exception e) {
                close();
                throw e;
            }
        }

        /** OpenStdin, StdinOnce, AttachStdin of the container, as the engine has them. */
        List<Boolean> stdinConfig() {
            var config =
                    engine.executor()
                            .engineForTests()
                            .client()
                            .inspectContainerCmd(controller.containerName())
                            .exec()
                            .getConfig();
            return List.of(
                    Boolean.TRUE.equals(config.getStdinOpen()),
                    Boolean.TRUE.equals(config.getStdInOnce()),
                    Boolean.TRUE.equals(config.getAttachStdin()));
        }

        String output() throws Exception {
            StringBuilder out = new StringBuilder();
            for (LogMessage m : DockerControllerTest.logs(controller)) {
                out.append(m.getData().toString(StandardCharsets.UTF_8));
            }
            return out.toString();
        }

        @Override
        public void close() throws Exception {
            try {
                controller.remove();
            } finally {
                controller.close();
            }
        }
    }

    private static ContainerSpec.Builder interactive(String script) {
        return shell(script).setOpenStdin(true);
    }

    private static void write(OutputStream in, String text) throws IOException {
        in.write(text.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    @Test
    void catEchoesItsInputAndEndsWithIt() throws Exception {
        try (Started s = new Started(interactive("cat"))) {
            assertEquals(
                    List.of(true, true, true),
                    s.stdinConfig(),
                    "created as docker run -i creates it");
            OutputStream in = s.controller.stdin();
            write(in, "hello\n");
            write(in, "partial line without an end");
            in.close();
            in.close(); // idempotent
            assertTimeoutPreemptively(
                    TIMEOUT, () -> s.controller.await(), "cat ends at end of input");
            assertEquals("hello\npartial line without an end", s.output());
            assertThrows(IOException.class, () -> in.write('x'), "a closed input takes no more");
        }
    }

    @Test
    void aMebibyteArrivesExactly() throws Exception {
        byte[] data = new byte[1 << 20];
        new Random(17).nextBytes(data);
        try (Started s = new Started(interactive("wc -c"))) {
            try (OutputStream in = s.controller.stdin()) {
                for (int off = 0;
                        off < data.length;
                        off += 10_000) { // uneven writes, as a copier's are
                    in.write(data, off, Math.min(10_000, data.length - off));
                }
            }
            assertTimeoutPreemptively(TIMEOUT, () -> s.controller.await());
            assertEquals(String.valueOf(data.length), s.output().strip());
        }
    }

    @Test
    void onATerminalEndOfInputIsTheEndOfFileCharacter() throws Exception {
        try (Started s =
                new Started(
                        interactive("read x; echo got:$x; cat > /dev/null; echo eof")
                                .setTty(true))) {
            OutputStream in = s.controller.stdin();
            write(in, "abc\nmore"); // an unfinished last line takes two ^D
            in.close();
            assertTimeoutPreemptively(
                    TIMEOUT, () -> s.controller.await(), "the task reads end-of-file");
            String out = s.output();
            assertTrue(out.contains("got:abc\r\n") && out.endsWith("eof\r\n"), out);
        }
    }

    @Test
    void aTaskWithoutOpenStdinHasNoInput() throws Exception {
        try (Started s = new Started(shell("cat; echo read-nothing"))) {
            assertEquals(List.of(false, false, false), s.stdinConfig());
            IllegalStateException e =
                    assertThrows(IllegalStateException.class, s.controller::stdin);
            assertTrue(e.getMessage().contains("does not set open_stdin"), e.getMessage());
            assertTimeoutPreemptively(
                    TIMEOUT, () -> s.controller.await(), "its input is empty, not open");
            assertEquals("read-nothing\n", s.output());
        }
    }

    @Test
    void inputIsRefusedBeforeTheStartAndTakenOnlyOnce() throws Exception {
        DockerController c =
                (DockerController) engine.executor().controller(task(interactive("cat")));
        try {
            c.prepare();
            IllegalStateException early = assertThrows(IllegalStateException.class, c::stdin);
            assertTrue(early.getMessage().contains("not started"), early.getMessage());
            c.start();
            try (OutputStream in = c.stdin()) {
                IllegalStateException twice = assertThrows(IllegalStateException.class, c::stdin);
                assertTrue(twice.getMessage().contains("already taken"), twice.getMessage());
            }
            assertTimeoutPreemptively(TIMEOUT, () -> c.await());
        } finally {
            c.remove();
            c.close();
        }
        assertThrows(ControllerClosedException.class, c::stdin);
    }

    @Test
    void theInputOfAnExitedTaskFailsToWriteAndClosesQuietly() throws Exception {
        try (Started s = new Started(interactive("exit 0"))) {
            assertTimeoutPreemptively(TIMEOUT, () -> s.controller.await());
            OutputStream in = s.controller.stdin();
            assertThrows(IOException.class, () -> write(in, "too late\n"));
            in.close();
        }
    }

    @Test
    void closingTheControllerFailsAWriteOnATaskThatDoesNotRead() throws Exception {
        var task = task(interactive("sleep 600"));
        DockerController c = (DockerController) engine.executor().controller(task);
        try {
            c.prepare();
            c.start();
            OutputStream in = c.stdin();
            java.util.concurrent.atomic.AtomicLong written =
                    new java.util.concurrent.atomic.AtomicLong();
            CompletableFuture<Throwable> writer = new CompletableFuture<>();
            Thread.ofVirtual()
                    .start(
                            () -> {
                                byte[] chunk = new byte[16 * 1024];
                                try {
                                    while (true) { // until the pipe and the socket are full, then
                                        // blocked
                                        in.write(chunk);
                                        written.addAndGet(chunk.length);
                                    }
                                } catch (Throwable t) {
                                    writer.complete(t);
                                }
                            });
            DockerTestEnvironment.eventually(
                    TIMEOUT, "the writer to get going", () -> written.get() > 0);
            assertEquals(1, c.openStreams(), "the attach is tracked");
            c.close();
            Throwable failure;
            try {
                failure = writer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new AssertionError(e);
            }
            assertInstanceOf(
                    IOException.class, failure, "a write on a closed controller's input fails");
            assertEquals(0, c.openStreams(), "the attach is released");
        } finally {
            c.close();
            DockerController cleaner =
                    (DockerController)
                            engine.executor().controller(task); // a closed one cannot remove
            cleaner.remove();
            cleaner.close();
        }
    }
}

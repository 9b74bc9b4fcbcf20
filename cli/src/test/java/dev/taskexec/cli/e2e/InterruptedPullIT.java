package dev.taskexec.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ctrl-C or SIGTERM while the command pulls from a registry that never answers (issue 16): the
 * command exits promptly, and once it is gone nothing it started stays connected. The engine's
 * pull is cancelled with the command's connection: it opens no further connection to the registry
 * (an uncancelled pull retries over plain HTTP), and the one it had ends within the engine's own
 * TLS handshake timeout (10 s in moby's registry client), which no client can shorten.
 */
class InterruptedPullIT {

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"INT", "TERM"})
    @SuppressWarnings(
            "try") // closes the listening socket inside its try, so that the acceptor ends before
    // join
    void nothingStaysConnectedAfterAnInterruptedPull(String signal) throws Exception {
        Assumptions.assumeTrue(
                Files.isWritable(Path.of("/var/run/docker.sock")), "no Docker Engine here");
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            List<Long> acceptedAt = new CopyOnWriteArrayList<>();
            AtomicLong open = new AtomicLong();
            CountDownLatch contacted = new CountDownLatch(1);
            Thread acceptor =
                    Thread.ofVirtual()
                            .start(
                                    () -> {
                                        try {
                                            while (true) {
                                                Socket s = silent.accept();
                                                accepted.add(s);
                                                acceptedAt.add(System.nanoTime());
                                                open.incrementAndGet();
                                                contacted.countDown();
                                                Thread.ofVirtual()
                                                        .start(() -> drainUntilClosed(s, open));
                                            }
                                        } catch (IOException closed) {
                                            // the test is over
                                        }
                                    });
            try (Cli cli =
                    Cli.start(
                            "run",
                            "-e",
                            "docker",
                            "--image",
                            "localhost:" + silent.getLocalPort() + "/taskexec-silent:1",
                            "--",
                            "true")) {
                assertTrue(
                        contacted.await(30, TimeUnit.SECONDS),
                        "the engine contacted the registry: " + cli.transcript());
                cli.signal(signal);
                Cli.Result r = cli.await(Duration.ofSeconds(15));
                long exited = System.nanoTime();
                assertNotEquals(0, r.exitCode(), r.toString());
                assertFalse(r.stderr().contains("\tat "), r.toString());

                // the engine gives up its connection within its handshake timeout, and makes no new
                // one
                long deadline = exited + Duration.ofSeconds(20).toNanos();
                while (open.get() > 0 && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(
                            Duration.ofMillis(100)
                                    .toNanos()); // polling a deadline-bounded condition
                }
                assertEquals(
                        0,
                        open.get(),
                        "registry connections still open 20 s after the command exited");
                long late =
                        acceptedAt.stream()
                                .filter(t -> t > exited + Duration.ofSeconds(1).toNanos())
                                .count();
                assertEquals(0, late, "the engine went on pulling after the command exited");
            } finally {
                silent.close();
                acceptor.join(5_000);
                for (Socket s : accepted) {
                    s.close();
                }
            }
        }
    }

    private static void drainUntilClosed(Socket s, AtomicLong open) {
        try (InputStream in = s.getInputStream()) {
            byte[] buffer = new byte[4096];
            while (in.read(buffer) >= 0) {
                // a registry that never answers
            }
        } catch (IOException closed) {
            // closed either way
        }
        open.decrementAndGet();
    }
}

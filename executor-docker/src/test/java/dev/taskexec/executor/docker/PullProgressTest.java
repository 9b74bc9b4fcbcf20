package dev.taskexec.executor.docker;

import static dev.taskexec.executor.docker.DockerTestEnvironment.shell;
import static dev.taskexec.executor.docker.DockerTestEnvironment.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The pull progress hook: the engine's stream read into messages, and the listener's calls. */
// "try": the fake engine's socket is closed inside its try on purpose, to end the engine thread
// before join
@SuppressWarnings("try")
class PullProgressTest {

    private static final String IMAGE = "busybox:1.36";

    private static List<String> recorded() throws IOException {
        try (InputStream in = PullProgressTest.class.getResourceAsStream("/pull/busybox.jsonl")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    private static PullProgress p(String layer, String status, long current, long total) {
        return new PullProgress("t1", IMAGE, layer, status, current, total);
    }

    private static final List<PullProgress> EXPECTED =
            List.of(
                    p("", "Pulling from library/busybox", 0, 0),
                    p("9ad63333ebc9", "Pulling fs layer", 0, 0),
                    p("9ad63333ebc9", "Downloading", 22357, 2152262),
                    p("9ad63333ebc9", "Downloading", 1395016, 2152262),
                    p("9ad63333ebc9", "Verifying Checksum", 0, 0),
                    p("9ad63333ebc9", "Download complete", 0, 0),
                    p("9ad63333ebc9", "Extracting", 65536, 2152262),
                    p("9ad63333ebc9", "Extracting", 2152262, 2152262),
                    p("9ad63333ebc9", "Pull complete", 0, 0),
                    p(
                            "",
                            "Digest: sha256:5eef5ed34e1e1ff0a4ae850395cbf665c4de6b4b83a32a0bc7bcb998e24e7bbb",
                            0,
                            0),
                    p("", "Status: Downloaded newer image for busybox:1.36", 0, 0));

    @Test
    void everyLineOfARecordedPullIsOneMessage() throws IOException {
        List<PullProgress> parsed = new ArrayList<>();
        for (String line : recorded()) {
            parsed.add(
                    PullMessages.parse("t1", IMAGE, line)
                            .orElseThrow(() -> new AssertionError("not parsed: " + line)));
        }
        assertEquals(EXPECTED, parsed);
    }

    @Test
    void errorsBlankLinesAndNonsenseAreNoProgress() {
        for (String line :
                List.of(
                        "",
                        "  ",
                        "not json",
                        "{\"error\":\"pull access denied\",\"errorDetail\":{\"message\":\"pull access denied\"}}",
                        "{\"message\":\"refused\"}",
                        "[1,2]")) {
            assertEquals(Optional.empty(), PullMessages.parse("t1", IMAGE, line), line);
        }
    }

    /** A listener that records what it is told, and can be made to throw. */
    private static final class Recorder implements PullListener {
        final List<PullProgress> progress = new CopyOnWriteArrayList<>();
        final List<String> ends = new CopyOnWriteArrayList<>();
        final boolean hostile;

        Recorder(boolean hostile) {
            this.hostile = hostile;
        }

        @Override
        public void progress(PullProgress p) {
            progress.add(p);
            if (hostile) {
                throw new IllegalStateException("a broken listener");
            }
        }

        @Override
        public void ended(String taskId, String image, Optional<String> failure) {
            ends.add(taskId + " " + image + " " + failure.orElse("ok"));
            if (hostile) {
                throw new IllegalStateException("a broken listener");
            }
        }
    }

    /**
     * An engine that answers a pull with the recorded stream and everything else with 404, one
     * request per connection: enough for prepare's pull and its create.
     */
    private static Thread fakeEngine(ServerSocket server, List<String> pullBody) {
        return fakeEngine(server, pullBody, false);
    }

    /** As above; with {@code hang}, the pull's answer never ends (until the client drops it). */
    private static Thread fakeEngine(ServerSocket server, List<String> pullBody, boolean hang) {
        return Thread.ofVirtual()
                .start(
                        () -> {
                            try {
                                while (true) {
                                    try (Socket s = server.accept()) {
                                        InputStream in = s.getInputStream();
                                        String head = HijackedConnection.readHead(in);
                                        String length =
                                                HijackedConnection.header(head, "Content-Length");
                                        in.readNBytes(
                                                length == null ? 0 : Integer.parseInt(length));
                                        boolean pull = head.startsWith("POST /images/create?");
                                        byte[] body =
                                                (pull
                                                                ? String.join("\r\n", pullBody)
                                                                        + "\r\n"
                                                                : "{\"message\":\"No such image: "
                                                                        + IMAGE
                                                                        + "\"}")
                                                        .getBytes(StandardCharsets.UTF_8);
                                        OutputStream out = s.getOutputStream();
                                        long declared =
                                                pull && hang
                                                        ? body.length + 1_000_000L
                                                        : body.length;
                                        out.write(
                                                ((pull
                                                                        ? "HTTP/1.1 200 OK"
                                                                        : "HTTP/1.1 404 Not Found")
                                                                + "\r\nContent-Type: application/json\r\n"
                                                                + "Connection: close\r\nContent-Length: "
                                                                + declared
                                                                + "\r\n\r\n")
                                                        .getBytes(StandardCharsets.US_ASCII));
                                        out.write(body);
                                        out.flush();
                                        if (pull && hang) {
                                            in.read(); // until the client drops the connection
                                        }
                                    }
                                }
                            } catch (IOException closed) {
                                // the test is over
                            }
                        });
    }

    private static Recorder prepareThroughFakeEngine(boolean hostileListener) throws Exception {
        Recorder recorder = new Recorder(hostileListener);
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                DockerExecutor executor =
                        DockerTestEnvironment.executor(
                                Map.of(
                                        DockerOptions.HOST,
                                        "tcp://127.0.0.1:" + server.getLocalPort(),
                                        DockerOptions.PULL,
                                        "always"))) {
            Thread engine = fakeEngine(server, recorded());
            executor.pullListener(recorder);
            DockerController c =
                    (DockerController)
                            executor.controller(
                                    task(shell("true").setImage(IMAGE)).toBuilder()
                                            .setId("t1")
                                            .build());
            EngineException e =
                    assertThrows(
                            EngineException.class,
                            c::prepare,
                            "the fake engine has no image to create from");
            assertEquals(404, e.statusCode());
            c.close();
            server.close();
            engine.join();
        }
        return recorder;
    }

    @Test
    void theListenerIsToldEveryMessageOfThePullAndItsEnd() throws Exception {
        Recorder r = prepareThroughFakeEngine(false);
        assertEquals(EXPECTED, r.progress);
        assertEquals(List.of("t1 " + IMAGE + " ok"), r.ends);
    }

    @Test
    void aListenerThatThrowsChangesNothing() throws Exception {
        Recorder r = prepareThroughFakeEngine(true);
        assertEquals(EXPECTED, r.progress, "every message is still delivered");
        assertEquals(List.of("t1 " + IMAGE + " ok"), r.ends);
    }

    @Test
    void anInterruptedPullEndsAsInterrupted() throws Exception {
        Recorder recorder = new Recorder(false);
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                DockerExecutor executor =
                        DockerTestEnvironment.executor(
                                Map.of(
                                        DockerOptions.HOST,
                                        "tcp://127.0.0.1:" + server.getLocalPort(),
                                        DockerOptions.PULL,
                                        "always"))) {
            Thread engine = fakeEngine(server, recorded().subList(0, 3), true);
            executor.pullListener(recorder);
            DockerController c =
                    (DockerController)
                            executor.controller(
                                    task(shell("true").setImage(IMAGE)).toBuilder()
                                            .setId("t1")
                                            .build());
            java.util.concurrent.CompletableFuture<Throwable> prepared =
                    new java.util.concurrent.CompletableFuture<>();
            Thread preparing =
                    Thread.ofVirtual()
                            .start(
                                    () -> {
                                        try {
                                            c.prepare();
                                            prepared.complete(null);
                                        } catch (Throwable t) {
                                            prepared.complete(t);
                                        }
                                    });
            DockerTestEnvironment.eventually(
                    java.time.Duration.ofSeconds(30),
                    "the first messages",
                    () -> recorder.progress.size() == 3);
            assertEquals(List.of(), recorder.ends, "the pull is still going");
            preparing.interrupt();
            Throwable thrown = prepared.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(Engine.interruption(thrown), "prepare threw " + thrown);
            assertEquals(EXPECTED.subList(0, 3), recorder.progress);
            assertEquals(List.of("t1 " + IMAGE + " interrupted"), recorder.ends);
            c.close();
            server.close();
            engine.join();
        }
    }

    @Test
    void withoutAListenerNothingIsParsedAndThePullStillRuns() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                DockerExecutor executor =
                        DockerTestEnvironment.executor(
                                Map.of(
                                        DockerOptions.HOST,
                                        "tcp://127.0.0.1:" + server.getLocalPort(),
                                        DockerOptions.PULL,
                                        "always"))) {
            Thread engine =
                    fakeEngine(
                            server,
                            List.of(
                                    "{\"error\":\"manifest unknown\",\"errorDetail\":{\"message\":\"manifest unknown\"}}"));
            DockerController c =
                    (DockerController) executor.controller(task(shell("true").setImage(IMAGE)));
            EngineException e = assertThrows(EngineException.class, c::prepare);
            assertTrue(
                    e.getMessage().contains("(pulling it failed: manifest unknown)"),
                    e.getMessage());
            c.close();
            server.close();
            engine.join();
        }
    }

    @Test
    void aFailedPullOnTheRealEngineEndsWithTheEnginesError() throws Exception {
        DockerTestEnvironment.require();
        Recorder recorder = new Recorder(false);
        try (DockerExecutor executor =
                DockerTestEnvironment.executor(Map.of(DockerOptions.PULL, "always"))) {
            executor.pullListener(recorder);
            // nothing listens on port 1: the engine's pull fails at once
            DockerController c =
                    (DockerController)
                            executor.controller(
                                    task(shell("true").setImage("127.0.0.1:1/taskexec-none:1")));
            try {
                assertThrows(EngineException.class, c::prepare);
            } finally {
                c.remove();
                c.close();
            }
        }
        assertEquals(1, recorder.ends.size(), recorder.ends.toString());
        String end = recorder.ends.get(0);
        assertTrue(end.contains("127.0.0.1:1/taskexec-none:1") && !end.endsWith(" ok"), end);
    }
}

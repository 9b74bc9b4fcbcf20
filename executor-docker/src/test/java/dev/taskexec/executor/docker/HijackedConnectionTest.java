package dev.taskexec.executor.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The hand-made upgrade request: reading the engine's answer, and its refusals. */
class HijackedConnectionTest {

    private static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void theHeadEndsAtTheFirstEmptyLineAndLeavesTheStreamAfterIt() throws IOException {
        InputStream in =
                bytes(
                        "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
                                + "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\nraw bytes\r\n\r\n");
        String head = HijackedConnection.readHead(in);
        assertEquals(101, HijackedConnection.statusCode(head));
        assertEquals("tcp", HijackedConnection.header(head, "upgrade"));
        assertEquals(
                "raw bytes\r\n\r\n", new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void aLoneCarriageReturnDoesNotEndTheHead() throws IOException {
        InputStream in = bytes("HTTP/1.1 200 OK\r\nX: a\rb\r\r\n\r\nbody");
        String head = HijackedConnection.readHead(in);
        assertEquals("HTTP/1.1 200 OK\r\nX: a\rb\r\r\n\r\n", head);
    }

    @Test
    void errorBodiesAreReadByLengthOrFirstChunkWithoutWaitingForTheConnectionToClose()
            throws IOException {
        String json = "{\"message\":\"No such container: x\"}";
        InputStream sized =
                bytes(
                        "HTTP/1.1 404 Not Found\r\nContent-Length: "
                                + json.length()
                                + "\r\n\r\n"
                                + json
                                + "next");
        assertEquals(json, HijackedConnection.readBody(sized, HijackedConnection.readHead(sized)));
        InputStream chunked =
                bytes(
                        "HTTP/1.1 409 Conflict\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + Integer.toHexString(json.length())
                                + "\r\n"
                                + json
                                + "\r\n0\r\n\r\n");
        assertEquals(
                json, HijackedConnection.readBody(chunked, HijackedConnection.readHead(chunked)));
    }

    @Test
    void somethingThatIsNotHttpOrEndsEarlyIsAnIoFailure() {
        assertThrows(
                IOException.class, () -> HijackedConnection.statusCode("SSH-2.0-OpenSSH\r\n\r\n"));
        assertThrows(
                IOException.class,
                () -> HijackedConnection.readHead(bytes("HTTP/1.1 101 UPGRADED\r\n")));
    }

    @Test
    void theEngineRefusingTheAttachIsAnEngineExceptionWithItsMessage() throws Exception {
        DockerTestEnvironment.require();
        try (Engine engine = new Engine(DockerOptions.defaults())) {
            EngineException e =
                    assertThrows(
                            EngineException.class,
                            () ->
                                    HijackedConnection.open(
                                            engine,
                                            "/containers/taskexec-no-such-container/attach?stream=1&stdin=1",
                                            "attaching"));
            assertEquals(404, e.statusCode());
            assertTrue(
                    e.getMessage().startsWith("attaching: ")
                            && e.getMessage().contains("No such container"),
                    e.getMessage());
        }
    }

    @Test
    void anEngineThatIsNotThereIsATemporaryFailure() {
        DockerOptions nowhere =
                new DockerOptions(
                        URI.create("unix:///nonexistent/docker.sock"),
                        PullPolicy.NEVER,
                        4,
                        Duration.ofSeconds(1));
        try (Engine engine = new Engine(nowhere)) {
            Exception e =
                    assertThrows(
                            Exception.class,
                            () -> HijackedConnection.open(engine, "/x", "attaching"));
            assertTrue(dev.taskexec.api.Errors.isTemporary(e), e.toString());
            assertInstanceOf(EngineException.class, e.getCause(), e.toString());
        }
    }
}

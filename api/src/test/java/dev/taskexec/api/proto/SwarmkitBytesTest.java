package dev.taskexec.api.proto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bytes shaped the way swarmkit's Go code writes them, assembled here field by
 * field from swarmkit's numbers without using our generated classes, decode to
 * the right values and re-encode to the very same bytes.
 *
 * <p>Two habits of swarmkit's encoder matter: fields it declares non-nullable
 * (a task's meta, spec, annotations and status, a log message's context) are
 * written even when empty, and {@code LogSubscriptionOptions.streams} is
 * written unpacked.
 */
class SwarmkitBytesTest {

    @Test
    void taskAsAManagerSendsIt() throws IOException {
        byte[] meta =
                message(out -> out.writeBytes(1, empty())); // Meta.version, non-nullable, empty
        byte[] container =
                message(
                        out -> {
                            out.writeString(1, "busybox"); // image
                            out.writeString(3, "sh"); // command
                            out.writeString(4, "-c"); // args
                            out.writeString(4, "exit 3");
                            out.writeString(5, "A=1"); // env
                            out.writeByteArray(
                                    9,
                                    message(d -> d.writeInt64(1, 10))); // stop_grace_period = 10s
                            out.writeBool(13, true); // tty
                            out.writeString(14, "box"); // hostname
                            out.writeString(20, "SIGINT"); // stop_signal
                            out.writeByteArray(
                                    23,
                                    message(b -> b.writeBool(1, true))); // init = BoolValue(true)
                        });
        byte[] spec = message(out -> out.writeByteArray(1, container)); // TaskSpec.container
        byte[] status =
                message(
                        out -> {
                            out.writeByteArray(
                                    1, message(t -> t.writeInt64(1, 1_700_000_000L))); // timestamp
                            out.writeEnum(2, 512); // state RUNNING
                            out.writeString(3, "started"); // message
                            out.writeByteArray(
                                    5,
                                    message(
                                            c -> { // runtime_status.container
                                                c.writeString(1, "c0ffee");
                                                c.writeInt32(2, 4242);
                                            }));
                            out.writeString(7, "manager-1"); // applied_by
                        });
        byte[] task =
                message(
                        out -> {
                            out.writeString(1, "task-1");
                            out.writeByteArray(2, meta);
                            out.writeByteArray(3, spec);
                            out.writeString(4, "service-1");
                            out.writeUInt64(5, 2); // slot
                            out.writeString(6, "node-1");
                            out.writeBytes(7, empty()); // annotations, non-nullable
                            out.writeBytes(8, empty()); // service_annotations, non-nullable
                            out.writeByteArray(9, status);
                            out.writeEnum(10, 576); // desired_state COMPLETE
                        });

        Task decoded = Task.parseFrom(task);

        assertEquals("task-1", decoded.getId());
        assertTrue(decoded.getMeta().hasVersion(), "an empty but present message stays present");
        assertTrue(decoded.hasAnnotations());
        assertEquals(2, decoded.getSlot());
        ContainerSpec c = decoded.getSpec().getContainer();
        assertEquals(TaskSpec.RuntimeCase.CONTAINER, decoded.getSpec().getRuntimeCase());
        assertEquals("busybox", c.getImage());
        assertEquals(List.of("sh"), c.getCommandList());
        assertEquals(List.of("-c", "exit 3"), c.getArgsList());
        assertEquals(List.of("A=1"), c.getEnvList());
        assertEquals(10, c.getStopGracePeriod().getSeconds());
        assertTrue(c.getTty());
        assertEquals("box", c.getHostname());
        assertEquals("SIGINT", c.getStopSignal());
        assertTrue(c.hasInit() && c.getInit().getValue());
        assertEquals(TaskState.RUNNING, decoded.getStatus().getState());
        assertEquals(1_700_000_000L, decoded.getStatus().getTimestamp().getSeconds());
        assertEquals(
                TaskStatus.RuntimeStatusCase.CONTAINER, decoded.getStatus().getRuntimeStatusCase());
        assertEquals(4242, decoded.getStatus().getContainer().getPid());
        assertEquals("manager-1", decoded.getStatus().getAppliedBy());
        assertEquals(TaskState.COMPLETE, decoded.getDesiredState());
        assertTrue(decoded.getUnknownFields().asMap().isEmpty());

        assertArrayEquals(task, decoded.toByteArray());
    }

    @Test
    void logMessageAsAnAgentPublishesIt() throws IOException {
        byte[] bytes =
                message(
                        out -> {
                            out.writeByteArray(
                                    1, message(c -> c.writeString(3, "task-1"))); // context.task_id
                            out.writeByteArray(2, message(t -> t.writeInt64(1, 1_700_000_000L)));
                            out.writeEnum(3, 2); // LOG_STREAM_STDERR
                            out.writeByteArray(4, new byte[] {'o', 'o', 'p', 's', '\n'}); // data
                            out.writeByteArray(
                                    5,
                                    message(
                                            a -> { // attrs
                                                a.writeString(1, "k");
                                                a.writeString(2, "v");
                                            }));
                        });

        LogMessage decoded = LogMessage.parseFrom(bytes);

        assertEquals("task-1", decoded.getContext().getTaskId());
        assertEquals(LogStream.LOG_STREAM_STDERR, decoded.getStream());
        assertEquals("oops\n", decoded.getData().toStringUtf8());
        assertEquals("v", decoded.getAttrs(0).getValue());
        assertArrayEquals(bytes, decoded.toByteArray());
    }

    @Test
    void subscriptionStreamsAreWrittenUnpackedAsSwarmkitDoes() throws IOException {
        byte[] unpacked =
                message(
                        out -> {
                            out.writeEnum(1, 1);
                            out.writeEnum(1, 2);
                        });

        LogSubscriptionOptions options =
                LogSubscriptionOptions.newBuilder()
                        .addStreams(LogStream.LOG_STREAM_STDOUT)
                        .addStreams(LogStream.LOG_STREAM_STDERR)
                        .build();

        assertArrayEquals(unpacked, options.toByteArray());
        assertEquals(options, LogSubscriptionOptions.parseFrom(unpacked));
    }

    @Test
    void packedStreamsFromOtherEncodersAreAcceptedToo() throws IOException {
        byte[] packed = message(out -> out.writeByteArray(1, new byte[] {1, 2}));

        LogSubscriptionOptions decoded = LogSubscriptionOptions.parseFrom(packed);

        assertEquals(
                List.of(LogStream.LOG_STREAM_STDOUT, LogStream.LOG_STREAM_STDERR),
                decoded.getStreamsList());
    }

    @Test
    void truncatedBytesAreRejectedNotHalfRead() throws IOException {
        byte[] whole = ModelFixtures.fullTask().toByteArray();
        byte[] truncated = Arrays.copyOf(whole, whole.length - 3);

        assertThrows(InvalidProtocolBufferException.class, () -> Task.parseFrom(truncated));
    }

    @FunctionalInterface
    private interface Writer {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Writer writer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        writer.write(out);
        out.flush();
        return bytes.toByteArray();
    }

    private static ByteString empty() {
        return ByteString.EMPTY;
    }
}

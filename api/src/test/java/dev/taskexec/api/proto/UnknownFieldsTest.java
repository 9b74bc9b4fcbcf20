package dev.taskexec.api.proto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.util.JsonFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Bytes from a swarmkit that knows more fields than we do pass through a
 * decode and re-encode unchanged. The extra fields are written by hand with
 * numbers the model does not use, the way a newer swarmkit would add them.
 */
class UnknownFieldsTest {

    private static final int FUTURE_TASK_FIELD = 99;
    private static final int FUTURE_CONTAINER_FIELD = 31;

    @Test
    void topLevelFieldSurvivesDecodeAndEncode() throws IOException {
        byte[] known = ModelFixtures.fullTask().toByteArray();
        byte[] withExtra = append(known, FUTURE_TASK_FIELD, "from a newer manager");

        Task decoded = Task.parseFrom(withExtra);

        assertEquals(ModelFixtures.fullTask().getId(), decoded.getId());
        UnknownFieldSet.Field extra = decoded.getUnknownFields().getField(FUTURE_TASK_FIELD);
        assertEquals(
                ByteString.copyFromUtf8("from a newer manager"),
                extra.getLengthDelimitedList().get(0));
        assertArrayEquals(withExtra, decoded.toByteArray());
    }

    @Test
    void nestedFieldSurvivesDecodeAndEncode() throws IOException {
        Task task = ModelFixtures.fullTask();
        ContainerSpec container =
                ContainerSpec.parseFrom(
                        append(
                                task.getSpec().getContainer().toByteArray(),
                                FUTURE_CONTAINER_FIELD,
                                "gpu=all"));
        byte[] withExtra =
                task.toBuilder()
                        .setSpec(task.getSpec().toBuilder().setContainer(container))
                        .build()
                        .toByteArray();

        Task decoded = Task.parseFrom(withExtra);

        assertTrue(
                decoded.getSpec()
                        .getContainer()
                        .getUnknownFields()
                        .hasField(FUTURE_CONTAINER_FIELD));
        assertEquals(
                task.getSpec().getContainer().getImage(),
                decoded.getSpec().getContainer().getImage());
        assertArrayEquals(withExtra, decoded.toByteArray());
    }

    @Test
    void updatingAKnownFieldKeepsTheUnknownOne() throws IOException {
        // What the lifecycle does: decode a task, set a new status, encode it again.
        Task decoded =
                Task.parseFrom(
                        append(
                                ModelFixtures.fullTask().toByteArray(),
                                FUTURE_TASK_FIELD,
                                "keep me"));

        Task updated =
                decoded.toBuilder()
                        .setStatus(decoded.getStatus().toBuilder().setState(TaskState.COMPLETE))
                        .build();
        Task reread = Task.parseFrom(updated.toByteArray());

        assertEquals(TaskState.COMPLETE, reread.getStatus().getState());
        assertEquals(
                ByteString.copyFromUtf8("keep me"),
                reread.getUnknownFields()
                        .getField(FUTURE_TASK_FIELD)
                        .getLengthDelimitedList()
                        .get(0));
    }

    @Test
    void jsonDoesNotCarryUnknownFields() throws IOException {
        // Documented limit: JSON has no representation for fields without a name.
        Task decoded =
                Task.parseFrom(
                        append(ModelFixtures.fullTask().toByteArray(), FUTURE_TASK_FIELD, "lost"));

        Task.Builder fromJson = Task.newBuilder();
        JsonFormat.parser()
                .usingTypeRegistry(ModelFixtures.ANY_TYPES)
                .merge(
                        JsonFormat.printer()
                                .usingTypeRegistry(ModelFixtures.ANY_TYPES)
                                .print(decoded),
                        fromJson);

        assertFalse(fromJson.getUnknownFields().hasField(FUTURE_TASK_FIELD));
        assertEquals(ModelFixtures.fullTask(), fromJson.build());
    }

    /** The message bytes followed by one length-delimited field, as an encoder would add it. */
    private static byte[] append(byte[] message, int fieldNumber, String value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(message);
        CodedOutputStream coded = CodedOutputStream.newInstance(out);
        coded.writeString(fieldNumber, value);
        coded.flush();
        return out.toByteArray();
    }
}

package dev.taskexec.api.proto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Every modelled field survives binary and JSON encoding. The fixtures set
 * every field (see {@link ModelCoverageTest}), so a field that one of the
 * encodings drops or mangles fails here.
 */
class RoundTripTest {

    static final List<ModelFixtures.Fixture> FIXTURES = ModelFixtures.all();

    private static final JsonFormat.Printer PRINTER =
            JsonFormat.printer().usingTypeRegistry(ModelFixtures.ANY_TYPES);
    private static final JsonFormat.Parser PARSER =
            JsonFormat.parser().usingTypeRegistry(ModelFixtures.ANY_TYPES);

    @Test
    void fullTaskSurvivesBytes() throws InvalidProtocolBufferException {
        Task task = ModelFixtures.fullTask();
        byte[] bytes = task.toByteArray();

        Task decoded = Task.parseFrom(bytes);

        assertEquals(task, decoded);
        assertTrue(
                decoded.getUnknownFields().asMap().isEmpty(),
                "every field of the fixture is modelled");
        assertArrayEquals(bytes, decoded.toByteArray());
    }

    @Test
    void fullTaskSurvivesJson() throws InvalidProtocolBufferException {
        Task task = ModelFixtures.fullTask();
        String json = PRINTER.print(task);

        Task.Builder decoded = Task.newBuilder();
        PARSER.merge(json, decoded);

        assertEquals(task, decoded.build());
        // JSON names are protobuf's lowerCamelCase of swarmkit's field names.
        assertTrue(json.contains("\"desiredState\": \"RUNNING\""), json);
        assertTrue(json.contains("\"stopGracePeriod\": \"10.500s\""), json);
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("FIXTURES")
    void survivesBytes(ModelFixtures.Fixture fixture) throws InvalidProtocolBufferException {
        Message original = fixture.message();
        byte[] bytes = original.toByteArray();

        Message decoded = original.getParserForType().parseFrom(bytes);

        assertEquals(original, decoded);
        assertArrayEquals(bytes, decoded.toByteArray());
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("FIXTURES")
    void survivesJson(ModelFixtures.Fixture fixture) throws InvalidProtocolBufferException {
        Message original = fixture.message();

        Message.Builder decoded = original.newBuilderForType();
        PARSER.merge(PRINTER.print(original), decoded);

        assertEquals(original, decoded.build());
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("FIXTURES")
    void survivesJsonWithProtoFieldNames(ModelFixtures.Fixture fixture)
            throws InvalidProtocolBufferException {
        Message original = fixture.message();
        String json = PRINTER.preservingProtoFieldNames().print(original);

        Message.Builder decoded = original.newBuilderForType();
        PARSER.merge(json, decoded);

        assertEquals(original, decoded.build());
    }
}

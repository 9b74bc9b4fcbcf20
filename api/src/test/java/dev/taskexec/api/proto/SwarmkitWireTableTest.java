package dev.taskexec.api.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Wire compatibility with swarmkit, checked field by field.
 *
 * <p>{@code swarmkit-wire.txt} lists, from swarmkit's own .proto files, the
 * number, cardinality, type and JSON name of every field and the number of
 * every enum value of the messages and enums we model. Our descriptors must
 * produce exactly that table: a renumbered, retyped or invented field fails,
 * and so does a field of a modelled message that we drop.
 */
class SwarmkitWireTableTest {

    private static final String PACKAGE = "docker.swarmkit.v1.";

    @Test
    void modelMatchesSwarmkitsWireTable() throws IOException {
        Set<String> swarmkit = readTable();
        Set<String> ours = describeModel();

        Set<String> onlyOurs = new TreeSet<>(ours);
        onlyOurs.removeAll(swarmkit);
        Set<String> onlySwarmkit = new TreeSet<>(swarmkit);
        onlySwarmkit.removeAll(ours);

        assertTrue(
                onlyOurs.isEmpty() && onlySwarmkit.isEmpty(),
                "model differs from swarmkit\n  ours only:     "
                        + String.join("\n                 ", onlyOurs)
                        + "\n  swarmkit only: "
                        + String.join("\n                 ", onlySwarmkit));
        assertTrue(swarmkit.size() > 300, "table too small to mean anything: " + swarmkit.size());
    }

    /** A few numbers written out by hand, so they are readable without the table. */
    @ParameterizedTest(name = "{0}.{1} = {2}")
    @CsvSource({
        "Task, id, 1",
        "Task, spec, 3",
        "Task, status, 9",
        "Task, desired_state, 10",
        "TaskSpec, container, 1",
        "TaskSpec, attachment, 8",
        "TaskSpec, generic, 10",
        "ContainerSpec, hostname, 14",
        "ContainerSpec, stop_grace_period, 9",
        "ContainerSpec, stop_signal, 20",
        "ContainerSpec, healthcheck, 16",
        "ContainerSpec, init, 23",
        "TaskStatus, container, 5",
        "TaskStatus, applied_by, 7",
        "TaskStatus, applied_at, 8",
        "LogMessage, data, 4",
        "LogSubscriptionOptions, since, 4",
        "ContainerSpec.PullOptions, registry_auth, 64",
    })
    void pinnedFieldNumbers(String message, String field, int number) {
        Descriptor type = findMessage(message);
        FieldDescriptor descriptor = type.findFieldByName(field);
        assertNotNull(descriptor, message + "." + field + " is missing");
        assertEquals(number, descriptor.getNumber(), message + "." + field);
    }

    @Test
    void runtimeStatusIsAOneofHoldingTheContainerStatus() {
        FieldDescriptor container = TaskStatus.getDescriptor().findFieldByName("container");
        assertEquals("runtime_status", container.getRealContainingOneof().getName());
        FieldDescriptor generic = TaskSpec.getDescriptor().findFieldByName("generic");
        assertEquals("runtime", generic.getRealContainingOneof().getName());
    }

    @Test
    void timesAndDurationsUseTheWellKnownTypes() {
        assertEquals(
                "google.protobuf.Timestamp",
                TaskStatus.getDescriptor()
                        .findFieldByName("timestamp")
                        .getMessageType()
                        .getFullName());
        assertEquals(
                "google.protobuf.Duration",
                ContainerSpec.getDescriptor()
                        .findFieldByName("stop_grace_period")
                        .getMessageType()
                        .getFullName());
        assertEquals(
                "google.protobuf.BoolValue",
                ContainerSpec.getDescriptor()
                        .findFieldByName("init")
                        .getMessageType()
                        .getFullName());
    }

    private static Descriptor findMessage(String relativeName) {
        String[] parts = relativeName.split("\\.");
        Descriptor type = null;
        for (FileDescriptor file : ModelCoverageTest.MODEL_FILES) {
            type = type != null ? type : file.findMessageTypeByName(parts[0]);
        }
        assertNotNull(type, relativeName);
        for (int i = 1; i < parts.length; i++) {
            type = type.findNestedTypeByName(parts[i]);
            assertNotNull(type, relativeName);
        }
        return type;
    }

    private static Set<String> readTable() throws IOException {
        Set<String> lines = new TreeSet<>();
        try (InputStream in =
                SwarmkitWireTableTest.class.getResourceAsStream("swarmkit-wire.txt")) {
            assertNotNull(in, "swarmkit-wire.txt is missing from the test resources");
            BufferedReader reader =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    lines.add(line.strip());
                }
            }
        }
        return lines;
    }

    /** Our descriptors, in the table's format. */
    private static Set<String> describeModel() {
        Set<String> lines = new TreeSet<>();
        for (FileDescriptor file : ModelCoverageTest.MODEL_FILES) {
            file.getEnumTypes().forEach(e -> describe(e, lines));
            file.getMessageTypes().forEach(m -> describe(m, lines));
        }
        return lines;
    }

    private static void describe(Descriptor type, Set<String> lines) {
        if (type.getOptions().getMapEntry()) {
            return;
        }
        for (FieldDescriptor field : type.getFields()) {
            lines.add(
                    "field "
                            + relative(type.getFullName())
                            + " "
                            + field.getName()
                            + " "
                            + field.getNumber()
                            + " "
                            + label(field)
                            + " "
                            + type(field)
                            + " json="
                            + field.getJsonName());
        }
        type.getEnumTypes().forEach(e -> describe(e, lines));
        type.getNestedTypes().forEach(nested -> describe(nested, lines));
    }

    private static void describe(EnumDescriptor type, Set<String> lines) {
        for (EnumValueDescriptor value : type.getValues()) {
            lines.add(
                    "enum "
                            + relative(type.getFullName())
                            + " "
                            + value.getName()
                            + " "
                            + value.getNumber());
        }
    }

    private static String label(FieldDescriptor field) {
        if (field.isMapField()) {
            return "map";
        }
        if (field.isRepeated()) {
            return field.isPacked() ? "repeated-packed" : "repeated";
        }
        if (field.getRealContainingOneof() != null) {
            return "oneof:" + field.getRealContainingOneof().getName();
        }
        return field.hasPresence() ? "optional" : "singular";
    }

    private static String type(FieldDescriptor field) {
        return switch (field.getType()) {
            case MESSAGE -> "message:" + field.getMessageType().getFullName();
            case ENUM -> "enum:" + field.getEnumType().getFullName();
            default -> field.getType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static String relative(String fullName) {
        assertTrue(fullName.startsWith(PACKAGE), fullName);
        return fullName.substring(PACKAGE.length());
    }
}

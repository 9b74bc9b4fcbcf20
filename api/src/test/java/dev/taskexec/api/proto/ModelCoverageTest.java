package dev.taskexec.api.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Message;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Guards the round-trip tests: they only prove something for fields the
 * fixtures actually set. This walks every message type in the model and
 * fails, naming the fields, when {@link ModelFixtures#all()} leaves one unset.
 *
 * <p>A oneof member counts as covered when any fixture sets it, so each
 * alternative of a oneof must appear in some fixture. Scalars without
 * presence count only with a non-default value, since a default is not on the
 * wire at all. Well-known types (Timestamp, Duration, Any, wrappers) must be
 * set, but their own fields are protobuf's business and are not walked.
 */
class ModelCoverageTest {

    static final List<FileDescriptor> MODEL_FILES =
            List.of(
                    TypesProto.getDescriptor(),
                    SpecsProto.getDescriptor(),
                    ObjectsProto.getDescriptor(),
                    LogBrokerProto.getDescriptor());

    @Test
    void fixturesSetEveryFieldOfEveryModelledMessage() {
        Set<String> required = new TreeSet<>();
        for (FileDescriptor file : MODEL_FILES) {
            for (Descriptor type : file.getMessageTypes()) {
                requireFields(type, required);
            }
        }
        Set<String> covered = new TreeSet<>();
        for (ModelFixtures.Fixture fixture : ModelFixtures.all()) {
            collectSetFields(fixture.message(), covered);
        }
        Set<String> missing =
                required.stream()
                        .filter(name -> !covered.contains(name))
                        .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(
                missing.isEmpty(), "ModelFixtures leaves these modelled fields unset: " + missing);
    }

    @Test
    void modelIsNotTriviallySmall() {
        // Protects the test above from passing vacuously (e.g. a wrong descriptor list).
        Set<String> required = new TreeSet<>();
        MODEL_FILES.forEach(f -> f.getMessageTypes().forEach(t -> requireFields(t, required)));
        assertTrue(required.size() > 250, "only " + required.size() + " fields found in the model");
        assertTrue(required.contains("docker.swarmkit.v1.Task.status"));
        assertEquals("docker.swarmkit.v1", Task.getDescriptor().getFile().getPackage());
    }

    private static void requireFields(Descriptor type, Set<String> into) {
        if (type.getOptions().getMapEntry()) {
            return; // a map field counts as set when it has an entry
        }
        type.getFields().forEach(f -> into.add(f.getFullName()));
        type.getNestedTypes().forEach(nested -> requireFields(nested, into));
    }

    private static void collectSetFields(Message message, Set<String> into) {
        for (FieldDescriptor field : message.getDescriptorForType().getFields()) {
            if (field.isRepeated()) {
                int count = message.getRepeatedFieldCount(field);
                if (count > 0) {
                    into.add(field.getFullName());
                }
                for (int i = 0; i < count; i++) {
                    Object element = message.getRepeatedField(field, i);
                    if (field.isMapField()) {
                        Message entry = (Message) element;
                        FieldDescriptor value =
                                entry.getDescriptorForType().findFieldByName("value");
                        if (value.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                            walkInto((Message) entry.getField(value), into);
                        }
                    } else if (element instanceof Message nested) {
                        walkInto(nested, into);
                    }
                }
            } else if (field.hasPresence()) {
                if (message.hasField(field)) {
                    into.add(field.getFullName());
                    if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                        walkInto((Message) message.getField(field), into);
                    }
                }
            } else if (!message.getField(field).equals(field.getDefaultValue())) {
                into.add(field.getFullName());
            }
        }
    }

    private static void walkInto(Message nested, Set<String> into) {
        if (!nested.getDescriptorForType().getFullName().startsWith("google.protobuf.")) {
            collectSetFields(nested, into);
        }
    }
}

package dev.taskexec.cli.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.taskexec.api.input.Limits;
import dev.taskexec.api.input.TaskInput;
import dev.taskexec.api.proto.Task;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Fuzzes the two decoders of untrusted tasks: the command's task-file reader ({@link TaskFile})
 * and the protobuf decoder every manager-facing entry point uses ({@link TaskInput#parse}).
 *
 * <p>Inputs are random tasks over the whole model (any field, strings from empty to beyond the
 * limits, long lists, control characters), encoded as JSON or protobuf, then mutated at the byte
 * level (flips, insertions, deletions, duplications, truncation, deep nesting, huge values). For
 * every input the decoder must return a task or throw an {@code IllegalArgumentException} whose
 * message is one line of at most 1 KiB, within 5 s; anything else (a stack overflow, another
 * exception, a hang) fails with the seed that reproduces it.
 *
 * <p>Bounded by time: {@code taskexec.fuzz.seconds} per property (default 8). The long campaign:
 * {@code bin/with-jdk ./mvnw -B -pl cli -am test -Dtest=TaskDecoderFuzzTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dtaskexec.fuzz.seconds=600}.
 */
class TaskDecoderFuzzTest {

    private static final long SECONDS = Long.getLong("taskexec.fuzz.seconds", 8);
    private static final int MAX_MESSAGE_BYTES = 1024;

    /** A seed does not shrink into a smaller input, so shrinking only costs time: a few tries. */
    private static final int SHRINKS = 5;

    @Test
    void taskFilesNeverCrashHangOrEchoMuch() {
        qt().withExamples(Integer.MAX_VALUE)
                .withTestingTime(SECONDS, TimeUnit.SECONDS)
                .withShrinkCycles(SHRINKS)
                .forAll(inputs(true))
                .checkAssert(
                        input ->
                                decode(
                                        input,
                                        bytes ->
                                                TaskFile.parse(
                                                        new String(bytes, StandardCharsets.UTF_8),
                                                        "t.json")));
    }

    @Test
    void protobufBytesNeverCrashHangOrEchoMuch() {
        qt().withExamples(Integer.MAX_VALUE)
                .withTestingTime(SECONDS, TimeUnit.SECONDS)
                .withShrinkCycles(SHRINKS)
                .forAll(inputs(false))
                .checkAssert(
                        input -> decode(input, bytes -> TaskInput.parse(bytes, Limits.defaults())));
    }

    /** One fuzz input: the seed that made it, for the failure message, and its bytes. */
    record Input(long seed, byte[] bytes) {
        @Override
        public String toString() {
            return "seed " + seed + " (" + bytes.length + " bytes)";
        }
    }

    private static Gen<Input> inputs(boolean json) {
        return longs().all()
                .zip(
                        integers().between(0, 6),
                        (seed, mutations) -> {
                            Random random = new Random(seed);
                            Task task = (Task) randomMessage(Task.newBuilder(), random, 0);
                            byte[] bytes = json ? json(task, random) : task.toByteArray();
                            for (int i = 0; i < mutations; i++) {
                                bytes = mutate(bytes, random, json);
                            }
                            return new Input(seed, bytes);
                        });
    }

    private static void decode(Input input, Function<byte[], Task> decoder) {
        java.util.concurrent.CompletableFuture<Throwable> outcome =
                new java.util.concurrent.CompletableFuture<>();
        // a thread per input, with the default stack size, so a hung decoder cannot hold up the
        // next
        Thread decoding =
                new Thread(
                        () -> {
                            try {
                                decoder.apply(input.bytes());
                                outcome.complete(null);
                            } catch (Throwable t) {
                                outcome.complete(t);
                            }
                        },
                        "fuzz-decoder");
        decoding.setDaemon(true);
        decoding.start();
        Throwable thrown;
        try {
            thrown = outcome.get(5, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            StackTraceElement[] where = decoding.getStackTrace();
            fail(
                    input
                            + ": decoding took over 5 s, in "
                            + java.util.Arrays.toString(
                                    java.util.Arrays.copyOf(where, Math.min(8, where.length))));
            return;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        if (thrown == null) {
            return;
        }
        if (!(thrown instanceof IllegalArgumentException)) {
            throw new AssertionError(input + ": threw " + thrown, thrown);
        }
        String message = thrown.getMessage();
        assertTrue(message != null && !message.isBlank(), input + ": no message");
        int size = message.getBytes(StandardCharsets.UTF_8).length;
        assertTrue(
                size <= MAX_MESSAGE_BYTES,
                input
                        + ": message of "
                        + size
                        + " bytes: "
                        + message.substring(0, Math.min(200, message.length())));
        assertFalse(
                message.contains("\n") || message.contains("\r"),
                input + ": message on several lines");
    }

    private static byte[] json(Task task, Random random) {
        try {
            String text =
                    random.nextBoolean()
                            ? JsonFormat.printer().print(task)
                            : JsonFormat.printer()
                                    .preservingProtoFieldNames()
                                    .omittingInsignificantWhitespace()
                                    .print(task);
            return text.getBytes(StandardCharsets.UTF_8);
        } catch (Exception unprintable) {
            return "{\"id\":\"unprintable\"}".getBytes(StandardCharsets.UTF_8);
        }
    }

    // ---- random tasks over the model ----

    private static Message randomMessage(Message.Builder builder, Random random, int depth) {
        Descriptor type = builder.getDescriptorForType();
        if (type.getFullName().equals("google.protobuf.Any")) {
            return builder.build(); // JSON needs a registry for whatever an Any holds
        }
        if (type.getFullName().equals("google.protobuf.Duration")) {
            return com.google.protobuf.Duration.newBuilder()
                    .setSeconds(random.nextInt(1_000_000) - 1000)
                    .setNanos(random.nextInt(1_000_000_000))
                    .build();
        }
        if (type.getFullName().equals("google.protobuf.Timestamp")) {
            return com.google.protobuf.Timestamp.newBuilder()
                    .setSeconds(random.nextInt(2_000_000_000))
                    .build();
        }
        List<FieldDescriptor> fields = type.getFields();
        int count = depth > 6 ? 0 : random.nextInt(Math.min(fields.size(), 6) + 1);
        for (int i = 0; i < count; i++) {
            FieldDescriptor field = fields.get(random.nextInt(fields.size()));
            if (field.isRepeated()) {
                boolean many = random.nextInt(20) == 0;
                int n = many ? 9_000 + random.nextInt(2_000) : random.nextInt(4);
                if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                    n = Math.min(n, depth < 3 ? 50 : 4);
                }
                for (int j = 0; j < n; j++) {
                    // long lists hold short values, so one input stays within a few megabytes
                    Object value =
                            many && field.getJavaType() == FieldDescriptor.JavaType.STRING
                                    ? "v" + j
                                    : randomValue(builder, field, random, depth);
                    builder.addRepeatedField(field, value);
                }
            } else {
                builder.setField(field, randomValue(builder, field, random, depth));
            }
        }
        return builder.build();
    }

    private static Object randomValue(
            Message.Builder parent, FieldDescriptor field, Random random, int depth) {
        return switch (field.getJavaType()) {
            case STRING -> randomString(random);
            case BYTE_STRING ->
                    ByteString.copyFrom(randomString(random).getBytes(StandardCharsets.UTF_8));
            case BOOLEAN -> random.nextBoolean();
            case INT -> random.nextInt();
            case LONG -> random.nextLong();
            case FLOAT -> random.nextFloat();
            case DOUBLE -> random.nextDouble();
            case ENUM -> {
                List<EnumValueDescriptor> values = field.getEnumType().getValues();
                yield values.get(random.nextInt(values.size()));
            }
            case MESSAGE -> randomMessage(parent.newBuilderForField(field), random, depth + 1);
        };
    }

    private static String randomString(Random random) {
        int kind = random.nextInt(200);
        if (kind == 0) {
            return "x".repeat(Limits.DEFAULT_MAX_STRING_LENGTH + 1 + random.nextInt(100_000));
        }
        kind %= 40;
        int length = kind < 30 ? random.nextInt(12) : random.nextInt(3000);
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.appendCodePoint(
                    switch (random.nextInt(6)) {
                        case 0 -> random.nextInt(32); // control characters
                        case 1 -> '"' + random.nextInt(2) * ('\\' - '"');
                        case 2 -> 0x80 + random.nextInt(0x2000); // beyond ASCII
                        case 3 -> 0x1F600 + random.nextInt(50); // outside the BMP
                        default -> 'a' + random.nextInt(26);
                    });
        }
        return s.toString();
    }

    // ---- byte-level mutations ----

    private static final byte[][] JSON_PIECES = {
        "{".getBytes(),
        "[".getBytes(),
        "}".getBytes(),
        "]".getBytes(),
        "\"".getBytes(),
        "\\".getBytes(),
        ":".getBytes(),
        ",".getBytes(),
        "null".getBytes(),
        "1e999999".getBytes(),
        "-0".getBytes(),
        "\"spec\":".getBytes(),
        "{\"container\":".getBytes(),
        "\"@type\":\"x\"".getBytes(),
    };

    private static byte[] mutate(byte[] in, Random random, boolean json) {
        int at = in.length == 0 ? 0 : random.nextInt(in.length + 1);
        return switch (random.nextInt(json ? 8 : 7)) {
            case 0 -> { // flip bits of one byte
                if (in.length == 0) {
                    yield in;
                }
                byte[] out = in.clone();
                int i = random.nextInt(in.length);
                out[i] ^= (byte) (1 << random.nextInt(8));
                yield out;
            }
            case 1 -> insert(in, at, randomBytes(random, 1 + random.nextInt(16)));
            case 2 -> { // delete a range
                int end = Math.min(in.length, at + random.nextInt(64));
                byte[] out = new byte[in.length - (end - at)];
                System.arraycopy(in, 0, out, 0, at);
                System.arraycopy(in, end, out, at, in.length - end);
                yield out;
            }
            case 3 -> { // duplicate a range
                int end = Math.min(in.length, at + random.nextInt(256));
                yield insert(in, at, java.util.Arrays.copyOfRange(in, at, end));
            }
            case 4 -> java.util.Arrays.copyOf(in, at); // truncate
            case 5 -> { // deep nesting
                int n = 50 + random.nextInt(20_000);
                String open = json ? (random.nextBoolean() ? "{\"a\":" : "[") : "";
                if (!json) {
                    byte[] group =
                            new byte[n * 2]; // start-group tags of field 99, or of a real field
                    int field = random.nextBoolean() ? 99 : 1 + random.nextInt(20);
                    for (int i = 0; i < n; i++) {
                        group[2 * i] = (byte) ((field << 3 | 3) & 0x7f | 0x80);
                        group[2 * i + 1] = (byte) (field >> 4);
                    }
                    yield insert(in, at, group);
                }
                yield insert(in, at, open.repeat(n).getBytes(StandardCharsets.UTF_8));
            }
            case 6 -> { // a huge run
                byte[] run = new byte[200_000 + random.nextInt(300_000)];
                java.util.Arrays.fill(run, json ? (byte) 'z' : (byte) random.nextInt(256));
                yield insert(in, at, run);
            }
            default -> insert(in, at, JSON_PIECES[random.nextInt(JSON_PIECES.length)]);
        };
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] insert(byte[] in, int at, byte[] piece) {
        byte[] out = new byte[in.length + piece.length];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(piece, 0, out, at, piece.length);
        System.arraycopy(in, at, out, at + piece.length, in.length - at);
        return out;
    }
}

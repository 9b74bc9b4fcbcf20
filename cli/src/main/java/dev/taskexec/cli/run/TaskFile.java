package dev.taskexec.cli.run;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.taskexec.api.input.Limits;
import dev.taskexec.api.input.Quote;
import dev.taskexec.api.input.TaskInput;
import dev.taskexec.api.input.TaskInputException;
import dev.taskexec.api.proto.Task;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a task from a file of protobuf JSON ({@link JsonFormat}: field names in lowerCamelCase or
 * as in the {@code .proto}, enums by name, durations as {@code "10s"}).
 *
 * <p>The reader is strict: an unknown field is an error, because in a hand-written file it is
 * almost always a misspelling that would otherwise be ignored silently. When the file is wrong,
 * the error is one line that points at the offending place with a JSON path such as
 * {@code $.spec.container.args[1]}, and suggests the field meant when a name is misspelt.
 * JsonFormat itself reports only the field name, so the reader locates the problem by walking the
 * document alongside the message descriptors and re-checking each field on its own.
 *
 * <p>The file is untrusted input: it goes through api's guard ({@link TaskInput} with
 * {@link Limits#defaults()}) before and after parsing, so a file that is too large, nests too
 * deeply, or holds an over-long string or list is refused with one short line naming the field and
 * the limit, and no input makes the reader throw anything but {@code IllegalArgumentException}.
 */
public final class TaskFile {

    private TaskFile() {}

    private static final JsonFormat.Parser PARSER = JsonFormat.parser();
    private static final Pattern SIMPLE_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Limits LIMITS = Limits.defaults();

    /** Longest field name shown in a path; a hostile file's keys can be megabytes long. */
    private static final int MAX_KEY_SHOWN = 40;

    /** Longest parser message kept; a hostile file's values can be megabytes long. */
    private static final int MAX_MESSAGE = 300;

    /**
     * Reads and parses the task in {@code file}.
     *
     * @param file a UTF-8 file holding one {@code Task} as JSON
     * @return the task as written (nothing defaulted)
     * @throws IllegalArgumentException if the file cannot be read or is not a valid task; the
     *     message is one line that names the file and, for content errors, the JSON path
     */
    public static Task read(Path file) {
        String json;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            json = TaskInput.readJson(in, LIMITS);
        } catch (TaskInputException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (MalformedInputException e) {
            throw new IllegalArgumentException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read: " + e.getMessage(), e);
        }
        return parse(json, file.toString());
    }

    /**
     * Parses one task from JSON text.
     *
     * @param json the JSON text
     * @param source what to call the text in an error (usually the file name)
     * @return the task
     * @throws IllegalArgumentException if the text is not a valid task: {@code source: $.path:
     *     what is wrong}
     */
    public static Task parse(String json, String source) {
        if (json.isBlank()) {
            throw new IllegalArgumentException(
                    source + ": the file is empty; it should hold one task as a JSON object");
        }
        try {
            TaskInput.checkJson(json, LIMITS);
        } catch (TaskInputException e) {
            throw refusal(source, e);
        }
        Task.Builder task = Task.newBuilder();
        try {
            PARSER.merge(json, task);
        } catch (InvalidProtocolBufferException | RuntimeException failure) {
            throw new IllegalArgumentException(
                    source + ": " + Quote.clip(diagnose(json, failure), 400), failure);
        }
        try {
            return TaskInput.check(task.build(), LIMITS);
        } catch (TaskInputException e) {
            throw refusal(source, e);
        }
    }

    /** A refusal of the input as {@code source: $.path: what is wrong}, as the parser's are. */
    private static IllegalArgumentException refusal(String source, TaskInputException e) {
        return new IllegalArgumentException(
                source + ": " + (e.field().equals("$") ? "" : "$.") + e.getMessage());
    }

    /** One line locating what made {@code json} fail to parse as a task. */
    private static String diagnose(String json, Exception failure) {
        Value.Builder document = Value.newBuilder();
        try {
            PARSER.merge(json, document);
        } catch (InvalidProtocolBufferException | RuntimeException notJson) {
            return "not valid JSON: " + innermostMessage(notJson);
        }
        if (document.getKindCase() != Value.KindCase.STRUCT_VALUE) {
            return "$: expected a JSON object (a task), found " + kind(document.build());
        }
        return locate(document.getStructValue(), Task.getDescriptor(), "$")
                .orElse("$: " + innermostMessage(failure));
    }

    /** The first problem inside {@code object}, read as a {@code type}, with its path. */
    private static Optional<String> locate(Struct object, Descriptor type, String path) {
        for (Map.Entry<String, Value> entry : object.getFieldsMap().entrySet()) {
            String key = entry.getKey();
            Value value = entry.getValue();
            String at = path + member(key);
            FieldDescriptor field = field(type, key);
            if (field == null) {
                return Optional.of(
                        at
                                + ": "
                                + type.getName()
                                + " has no field "
                                + quoteKey(key)
                                + suggestion(type, key));
            }
            if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                    && !field.isMapField()
                    && !isWellKnown(field.getMessageType())
                    && value.getKindCase() != Value.KindCase.NULL_VALUE) {
                Optional<String> inner =
                        field.isRepeated()
                                ? locateInList(value, field.getMessageType(), at)
                                : value.getKindCase() == Value.KindCase.STRUCT_VALUE
                                        ? locate(value.getStructValue(), field.getMessageType(), at)
                                        : Optional.of(
                                                at
                                                        + ": expected an object (a "
                                                        + field.getMessageType().getName()
                                                        + "), found "
                                                        + kind(value));
                if (inner.isPresent()) {
                    return inner;
                }
            }
            Optional<String> alone = check(type, Struct.newBuilder().putFields(key, value).build());
            if (alone.isPresent()) {
                return Optional.of(at + ": " + alone.get());
            }
        }
        return check(type, object).map(problem -> path + ": " + problem);
    }

    private static Optional<String> locateInList(Value value, Descriptor type, String path) {
        if (value.getKindCase() != Value.KindCase.LIST_VALUE) {
            return Optional.of(
                    path + ": expected an array (of " + type.getName() + "), found " + kind(value));
        }
        ListValue list = value.getListValue();
        for (int i = 0; i < list.getValuesCount(); i++) {
            Value element = list.getValues(i);
            String at = path + "[" + i + "]";
            if (element.getKindCase() != Value.KindCase.STRUCT_VALUE) {
                return Optional.of(
                        at
                                + ": expected an object (a "
                                + type.getName()
                                + "), found "
                                + kind(element));
            }
            Optional<String> inner = locate(element.getStructValue(), type, at);
            if (inner.isPresent()) {
                return inner;
            }
        }
        return Optional.empty();
    }

    /** Parses {@code object} as a {@code type}; the problem, if it fails. */
    private static Optional<String> check(Descriptor type, Struct object) {
        try {
            String text = JsonFormat.printer().print(object);
            PARSER.merge(text, com.google.protobuf.DynamicMessage.newBuilder(type));
            return Optional.empty();
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return Optional.of(innermostMessage(e));
        }
    }

    private static FieldDescriptor field(Descriptor type, String key) {
        for (FieldDescriptor f : type.getFields()) {
            if (f.getJsonName().equals(key) || f.getName().equals(key)) {
                return f;
            }
        }
        return null;
    }

    private static boolean isWellKnown(Descriptor type) {
        return type.getFile().getPackage().equals("google.protobuf");
    }

    private static String suggestion(Descriptor type, String key) {
        if (key.length() > MAX_KEY_SHOWN) {
            return ""; // no field name is that long; comparing would cost time in proportion to the
            // key
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (FieldDescriptor f : type.getFields()) {
            for (String name : List.of(f.getJsonName(), f.getName())) {
                int d = distance(key.toLowerCase(), name.toLowerCase());
                if (d < bestDistance) {
                    bestDistance = d;
                    best = f.getJsonName();
                }
            }
        }
        if (best != null && bestDistance <= Math.max(2, key.length() / 3)) {
            return " (did you mean '" + best + "'?)";
        }
        List<String> names = new ArrayList<>();
        type.getFields().forEach(f -> names.add(f.getJsonName()));
        return "; its fields are " + String.join(", ", names);
    }

    /** Levenshtein distance; field names are short, so the quadratic table is fine. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static String quoteKey(String key) {
        return key.length() <= MAX_KEY_SHOWN && SIMPLE_KEY.matcher(key).matches()
                ? "'" + key + "'"
                : Quote.of(key);
    }

    private static String member(String key) {
        if (key.length() > MAX_KEY_SHOWN) {
            return "[" + Quote.of(key) + "]";
        }
        return SIMPLE_KEY.matcher(key).matches()
                ? "." + key
                : "['" + key.replace("'", "\\'") + "']";
    }

    private static String kind(Value value) {
        return switch (value.getKindCase()) {
            case NULL_VALUE -> "null";
            case NUMBER_VALUE -> "a number";
            case STRING_VALUE -> "a string";
            case BOOL_VALUE -> "a boolean";
            case STRUCT_VALUE -> "an object";
            case LIST_VALUE -> "an array";
            case KIND_NOT_SET -> "nothing";
        };
    }

    private static String innermostMessage(Throwable failure) {
        return Quote.failure(failure, MAX_MESSAGE);
    }
}

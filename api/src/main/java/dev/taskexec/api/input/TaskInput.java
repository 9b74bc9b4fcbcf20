package dev.taskexec.api.input;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MapEntry;
import com.google.protobuf.Message;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.taskexec.api.proto.Task;
import java.io.IOException;
import java.io.Reader;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * Decodes and checks tasks from untrusted input: the one guard every entry point that decodes
 * tasks goes through (the command's task files, a manager's assignment stream).
 *
 * <p>Each method either returns a task within the {@link Limits} or throws a
 * {@link TaskInputException} whose message is one line of at most a few hundred characters; no
 * other {@code Throwable} escapes for any input. Deep JSON nesting is refused by a scan of the
 * text before protobuf's recursive JSON parser runs; protobuf bytes are decoded with the depth
 * bound as the parser's recursion limit. Stateless and thread-safe.
 *
 * <p>{@link #parseJson} needs {@code com.google.protobuf:protobuf-java-util} on the class path
 * (an optional dependency of this jar); the rest needs only protobuf-java.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class TaskInput {

    /** Longest parser message kept in an error; parsers may echo the input. */
    private static final int MAX_MESSAGE = 240;

    private TaskInput() {}

    /**
     * Parses one task from protobuf JSON ({@code JsonFormat}: lowerCamelCase or {@code .proto}
     * field names, enums by name); an unknown field is an error.
     *
     * @param json the text; read up to one character past {@code limits.maxTotalSize()}, not closed
     * @param limits the bounds
     * @return the task, within the bounds
     * @throws TaskInputException if the text is not a task or is outside the bounds
     * @throws IOException if reading fails
     */
    public static Task parseJson(Reader json, Limits limits) throws IOException {
        String text = readJson(json, limits);
        checkJson(text, limits);
        Task.Builder task = Task.newBuilder();
        try {
            JsonFormat.parser().merge(text, task);
        } catch (InvalidProtocolBufferException | RuntimeException | StackOverflowError e) {
            throw new TaskInputException("$", "not a valid task: " + parserMessage(e));
        }
        return check(task.build(), limits);
    }

    /**
     * Decodes one task from its protobuf encoding. Fields this model does not know are kept as
     * unknown fields, as protobuf does.
     *
     * @param bytes the encoding
     * @param limits the bounds
     * @return the task, within the bounds
     * @throws TaskInputException if the bytes are not a task or the task is outside the bounds
     */
    public static Task parse(byte[] bytes, Limits limits) {
        if (bytes.length > limits.maxTotalSize()) {
            throw new TaskInputException(
                    "$",
                    bytes.length
                            + " bytes, above the limit of "
                            + limits.maxTotalSize()
                            + " (maxTotalSize)");
        }
        Task task;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setRecursionLimit(limits.maxDepth());
            task = Task.parseFrom(in);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw new TaskInputException("$", "not a valid task encoding: " + parserMessage(e));
        }
        return check(task, limits);
    }

    /**
     * Checks JSON text against the size and depth bounds without parsing it, so a recursive parser
     * can then be run on it safely, and refuses a number with an exponent beyond {@value
     * #MAX_EXPONENT} either way (protobuf's parser would expand it into an exact integer for an
     * integer field, for minutes). Strings are skipped, escapes included.
     *
     * @param json the text
     * @param limits the bounds
     * @throws TaskInputException if the text is longer than {@code maxTotalSize} characters, its
     *     objects and arrays nest deeper than {@code maxDepth}, or it holds such a number
     */
    public static void checkJsonText(CharSequence json, Limits limits) {
        if (json.length() > limits.maxTotalSize()) {
            throw new TaskInputException(
                    "$",
                    "more than "
                            + limits.maxTotalSize()
                            + " characters of JSON, above the limit (maxTotalSize)");
        }
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                if (++depth > limits.maxDepth()) {
                    throw new TaskInputException(
                            "$",
                            "objects and arrays nest deeper than "
                                    + limits.maxDepth()
                                    + " levels (maxDepth), at character "
                                    + i);
                }
            } else if (c == '}' || c == ']') {
                depth--;
            } else if (c == '-' || (c >= '0' && c <= '9')) {
                int end = i + 1;
                while (end < json.length() && "+-.eE0123456789".indexOf(json.charAt(end)) >= 0) {
                    end++;
                }
                if (hugeExponent(json.subSequence(i, end), MAX_EXPONENT)) {
                    throw new TaskInputException(
                            "$",
                            "a number whose exponent is beyond "
                                    + MAX_EXPONENT
                                    + " at character "
                                    + i
                                    + ": no field holds such a value");
                }
                i = end - 1;
            }
        }
    }

    /** Largest exponent a number given to an integer field may carry; see checkJson. */
    private static final int MAX_INTEGER_EXPONENT = 30;

    /** Largest exponent of a JSON number anywhere: beyond it no field's type holds the value. */
    private static final int MAX_EXPONENT = 400;

    /**
     * Every check of JSON text that must come before protobuf's JSON parser: {@link
     * #checkJsonText} (size, nesting, unquoted numbers with huge exponents), then a walk of the
     * task's fields that refuses an integer field given, in quotes, a number with an exponent
     * beyond {@value #MAX_INTEGER_EXPONENT} either way ({@code "1e999999"}): the parser turns such
     * a number into an exact integer before it finds it out of range, and spends minutes
     * expanding the power of ten. The same text in a string field is just a string. Text that is
     * not JSON is left to the parser to describe.
     *
     * <p>Needs {@code protobuf-java-util} on the class path, as {@link #parseJson}.
     *
     * @param json the text
     * @param limits the bounds
     * @throws TaskInputException naming the bound, or the field, that the text is outside of
     */
    public static void checkJson(String json, Limits limits) {
        checkJsonText(json, limits);
        Value.Builder root = Value.newBuilder();
        try {
            JsonFormat.parser().merge(json, root); // numbers become doubles: no exact expansion
        } catch (InvalidProtocolBufferException | RuntimeException notJson) {
            return;
        }
        refuseHugeIntegers(root.build(), Task.getDescriptor(), "");
    }

    /** The walk of {@link #checkJson}: {@code value} read as a {@code type} at {@code path}. */
    private static void refuseHugeIntegers(Value value, Descriptors.Descriptor type, String path) {
        if (!value.hasStructValue() || type.getFile().getPackage().equals("google.protobuf")) {
            return; // well-known types (durations, timestamps...) have parsers of their own
        }
        for (var entry : value.getStructValue().getFieldsMap().entrySet()) {
            FieldDescriptor field = null;
            for (FieldDescriptor f : type.getFields()) {
                if (f.getName().equals(entry.getKey()) || f.getJsonName().equals(entry.getKey())) {
                    field = f;
                    break;
                }
            }
            if (field == null) {
                continue; // an unknown field: the parser refuses it
            }
            String at = path.isEmpty() ? field.getName() : path + "." + field.getName();
            Value item = entry.getValue();
            if (field.isMapField()) {
                FieldDescriptor mapValue = field.getMessageType().findFieldByName("value");
                for (var e : item.getStructValue().getFieldsMap().entrySet()) {
                    refuseHugeInteger(
                            mapValue, e.getValue(), at + "[" + Quote.of(e.getKey()) + "]");
                }
            } else if (field.isRepeated() && item.hasListValue()) {
                int i = 0;
                for (Value element : item.getListValue().getValuesList()) {
                    refuseHugeInteger(field, element, at + "[" + i++ + "]");
                }
            } else {
                refuseHugeInteger(field, item, at);
            }
        }
    }

    private static void refuseHugeInteger(FieldDescriptor field, Value value, String path) {
        switch (field.getJavaType()) {
            case MESSAGE -> refuseHugeIntegers(value, field.getMessageType(), path);
            case INT, LONG -> {
                if (value.hasStringValue()
                        && hugeExponent(value.getStringValue(), MAX_INTEGER_EXPONENT)) {
                    throw new TaskInputException(
                            path,
                            "a number whose exponent is beyond "
                                    + MAX_INTEGER_EXPONENT
                                    + ", for an integer field");
                }
            }
            default -> {
                // strings, floating point, enums, bools: their parsers are not slowed by a value
            }
        }
    }

    /** Whether {@code text} is a number written with an exponent beyond {@code bound}. */
    private static boolean hugeExponent(CharSequence text, int bound) {
        String t = text.toString();
        int e = Math.max(t.indexOf('e'), t.indexOf('E'));
        if (e < 0) {
            return false;
        }
        String exponent = t.substring(e + 1).strip();
        if (exponent.startsWith("+") || exponent.startsWith("-")) {
            exponent = exponent.substring(1);
        }
        exponent = exponent.replaceFirst("^0+(?=.)", "");
        if (exponent.isEmpty() || !exponent.chars().allMatch(Character::isDigit)) {
            return false; // not a number: the parser refuses it
        }
        return exponent.length() > 9 || Integer.parseInt(exponent) > bound;
    }

    /**
     * Checks a task made or decoded elsewhere against the bounds: its encoded size, the nesting of
     * its messages, and every string, bytes, list and map field, set or unknown.
     *
     * @param task the task
     * @param limits the bounds
     * @return {@code task}
     * @throws TaskInputException naming the first field outside the bounds
     */
    public static Task check(Task task, Limits limits) {
        int size = task.getSerializedSize();
        if (size > limits.maxTotalSize()) {
            throw new TaskInputException(
                    "$",
                    size
                            + " bytes encoded, above the limit of "
                            + limits.maxTotalSize()
                            + " (maxTotalSize)");
        }
        checkMessage(task, "", 1, limits);
        return task;
    }

    private static void checkMessage(Message message, String path, int depth, Limits limits) {
        if (depth > limits.maxDepth()) {
            throw new TaskInputException(
                    path.isEmpty() ? "$" : path,
                    "messages nest deeper than " + limits.maxDepth() + " levels (maxDepth)");
        }
        for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
            FieldDescriptor field = e.getKey();
            String at = path.isEmpty() ? field.getName() : path + "." + field.getName();
            if (field.isRepeated()) {
                List<?> values = (List<?>) e.getValue();
                if (values.size() > limits.maxListSize()) {
                    throw new TaskInputException(
                            at,
                            values.size()
                                    + " entries, above the limit of "
                                    + limits.maxListSize()
                                    + " (maxListSize)");
                }
                for (int i = 0; i < values.size(); i++) {
                    Object value = values.get(i);
                    if (field.isMapField() && value instanceof MapEntry<?, ?> entry) {
                        String key = String.valueOf(entry.getKey());
                        String keyed = at + "[" + Quote.of(key) + "]";
                        checkString(keyed + " (key)", key, limits);
                        checkValue(
                                field.getMessageType().findFieldByName("value"),
                                entry.getValue(),
                                keyed,
                                depth,
                                limits);
                    } else {
                        checkValue(field, value, at + "[" + i + "]", depth, limits);
                    }
                }
            } else {
                checkValue(field, e.getValue(), at, depth, limits);
            }
        }
        for (Map.Entry<Integer, com.google.protobuf.UnknownFieldSet.Field> e :
                message.getUnknownFields().asMap().entrySet()) {
            String at = (path.isEmpty() ? "" : path + ".") + "<unknown field " + e.getKey() + ">";
            for (ByteString bytes : e.getValue().getLengthDelimitedList()) {
                if (bytes.size() > limits.maxStringLength()) {
                    throw new TaskInputException(
                            at,
                            bytes.size()
                                    + " bytes, above the limit of "
                                    + limits.maxStringLength()
                                    + " (maxStringLength)");
                }
            }
        }
    }

    private static void checkValue(
            FieldDescriptor field, Object value, String at, int depth, Limits limits) {
        if (value instanceof String s) {
            checkString(at, s, limits);
        } else if (value instanceof ByteString b && b.size() > limits.maxStringLength()) {
            throw new TaskInputException(
                    at,
                    b.size()
                            + " bytes, above the limit of "
                            + limits.maxStringLength()
                            + " (maxStringLength)");
        } else if (value instanceof Message m
                && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            checkMessage(m, at, depth + 1, limits);
        }
    }

    private static void checkString(String at, String value, Limits limits) {
        if (value.length() > limits.maxStringLength()) {
            throw new TaskInputException(
                    at,
                    value.length()
                            + " characters, above the limit of "
                            + limits.maxStringLength()
                            + " (maxStringLength): "
                            + Quote.of(value));
        }
    }

    /**
     * Reads JSON text, refusing more than {@code limits.maxTotalSize()} characters before holding
     * them all, so a huge file or an endless device cannot exhaust memory.
     *
     * @param in the text; not closed
     * @param limits the bounds
     * @return the text
     * @throws TaskInputException when there is more
     * @throws IOException if reading fails
     */
    public static String readJson(Reader in, Limits limits) throws IOException {
        StringBuilder text = new StringBuilder();
        char[] buffer = new char[8192];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            text.append(buffer, 0, n);
            if (text.length() > limits.maxTotalSize()) {
                throw new TaskInputException(
                        "$",
                        "more than "
                                + limits.maxTotalSize()
                                + " characters of JSON, above the limit (maxTotalSize)");
            }
        }
        return text.toString();
    }

    private static String parserMessage(Throwable failure) {
        return Quote.failure(failure, MAX_MESSAGE);
    }
}

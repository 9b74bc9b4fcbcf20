package dev.taskexec.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * One {@code KEY=VALUE} argument, as given to {@code -o} and {@code --env}.
 *
 * @param key the part before the first {@code =}; never empty
 * @param value the rest, possibly empty or containing more {@code =}
 */
public record KeyValue(String key, String value) {

    /** @throws IllegalArgumentException if {@code key} is empty */
    public KeyValue {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("the key is empty");
        }
        if (value == null) {
            throw new IllegalArgumentException("the value is null");
        }
    }

    /** {@code KEY=VALUE}, as given. */
    @Override
    public String toString() {
        return key + "=" + value;
    }

    /**
     * The pairs as a map in the order given.
     *
     * @param pairs the pairs
     * @param option the option they came from, named in the error
     * @param usageExitCode the exit code of the error
     * @return a mutable map, keys in order of first appearance
     * @throws CommandException if a key is given twice (with {@code usageExitCode})
     */
    public static Map<String, String> toMap(
            List<KeyValue> pairs, String option, int usageExitCode) {
        Map<String, String> map = new LinkedHashMap<>();
        for (KeyValue pair : pairs) {
            if (map.putIfAbsent(pair.key(), pair.value()) != null) {
                throw new CommandException(
                        usageExitCode,
                        option + " " + pair.key() + " is given twice; give each key once");
            }
        }
        return map;
    }

    /** Picocli converter: rejects an argument without {@code =} or with an empty key. */
    public static final class Converter implements ITypeConverter<KeyValue> {
        @Override
        public KeyValue convert(String argument) {
            int eq = argument.indexOf('=');
            if (eq < 0) {
                throw new TypeConversionException(
                        "expected KEY=VALUE, got '" + argument + "' (no '=')");
            }
            if (eq == 0) {
                throw new TypeConversionException(
                        "expected KEY=VALUE, got '" + argument + "' (the key is empty)");
            }
            return new KeyValue(argument.substring(0, eq), argument.substring(eq + 1));
        }
    }
}

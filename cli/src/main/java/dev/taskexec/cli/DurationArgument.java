package dev.taskexec.cli;

import dev.taskexec.api.support.DurationText;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Converts a command-line option value to a {@link Duration} in taskexec's one duration notation
 * ({@link DurationText}); picocli names the option in front of the message.
 */
public final class DurationArgument implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return DurationText.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}

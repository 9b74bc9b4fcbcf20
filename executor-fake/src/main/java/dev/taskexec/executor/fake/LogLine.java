package dev.taskexec.executor.fake;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.taskexec.api.proto.LogStream;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One line of scripted output: the fake workload writes it when it starts, and
 * {@link FakeController#logs} publishes it as one {@link dev.taskexec.api.proto.LogMessage} whose
 * data is the text's UTF-8 bytes (no line terminator is added).
 *
 * @param stream {@link LogStream#LOG_STREAM_STDOUT} or {@link LogStream#LOG_STREAM_STDERR}
 * @param text the line, without a trailing newline
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record LogLine(LogStream stream, String text) {

    /**
     * @throws IllegalArgumentException if the stream is neither stdout nor stderr
     */
    public LogLine {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(text, "text");
        if (stream != LogStream.LOG_STREAM_STDOUT && stream != LogStream.LOG_STREAM_STDERR) {
            throw new IllegalArgumentException(
                    "a log line goes to stdout or stderr, not " + stream);
        }
    }

    /** A line on stdout. */
    public static LogLine stdout(String text) {
        return new LogLine(LogStream.LOG_STREAM_STDOUT, text);
    }

    /** A line on stderr. */
    public static LogLine stderr(String text) {
        return new LogLine(LogStream.LOG_STREAM_STDERR, text);
    }

    /** The script word that writes this line: {@code stdout=TEXT} or {@code stderr=TEXT}. */
    @Override
    public String toString() {
        return (stream == LogStream.LOG_STREAM_STDOUT ? "stdout=" : "stderr=") + text;
    }
}

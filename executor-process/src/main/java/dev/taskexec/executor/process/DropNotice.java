package dev.taskexec.executor.process;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.taskexec.api.proto.LogContext;
import dev.taskexec.api.proto.LogMessage;
import dev.taskexec.api.proto.LogStream;
import java.time.Instant;

/**
 * The message that tells a log follower it fell behind and missed messages, and which option to
 * raise.
 *
 * <p>Separate from {@link TaskLogReader} because it is not the task's output but taskexec's own
 * words put among it: its wording, its stream (stderr, whatever the follower selected) and its
 * context are a promise of the package documentation, kept in one place.
 */
final class DropNotice {

    private DropNotice() {}

    /**
     * The notice that {@code dropped} messages were missed.
     *
     * @param context the task's log context
     * @param lagBytes the {@value ProcessExecutorOptions#LOG_FOLLOW_LAG} in effect
     */
    static LogMessage of(long dropped, LogContext context, long lagBytes) {
        Instant now = Instant.now();
        String text =
                "taskexec: "
                        + dropped
                        + " log message"
                        + (dropped == 1 ? " was" : "s were")
                        + " dropped because this reader fell behind; raise -o "
                        + ProcessExecutorOptions.LOG_FOLLOW_LAG
                        + " (now "
                        + lagBytes
                        + " bytes)\n";
        return LogMessage.newBuilder()
                .setContext(context)
                .setTimestamp(
                        Timestamp.newBuilder()
                                .setSeconds(now.getEpochSecond())
                                .setNanos(now.getNano()))
                .setStream(LogStream.LOG_STREAM_STDERR)
                .setData(ByteString.copyFromUtf8(text))
                .build();
    }
}

package dev.taskexec.cli.run;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.taskexec.api.proto.ContainerStatus;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.api.proto.TaskStatus;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Where {@code taskexec run} writes the task's state changes: human-readable lines, or JSON lines
 * for scripts ({@code --json}). Both go to stderr, so that stdout carries only the task's own
 * output and can be piped.
 *
 * <p>Each status becomes exactly one line, written with one call and flushed at once, so lines
 * never interleave with the task's stderr in the middle (the task's stderr goes through the same
 * stream). Implementations are thread-safe.
 */
public sealed interface StatusOutput {

    /** Writes one state change of the task. */
    void status(String taskId, TaskStatus status);

    /**
     * Writes a remark for a person (what an interrupt does, how the task ended). JSON output leaves
     * it out, since scripts read the exit code and the statuses instead.
     */
    void note(String text);

    /**
     * The text form: {@code taskexec: 14:32:01.120 RUNNING   started (pid 4242)}, in local time.
     * The first line also names the task, whose id is how a backend labels what it made for it.
     */
    final class Text implements StatusOutput {

        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

        private final PrintStream err;
        private final ZoneId zone;
        private final Runnable beforeLine;
        private boolean named; // guarded by err

        /**
         * @param err where the lines go
         * @param zone the time zone of the times shown
         */
        public Text(PrintStream err, ZoneId zone) {
            this(err, zone, () -> {});
        }

        /**
         * @param err where the lines go
         * @param zone the time zone of the times shown
         * @param beforeLine run under the lock of {@code err} before each line is written: ends a
         *     line being redrawn in place (the pull progress), so this one starts a line of its own
         */
        public Text(PrintStream err, ZoneId zone, Runnable beforeLine) {
            this.err = err;
            this.zone = zone;
            this.beforeLine = beforeLine;
        }

        @Override
        public void status(String taskId, TaskStatus status) {
            StringBuilder line =
                    new StringBuilder("taskexec: ")
                            .append(TIME.format(instant(status.getTimestamp()).atZone(zone)))
                            .append(' ');
            String state = stateName(status);
            line.append(state).append(" ".repeat(Math.max(1, 10 - state.length())));
            line.append(status.getMessage().isEmpty() ? "-" : status.getMessage());
            if (status.hasContainer() && status.getStateValue() == TaskState.RUNNING_VALUE) {
                ContainerStatus c = status.getContainer();
                if (!c.getContainerId().isEmpty()) {
                    line.append(" (container ")
                            .append(abbreviate(c.getContainerId()))
                            .append(c.getPid() > 0 ? ", pid " + c.getPid() : "")
                            .append(')');
                } else if (c.getPid() > 0) {
                    line.append(" (pid ").append(c.getPid()).append(')');
                }
            }
            if (!status.getErr().isEmpty()) {
                line.append("  err: ")
                        .append(status.getErr().strip().replaceAll("\\s*\\R\\s*", " "));
            }
            synchronized (err) {
                if (!named) {
                    line.append("  (task ").append(taskId).append(')');
                    named = true;
                }
                beforeLine.run();
                err.println(line);
                err.flush();
            }
        }

        @Override
        public void note(String text) {
            synchronized (err) {
                beforeLine.run();
                err.println("taskexec: " + text);
                err.flush();
            }
        }

        private static String abbreviate(String containerId) {
            return containerId.length() > 12 ? containerId.substring(0, 12) : containerId;
        }
    }

    /**
     * The JSON-lines form, one object per status:
     * {@code {"time":"…Z","task":"…","state":"FAILED","message":"started","err":"exit code 3","exitCode":3}}.
     * {@code err} is always present (empty when there is none); {@code exitCode}, {@code pid} and
     * {@code containerId} only when the backend reported them.
     */
    record Json(PrintStream err) implements StatusOutput {

        private static final JsonFormat.Printer PRINTER =
                JsonFormat.printer().omittingInsignificantWhitespace();

        @Override
        public void status(String taskId, TaskStatus status) {
            Struct.Builder o =
                    Struct.newBuilder()
                            .putFields("time", string(instant(status.getTimestamp()).toString()))
                            .putFields("task", string(taskId))
                            .putFields("state", string(stateName(status)))
                            .putFields("message", string(status.getMessage()))
                            .putFields("err", string(status.getErr()));
            if (status.hasContainer()) {
                ContainerStatus c = status.getContainer();
                if (status.getStateValue() >= TaskState.COMPLETE_VALUE) {
                    o.putFields(
                            "exitCode", Value.newBuilder().setNumberValue(c.getExitCode()).build());
                }
                if (c.getPid() > 0) {
                    o.putFields("pid", Value.newBuilder().setNumberValue(c.getPid()).build());
                }
                if (!c.getContainerId().isEmpty()) {
                    o.putFields("containerId", string(c.getContainerId()));
                }
            }
            try {
                err.println(PRINTER.print(o));
                err.flush();
            } catch (InvalidProtocolBufferException e) {
                // A Struct of strings and numbers always prints; this would be a protobuf bug.
                throw new IllegalStateException("cannot print a status as JSON", e);
            }
        }

        @Override
        public void note(String text) {
            // Scripts get statuses and the exit code; remarks for people would only be noise.
        }

        private static Value string(String s) {
            return Value.newBuilder().setStringValue(s).build();
        }
    }

    /** The state's name, or {@code STATE(n)} for a value this build does not know. */
    static String stateName(TaskStatus status) {
        TaskState state = status.getState();
        return state == TaskState.UNRECOGNIZED
                ? "STATE(" + status.getStateValue() + ")"
                : state.name();
    }

    /** The status's time, or now when the status carries none. */
    private static Instant instant(Timestamp t) {
        return t.getSeconds() == 0 && t.getNanos() == 0
                ? Instant.now()
                : Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }
}

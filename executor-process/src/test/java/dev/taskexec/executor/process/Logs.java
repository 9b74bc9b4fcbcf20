package dev.taskexec.executor.process;

import dev.taskexec.api.ControllerLogs;
import dev.taskexec.api.proto.LogMessage;
import dev.taskexec.api.proto.LogStream;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads a controller's logs without follow. */
final class Logs {

    private Logs() {}

    static List<LogMessage> all(Object controller) throws Exception {
        return read(controller, LogSubscriptionOptions.getDefaultInstance());
    }

    static List<LogMessage> read(Object controller, LogSubscriptionOptions options)
            throws Exception {
        List<LogMessage> out = new ArrayList<>();
        ((ControllerLogs) controller).logs(out::add, options);
        return out;
    }

    /** The concatenated data of the messages of one stream. */
    static String text(List<LogMessage> messages, LogStream stream) {
        StringBuilder sb = new StringBuilder();
        for (LogMessage m : messages) {
            if (m.getStream() == stream) {
                sb.append(m.getData().toString(StandardCharsets.UTF_8));
            }
        }
        return sb.toString();
    }
}

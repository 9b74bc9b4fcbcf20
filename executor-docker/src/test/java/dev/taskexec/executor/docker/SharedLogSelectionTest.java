package dev.taskexec.executor.docker;

import static dev.taskexec.executor.docker.DockerTestEnvironment.shell;
import static dev.taskexec.executor.docker.DockerTestEnvironment.task;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Timestamp;
import dev.taskexec.api.Controller;
import dev.taskexec.api.ControllerLogs;
import dev.taskexec.api.proto.LogMessage;
import dev.taskexec.api.proto.LogStream;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import dev.taskexec.api.support.LogSelection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Docker backend selects log messages with the shared {@link LogSelection}, not with the
 * engine's tail: for the output every backend's test of this name produces (o1 e1 … o6 e6, stdout
 * and stderr interleaved), the same options give the same messages on every backend. The engine's
 * own tail would count the lines of both streams before since and return only o6 here.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedLogSelectionTest {

    @RegisterExtension static final SharedExecutor engine = new SharedExecutor();

    @Test
    void streamsThenSinceThenTailAsOnEveryBackend() throws Exception {
        Controller c =
                engine.executor()
                        .controller(
                                task(
                                        shell(
                                                "for i in 1 2 3 4 5 6; do echo o$i; echo e$i >&2; sleep 0.05; done")));
        try {
            c.prepare();
            c.start();
            c.await();
            List<LogMessage> all = read(c, LogSubscriptionOptions.getDefaultInstance());
            Timestamp since =
                    all.stream()
                            .filter(m -> m.getData().toStringUtf8().equals("o2\n"))
                            .findFirst()
                            .orElseThrow()
                            .getTimestamp();
            LogSubscriptionOptions options =
                    LogSubscriptionOptions.newBuilder()
                            .addStreams(LogStream.LOG_STREAM_STDOUT)
                            .setSince(since)
                            .setTail(-3)
                            .build();

            List<LogMessage> got = read(c, options);
            List<LogMessage> followed = read(c, options.toBuilder().setFollow(true).build());

            assertEquals(List.of("o5\n", "o6\n"), data(got), "stdout after o2, then its last 2");
            assertEquals(
                    LogSelection.of(options).apply(all),
                    got,
                    "what the shared selection makes of the whole log");
            assertEquals(got, followed, "following an exited container selects the same");
        } finally {
            c.remove();
            c.close();
        }
    }

    private static List<LogMessage> read(Controller c, LogSubscriptionOptions options)
            throws Exception {
        List<LogMessage> out = new ArrayList<>();
        ((ControllerLogs) c).logs(out::add, options);
        return out;
    }

    private static List<String> data(List<LogMessage> messages) {
        return messages.stream().map(m -> m.getData().toStringUtf8()).toList();
    }
}

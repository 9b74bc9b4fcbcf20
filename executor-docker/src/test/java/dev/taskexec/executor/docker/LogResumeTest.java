package dev.taskexec.executor.docker;

import static dev.taskexec.executor.docker.DockerTestEnvironment.shell;
import static dev.taskexec.executor.docker.DockerTestEnvironment.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.taskexec.api.Controller;
import dev.taskexec.api.ControllerLogs;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import dev.taskexec.api.proto.Task;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A follower whose log stream is cut (a byte relay in front of the real engine is taken down, as an
 * engine restart with live-restore would do) while the container goes on writing resumes once the
 * engine answers again, from the last message it delivered: every line arrives, once, in order.
 */
@ExtendWith(EngineRequired.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LogResumeTest {

    private static final int LINES = 20;

    @Test
    void aCutStreamResumesWithoutLosingOrRepeatingALine() throws Exception {
        List<String> expected =
                IntStream.rangeClosed(1, LINES).mapToObj(i -> "line-" + i + "\n").toList();
        try (SocketRelay relay = SocketRelay.toTestEngine();
                DockerExecutor direct = DockerTestEnvironment.executor(Map.of())) {
            try (DockerExecutor executor =
                    DockerTestEnvironment.executor(Map.of(DockerOptions.HOST, relay.host()))) {
                // lines a tenth of a second apart, several within one second: the resume must tell
                // them apart
                Task t =
                        task(
                                shell(
                                        "i=1; while [ $i -le "
                                                + LINES
                                                + " ]; do echo line-$i; i=$((i+1)); sleep 0.1; done"));
                Controller c = executor.controller(t);
                Controller observer = direct.controller(t);
                try {
                    c.prepare();
                    LineFollower follower = LineFollower.follow(c);
                    List<String> got = follower.lines();
                    c.start();
                    DockerTestEnvironment.eventually(
                            Duration.ofSeconds(20),
                            "the follower to get 3 lines",
                            () -> got.size() >= 3);
                    relay.down();
                    int atCut = got.size();
                    // the container writes on while the follower is cut off
                    DockerTestEnvironment.eventually(
                            Duration.ofSeconds(20),
                            "the container to write 5 more lines",
                            () -> count(observer) >= atCut + 5);
                    relay.up();
                    follower.awaitEnd(Duration.ofSeconds(60));
                    assertNull(
                            follower.failure(), () -> "the follower failed: " + follower.failure());
                    assertEquals(
                            expected,
                            got,
                            "every line once, in order, across the cut at line " + atCut);
                } finally {
                    relay.up();
                    c.remove();
                    c.close();
                    observer.close();
                }
            }
        }
    }

    private static int count(Controller c) throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        ((ControllerLogs) c)
                .logs(
                        m -> lines.add(m.getData().toStringUtf8()),
                        LogSubscriptionOptions.getDefaultInstance());
        return lines.size();
    }
}

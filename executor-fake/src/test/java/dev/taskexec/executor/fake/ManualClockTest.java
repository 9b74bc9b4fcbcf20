package dev.taskexec.executor.fake;

import static dev.taskexec.executor.fake.Fixtures.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.taskexec.api.ExitException;
import dev.taskexec.api.proto.LogMessage;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import dev.taskexec.executor.fake.Fixtures.Background;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** With a {@link ManualClock}, time-based behaviour waits for the test to advance the clock. */
class ManualClockTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final ManualClock clock = new ManualClock(T0);
    private final FakeExecutor executor = FakeExecutor.builder().clock(clock).build();

    private FakeController controller(String id, String... words) throws Exception {
        return (FakeController) executor.controller(task(id, words));
    }

    @Test
    void aDelayEndsWhenTheClockPassesIt() throws Exception {
        FakeController c = controller("t", "prepare=delay:1h");
        Background preparing = Background.run("preparer", c::prepare);
        Fixtures.waitUntilInProgress(c, Call.PREPARE);
        Fixtures.waitUntil("the call to wait on the clock", () -> clock.timedWaits() > 0);
        clock.advance(Duration.ofMinutes(59));
        assertFalse(preparing.endsWithin(Duration.ofMillis(50)), "59 minutes are not an hour");
        clock.advance(Duration.ofMinutes(1));
        assertNull(preparing.outcome());
        assertEquals(Duration.ofHours(1), clock.elapsed());
    }

    @Test
    void aWorkloadRunsForClockTime() throws Exception {
        FakeController c = controller("t", "exit=3", "after=1h");
        c.prepare();
        c.start();
        Background awaiting = Background.run("awaiter", c::await);
        Fixtures.waitUntilInProgress(c, Call.AWAIT);
        Fixtures.waitUntil("the call to wait on the clock", () -> clock.timedWaits() > 0);
        clock.advance(Duration.ofHours(1));
        assertEquals(3, assertInstanceOf(ExitException.class, awaiting.outcome()).exitCode());
    }

    @Test
    void theExitIsVisibleWithoutAnyoneWaiting() throws Exception {
        FakeController c = controller("t", "exit=4", "after=10s");
        c.prepare();
        c.start();
        clock.advance(Duration.ofSeconds(9));
        assertEquals(0, c.containerStatus().orElseThrow().getExitCode());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(4, c.containerStatus().orElseThrow().getExitCode());
    }

    @Test
    void theGracePeriodIsClockTime() throws Exception {
        FakeController c = controller("t", "after=never", "ignore-stop", "grace=30s");
        c.prepare();
        c.start();
        Background stopping = Background.run("stopper", c::shutdown);
        Fixtures.waitUntilInProgress(c, Call.SHUTDOWN);
        Fixtures.waitUntil("the call to wait on the clock", () -> clock.timedWaits() > 0);
        clock.advance(Duration.ofSeconds(30));
        assertNull(stopping.outcome());
        assertEquals(137, assertThrows(ExitException.class, c::await).exitCode());
    }

    @Test
    void interruptionStillEndsWaits() throws Exception {
        FakeController c = controller("t", "prepare=delay:1h");
        Background preparing = Background.run("preparer", c::prepare);
        Fixtures.waitUntilInProgress(c, Call.PREPARE);
        Fixtures.waitUntil("the call to wait on the clock", () -> clock.timedWaits() > 0);
        preparing.interrupt();
        assertInstanceOf(InterruptedException.class, preparing.outcome());
    }

    @Test
    void advancingWakesCallsOnRemovedTasksToo() throws Exception {
        FakeController c = controller("t", "shutdown=delay:5s");
        c.remove();
        Background stopping = Background.run("stopper", c::shutdown);
        Fixtures.waitUntilInProgress(c, Call.SHUTDOWN);
        Fixtures.waitUntil("the call to wait on the clock", () -> clock.timedWaits() > 0);
        clock.advance(Duration.ofSeconds(5));
        assertNull(stopping.outcome());
    }

    @Test
    void timestampsComeFromTheClock() throws Exception {
        FakeController c = controller("t", "stdout=x");
        clock.advance(Duration.ofSeconds(7));
        c.prepare();
        c.start();
        List<LogMessage> got = new ArrayList<>();
        c.logs(got::add, LogSubscriptionOptions.getDefaultInstance());
        assertEquals(T0.plusSeconds(7).getEpochSecond(), got.get(0).getTimestamp().getSeconds());
        assertEquals(T0.plusSeconds(7), c.calls().get(0).startedAt());
    }

    @Test
    void theClockOnlyMovesForward() {
        assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofNanos(-1)));
        assertEquals(T0, clock.instant());
        assertEquals(ZoneOffset.UTC, clock.getZone());
        java.time.Clock view = clock.withZone(java.time.ZoneId.of("Europe/Paris"));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(T0.plusSeconds(1), view.instant());
    }
}

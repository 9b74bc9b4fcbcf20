package dev.taskexec.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.Errors;
import dev.taskexec.api.ExecException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RemovalTest {

    /** A clock that only the sleeper moves, so deadlines pass without real time passing. */
    private static final class FakeTime extends Clock implements Sleeper {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        final List<Duration> waits = new ArrayList<>();

        @Override
        public void sleep(Duration d) {
            waits.add(d);
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    /** A controller whose remove fails with the queued failures, then succeeds. */
    private static final class FailingRemove extends ScriptedController {
        final Deque<Exception> failures = new ArrayDeque<>();
        int removes;

        @Override
        public void remove() throws Exception {
            removes++;
            Exception next = failures.poll();
            if (next != null) {
                throw next;
            }
        }
    }

    private final FakeTime time = new FakeTime();

    private Removal within(Duration deadline) {
        return new Removal(deadline, Removal.BACKOFF, time, time, new Random(1));
    }

    private static Exception unreachable() {
        return Errors.temporary(
                new ExecException(
                        "removing container x: engine unreachable", new IOException("refused")));
    }

    @Test
    void temporaryFailuresAreRetriedUntilTheRuntimeIsBack() throws Exception {
        FailingRemove c = new FailingRemove();
        for (int i = 0; i < 5; i++) {
            c.failures.add(unreachable());
        }
        List<Exception> told = new ArrayList<>();

        Removal.Result r = within(Duration.ofMinutes(1)).remove(c, told::add);

        assertTrue(r.removed(), r.toString());
        assertEquals(6, r.attempts());
        assertEquals(6, c.removes);
        assertEquals(5, told.size(), "each retry is told");
        assertTrue(r.failure().isEmpty());
        assertTrue(
                time.waits.stream().allMatch(d -> d.compareTo(Removal.BACKOFF.max()) <= 0),
                time.waits.toString());
    }

    @Test
    void aRefusalIsFinalAtOnce() throws Exception {
        FailingRemove c = new FailingRemove();
        ExecException refused = new ExecException("removing container x: device or resource busy");
        c.failures.add(refused);

        Removal.Result r = within(Duration.ofMinutes(1)).remove(c, e -> {});

        assertFalse(r.removed());
        assertEquals(1, r.attempts());
        assertSame(refused, r.failure().orElseThrow());
        assertTrue(time.waits.isEmpty());
    }

    @Test
    void theDeadlineEndsTheRetriesWithTheLastFailure() throws Exception {
        FailingRemove c = new FailingRemove();
        for (int i = 0; i < 1000; i++) {
            c.failures.add(unreachable());
        }

        Removal.Result r = within(Duration.ofSeconds(10)).remove(c, e -> {});

        assertFalse(r.removed());
        assertTrue(Errors.isTemporary(r.failure().orElseThrow()));
        Duration waited = time.waits.stream().reduce(Duration.ZERO, Duration::plus);
        assertEquals(
                Duration.ofSeconds(10),
                waited,
                "the last wait ends at the deadline, no attempt after it");
        assertEquals(time.waits.size() + 1, r.attempts());
    }

    @Test
    void aZeroDeadlineTriesOnce() throws Exception {
        FailingRemove c = new FailingRemove();
        c.failures.add(unreachable());

        Removal.Result r = within(Duration.ZERO).remove(c, e -> {});

        assertFalse(r.removed());
        assertEquals(1, r.attempts());
    }

    @Test
    void anInterruptStopsIt() {
        FailingRemove c = new FailingRemove();
        c.failures.add(unreachable());
        Removal interrupting =
                new Removal(
                        Duration.ofMinutes(1),
                        Removal.BACKOFF,
                        d -> {
                            throw new InterruptedException("stop");
                        },
                        Clock.systemUTC(),
                        new Random(1));

        assertThrows(InterruptedException.class, () -> interrupting.remove(c, e -> {}));
        assertEquals(1, c.removes);
    }

    @Test
    void aNegativeDeadlineIsNamed() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> within(Duration.ofSeconds(-1)));
        assertTrue(e.getMessage().contains("deadline"), e.getMessage());
    }
}

package dev.taskexec.agent.session;

import static dev.taskexec.agent.session.FakeManager.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.agent.proto.AssignmentChange;
import dev.taskexec.agent.proto.AssignmentsMessage;
import dev.taskexec.api.proto.TaskState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A node busy starting, running and reporting {@value #TASKS} tasks still beats on time: the
 * manager marks a node down after three periods without a beat.
 */
class HeartbeatUnderLoadTest extends SessionFixture {

    static final int TASKS = 1_000;
    static final Duration PERIOD = Duration.ofMillis(250);

    @Test
    void aThousandTasksNeverDelayAHeartbeatPastTheGracePeriod() throws Exception {
        FakeManager m = manager();
        m.period = PERIOD;
        start(builder(m.address));
        await("first beat", WAIT, () -> m.heartbeats.get() >= 1);
        List<AssignmentChange> changes = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
            changes.add(update(task("t" + i, TaskState.RUNNING, "after=never", "stdout=line")));
        }
        m.send(AssignmentsMessage.Type.COMPLETE, changes);
        await(
                "all RUNNING at the manager",
                Duration.ofSeconds(60),
                () ->
                        m.statuses.values().stream()
                                        .filter(s -> s.getState() == TaskState.RUNNING)
                                        .count()
                                == TASKS);
        int beatsThen = m.heartbeats.get();
        await("two more beats", WAIT, () -> m.heartbeats.get() >= beatsThen + 2);
        List<Long> beats = List.copyOf(m.heartbeatNanos);
        long worst = 0;
        for (int i = 1; i < beats.size(); i++) {
            worst = Math.max(worst, beats.get(i) - beats.get(i - 1));
        }
        long grace = PERIOD.multipliedBy(3).toNanos();
        System.out.printf(
                "HeartbeatUnderLoadTest: %d tasks, %d beats, longest gap %d ms (period %d ms), %d status calls%n",
                TASKS, beats.size(), worst / 1_000_000, PERIOD.toMillis(), m.updates.size());
        assertTrue(
                worst < grace,
                "the longest gap between beats was "
                        + worst / 1_000_000
                        + " ms, the grace "
                        + grace / 1_000_000
                        + " ms");
        assertTrue(
                m.updates.size() < TASKS, "statuses were batched: " + m.updates.size() + " calls");
    }
}

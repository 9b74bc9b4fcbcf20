package dev.taskexec.core;

import static dev.taskexec.core.FakeTasks.desired;
import static dev.taskexec.core.FakeTasks.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskState;
import dev.taskexec.executor.fake.FakeExecutor;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random sequences of updates, fired at a runner without waiting (so they land in every phase:
 * mid-operation, mid-backoff, mid-report, idle), on random fake workloads. Whatever the
 * interleaving, the runner must report states that never move backwards, and settle where the
 * last desired state and the workload say it must.
 */
@Timeout(120)
class TaskRunnerPropertiesTest {

    private static final List<TaskState> DESIRED =
            List.of(TaskState.READY, TaskState.RUNNING, TaskState.SHUTDOWN);
    private static final Set<TaskState> TERMINAL =
            Set.of(TaskState.COMPLETE, TaskState.SHUTDOWN, TaskState.FAILED, TaskState.REJECTED);

    /** Fake workloads: the words, and where a task desired RUNNING ends up. */
    private enum Workload {
        EXITS_0(TaskState.COMPLETE),
        EXITS_3(TaskState.FAILED, "exit=3"),
        RUNS_UNTIL_STOPPED(TaskState.RUNNING, "after=never"),
        FLAKY_START(TaskState.RUNNING, "after=never", "start=temporary:busy,temporary:busy,ok"),
        FLAKY_PREPARE(TaskState.COMPLETE, "prepare=temporary:later,ok");

        final TaskState whenRunning;
        final String[] words;

        Workload(TaskState whenRunning, String... words) {
            this.whenRunning = whenRunning;
            this.words = words;
        }
    }

    private static final AtomicInteger ids = new AtomicInteger();

    @Test
    void reportedStatesNeverMoveBackwardsAndTheRunnerSettlesWhereTheDesiredStateSays() {
        qt().withExamples(60)
                .withShrinkCycles(20)
                .forAll(
                        integers().between(0, Workload.values().length - 1),
                        lists().of(integers().between(0, DESIRED.size() - 1)).ofSizeBetween(1, 6))
                .checkAssert(
                        (workloadIndex, desiredIndexes) -> {
                            Workload workload = Workload.values()[workloadIndex];
                            List<TaskState> updates =
                                    desiredIndexes.stream().map(DESIRED::get).toList();
                            check(workload, updates);
                        });
    }

    private static void check(Workload workload, List<TaskState> updates) {
        FakeExecutor fake = FakeExecutor.create();
        RecordingReporter reporter = new RecordingReporter();
        String id = "p" + ids.incrementAndGet();
        Task task = task(id, updates.get(0), workload.words);
        Resolution resolution = Lifecycle.resolve(task, fake);
        TaskRunner runner =
                TaskRunner.start(
                        task.toBuilder().setStatus(resolution.status()).build(),
                        resolution.controller(),
                        reporter,
                        RunnerOptions.defaults()
                                .withBackoff(
                                        new BackoffPolicy(
                                                Duration.ofMillis(1), Duration.ofMillis(10), 2.0))
                                .withSleeper(RecordingSleeper.immediate()));
        try {
            TaskState highest = updates.get(0);
            for (TaskState next : updates.subList(1, updates.size())) {
                runner.update(desired(task, next)); // lower ones are ignored by contract
                highest = next.getNumber() > highest.getNumber() ? next : highest;
            }
            TaskState expected = expectedEnd(workload, highest);
            Eventually.until(
                    () -> settled(runner.status().getState(), expected),
                    () ->
                            workload
                                    + " "
                                    + updates
                                    + ": expected to settle at "
                                    + expected
                                    + ", reported "
                                    + reporter.states(id));

            // The runner records its status before it hands it to the reporter, so the last report
            // may trail the settled status briefly; it must catch up, not differ.
            TaskState settledAt = runner.status().getState();
            if (settledAt != resolution.status().getState()) {
                Eventually.until(
                        () -> lastOf(reporter.states(id)) == settledAt,
                        () ->
                                workload
                                        + " "
                                        + updates
                                        + ": the last report is the runner's status "
                                        + settledAt
                                        + ", reported "
                                        + reporter.states(id));
            }
            List<TaskState> states = reporter.states(id);
            for (int i = 1; i < states.size(); i++) {
                assertTrue(
                        states.get(i).getNumber() >= states.get(i - 1).getNumber(),
                        () -> workload + " " + updates + ": went backwards: " + states);
            }
            if (!states.isEmpty()) {
                assertEquals(
                        runner.status().getState(),
                        states.get(states.size() - 1),
                        "the last report is the runner's status");
            }
        } finally {
            runner.close();
            resolution.controller().close();
        }
    }

    private static TaskState lastOf(List<TaskState> states) {
        return states.isEmpty() ? null : states.get(states.size() - 1);
    }

    /** Null means: any terminal state (a shutdown may race the workload's own exit). */
    private static TaskState expectedEnd(Workload workload, TaskState desired) {
        return switch (desired) {
            case READY -> TaskState.READY;
            case RUNNING -> workload.whenRunning;
            default -> null;
        };
    }

    private static boolean settled(TaskState state, TaskState expected) {
        return expected == null ? TERMINAL.contains(state) : state == expected;
    }
}

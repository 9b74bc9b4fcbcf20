package dev.taskexec.executor.fake;

import static dev.taskexec.executor.fake.Fixtures.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.taskexec.api.ControllerClosedException;
import dev.taskexec.api.Errors;
import dev.taskexec.api.ExitException;
import dev.taskexec.api.TaskAlreadyPreparedException;
import dev.taskexec.api.TaskAlreadyStartedException;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

class ScaleAndConcurrencyTest {

    /** Thousands of tasks on virtual threads, each with a blocked await ended by shutdown. */
    @Test
    void thousandsOfLongRunningTasksStopAndCleanUp() throws Exception {
        int n = 2_000;
        FakeExecutor ex = FakeExecutor.create();
        List<FakeController> controllers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            FakeController c =
                    (FakeController)
                            ex.controller(task("t" + i, "after=never", "stdout=line " + i));
            c.prepare();
            c.start();
            controllers.add(c);
        }
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> awaits = new ArrayList<>(n);
            for (FakeController c : controllers) {
                awaits.add(
                        threads.submit(
                                () -> {
                                    try {
                                        c.await();
                                        return 0;
                                    } catch (ExitException e) {
                                        return e.exitCode();
                                    }
                                }));
            }
            for (FakeController c : controllers) {
                c.shutdown();
            }
            for (Future<Integer> f : awaits) {
                assertEquals(143, f.get(Fixtures.PATIENCE.toSeconds(), TimeUnit.SECONDS));
            }
        }
        for (FakeController c : controllers) {
            c.remove();
            c.close();
        }
        ex.assertNoLeaks();
    }

    /**
     * Random sequences of calls, from two threads at once, on one task: every call either succeeds
     * or fails with one of the exceptions a strict backend throws, and remove plus close always
     * leaves nothing behind.
     */
    @Test
    void randomCallSequencesNeverBreakTheContract() {
        List<Call> calls =
                List.of(
                        Call.UPDATE,
                        Call.PREPARE,
                        Call.START,
                        Call.AWAIT,
                        Call.SHUTDOWN,
                        Call.TERMINATE,
                        Call.REMOVE);
        qt().withExamples(150)
                .forAll(
                        SourceDSL.lists().of(Generate.pick(calls)).ofSizeBetween(0, 12),
                        SourceDSL.lists().of(Generate.pick(calls)).ofSizeBetween(0, 12),
                        Generate.pick(List.of("after=0", "after=5ms", "after=never", "exit=2")))
                .checkAssert(
                        (mine, theirs, runWord) -> {
                            FakeExecutor ex = FakeExecutor.create();
                            try {
                                FakeController a =
                                        (FakeController) ex.controller(task("t", runWord));
                                FakeController b =
                                        (FakeController) ex.controller(task("t", runWord));
                                Fixtures.Background other =
                                        Fixtures.Background.run("other", () -> play(b, theirs));
                                play(a, mine);
                                // Whatever happened, a stuck await in the other thread ends with
                                // its controller.
                                b.terminate();
                                Throwable outcome = other.outcome();
                                assertEquals(null, outcome);
                                a.remove();
                                a.close();
                                b.close();
                                assertEquals(List.of(), ex.leaks());
                            } catch (Exception e) {
                                throw new AssertionError(e);
                            }
                        });
    }

    /**
     * Whatever the script and whatever the calls, every call ends with an outcome a strict backend
     * may have, and a call still running after a moment ends promptly once interrupted; a final
     * remove and close leave nothing behind.
     */
    @Test
    void anyScriptUnderAnyCallsEndsPromptlyOnInterrupt() {
        List<Call> calls =
                List.of(
                        Call.UPDATE,
                        Call.PREPARE,
                        Call.START,
                        Call.AWAIT,
                        Call.SHUTDOWN,
                        Call.TERMINATE,
                        Call.REMOVE,
                        Call.LOGS);
        qt().withExamples(60)
                .withShrinkCycles(20)
                .forAll(
                        ScriptGrammarTest.scripts(),
                        SourceDSL.lists().of(Generate.pick(calls)).ofSizeBetween(0, 8),
                        SourceDSL.booleans().all())
                .checkAssert(
                        (script, sequence, follow) -> {
                            FakeExecutor ex = FakeExecutor.create();
                            // Latency is tested elsewhere; here it would only slow every call down.
                            ex.script("t", script.toBuilder().latency(null).build());
                            try {
                                FakeController c =
                                        (FakeController) ex.controller(Fixtures.bare("t"));
                                for (Call call : sequence) {
                                    Fixtures.Background running =
                                            Fixtures.Background.run(
                                                    call.word(),
                                                    () -> {
                                                        switch (call) {
                                                            case UPDATE -> c.update(c.task());
                                                            case PREPARE -> c.prepare();
                                                            case START -> c.start();
                                                            case AWAIT -> c.await();
                                                            case SHUTDOWN -> c.shutdown();
                                                            case TERMINATE -> c.terminate();
                                                            case REMOVE -> c.remove();
                                                            case LOGS ->
                                                                    c.logs(
                                                                            m -> {},
                                                                            LogSubscriptionOptions
                                                                                    .newBuilder()
                                                                                    .setFollow(
                                                                                            follow)
                                                                                    .build());
                                                            default ->
                                                                    throw new IllegalStateException(
                                                                            call.toString());
                                                        }
                                                    });
                                    if (!running.endsWithin(Duration.ofMillis(10))) {
                                        running.interrupt();
                                    }
                                    Throwable outcome = running.outcome();
                                    assertTrue(
                                            allowed(outcome),
                                            () ->
                                                    call
                                                            + " of "
                                                            + script
                                                            + " ended with "
                                                            + outcome);
                                }
                                ex.inject("t", Call.REMOVE, Behavior.ok());
                                Fixtures.Background cleanup =
                                        Fixtures.Background.run("cleanup", c::remove);
                                assertEquals(
                                        null,
                                        cleanup.outcome(),
                                        "an injected ok remove always removes");
                                c.close();
                                assertEquals(List.of(), ex.leaks());
                            } catch (Exception e) {
                                throw new AssertionError(e);
                            }
                        });
    }

    private static boolean allowed(Throwable t) {
        return t == null
                || t instanceof InterruptedException
                || t instanceof ScriptedFailureException
                || Errors.isTemporary(t)
                || t instanceof ExitException
                || t instanceof TaskAlreadyPreparedException
                || t instanceof TaskAlreadyStartedException
                || t instanceof CallOutOfOrderException;
    }

    private static void play(FakeController c, List<Call> calls) throws Exception {
        for (Call call : calls) {
            try {
                switch (call) {
                    case UPDATE -> c.update(c.task());
                    case PREPARE -> c.prepare();
                    case START -> c.start();
                    case AWAIT -> {
                        // Only await what will end by itself or by the other side's terminate.
                        if (c.script().runFor().isPresent()) {
                            c.await();
                        }
                    }
                    case SHUTDOWN -> c.shutdown();
                    case TERMINATE -> c.terminate();
                    case REMOVE -> c.remove();
                    default -> throw new IllegalStateException(call.toString());
                }
            } catch (TaskAlreadyPreparedException
                    | TaskAlreadyStartedException
                    | CallOutOfOrderException
                    | ExitException expected) {
                assertTrue(expected.getMessage() != null && !expected.getMessage().isEmpty());
            } catch (ControllerClosedException unexpected) {
                throw new AssertionError("nobody closed " + c, unexpected);
            }
        }
    }
}

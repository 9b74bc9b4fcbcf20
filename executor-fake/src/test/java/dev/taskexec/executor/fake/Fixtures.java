package dev.taskexec.executor.fake;

import static org.junit.jupiter.api.Assertions.fail;

import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Tasks, background calls and bounded waiting for the tests; no test sleeps to synchronise. */
final class Fixtures {

    /** The longest any test waits for something that should happen at once. */
    static final Duration PATIENCE = Duration.ofSeconds(10);

    private Fixtures() {}

    /** A task whose container command is {@code fake} and these script words. */
    static Task task(String id, String... words) {
        return Task.newBuilder()
                .setId(id)
                .setServiceId("svc")
                .setNodeId("node-1")
                .setSpec(
                        TaskSpec.newBuilder()
                                .setContainer(
                                        ContainerSpec.newBuilder()
                                                .addCommand("fake")
                                                .addAllCommand(List.of(words))))
                .build();
    }

    /** A task with no runtime. */
    static Task bare(String id) {
        return Task.newBuilder().setId(id).build();
    }

    /** Waits, polling, until the condition holds; fails the test after {@link #PATIENCE}. */
    static void waitUntil(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting until " + what);
            }
            LockSupport.parkNanos(1_000_000L);
        }
    }

    /** Waits until the controller's latest call of this kind is in progress. */
    static void waitUntilInProgress(FakeController c, Call call) {
        waitUntil(
                call.word() + " is in progress",
                () -> {
                    List<CallRecord> calls = c.calls();
                    for (int i = calls.size() - 1; i >= 0; i--) {
                        if (calls.get(i).call() == call) {
                            return calls.get(i).outcome() == CallRecord.Outcome.IN_PROGRESS;
                        }
                    }
                    return false;
                });
    }

    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /** A call made on its own platform thread, which a test can interrupt and wait for. */
    static final class Background {
        private final CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        private final Thread thread;

        private Background(String name, Body body) {
            thread =
                    new Thread(
                            () -> {
                                try {
                                    body.run();
                                    outcome.complete(null);
                                } catch (Throwable t) {
                                    outcome.complete(t);
                                }
                            },
                            name);
            thread.setDaemon(true);
            thread.start();
        }

        static Background run(String name, Body body) {
            return new Background(name, body);
        }

        Thread thread() {
            return thread;
        }

        void interrupt() {
            thread.interrupt();
        }

        boolean isDone() {
            return outcome.isDone();
        }

        /** Whether the body ended within {@code wait}. */
        boolean endsWithin(Duration wait) {
            try {
                outcome.get(wait.toNanos(), TimeUnit.NANOSECONDS);
                return true;
            } catch (TimeoutException e) {
                return false;
            } catch (InterruptedException | ExecutionException e) {
                throw new AssertionError(e);
            }
        }

        /** What the body threw (null if it returned), waiting at most {@link #PATIENCE}. */
        Throwable outcome() {
            try {
                return outcome.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                thread.interrupt();
                throw new AssertionError("the background call did not end within " + PATIENCE);
            } catch (InterruptedException | ExecutionException e) {
                throw new AssertionError(e);
            }
        }
    }
}

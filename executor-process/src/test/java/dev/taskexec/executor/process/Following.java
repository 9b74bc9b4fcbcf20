package dev.taskexec.executor.process;

import dev.taskexec.api.Controller;
import dev.taskexec.api.ControllerLogs;
import dev.taskexec.api.LogPublisher;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import dev.taskexec.api.proto.Task;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/** Runs a task to its end with a follower attached from before its start. For tests. */
final class Following {

    private Following() {}

    /**
     * Prepares and starts {@code task} on {@code executor} with {@code publisher} following its logs
     * on a thread of its own, awaits the exit, runs {@code exited}, waits (up to two minutes) for the
     * follower to end, then removes and closes the task.
     *
     * @throws Exception what the follower or the task threw; an AssertionError if the follower did not end
     */
    static void run(ProcessExecutor executor, Task task, LogPublisher publisher, Runnable exited)
            throws Exception {
        Controller c = executor.controller(task);
        try {
            c.prepare();
            AtomicReference<Exception> failed = new AtomicReference<>();
            Thread reader =
                    Thread.ofPlatform()
                            .name("test-follower")
                            .start(
                                    () -> {
                                        try {
                                            ((ControllerLogs) c)
                                                    .logs(
                                                            publisher,
                                                            LogSubscriptionOptions.newBuilder()
                                                                    .setFollow(true)
                                                                    .build());
                                        } catch (Exception e) {
                                            failed.set(e);
                                        }
                                    });
            c.start();
            c.await();
            exited.run();
            if (!reader.join(Duration.ofMinutes(2))) {
                throw new AssertionError("the follower did not end with the output");
            }
            if (failed.get() != null) {
                throw failed.get();
            }
            c.remove();
        } finally {
            c.close();
        }
    }
}

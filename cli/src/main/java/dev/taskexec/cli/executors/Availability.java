package dev.taskexec.cli.executors;

import dev.taskexec.api.Executor;
import dev.taskexec.api.proto.NodeDescription;
import dev.taskexec.cli.Backends;
import dev.taskexec.core.ExecutorRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether a backend can run tasks here: it can be created with its default options and answers
 * {@link Executor#describe()} (for Docker: the daemon is reachable).
 *
 * @param usable whether it answered
 * @param detail for a usable backend, what it described (engine, platform), possibly empty; for
 *     an unusable one, why, on one line
 */
record Availability(boolean usable, String detail) {

    /**
     * Probes one backend on a virtual thread of its own, so a backend that hangs costs the
     * listing only the timeout; the thread is interrupted when the time is up.
     *
     * @param entry the backend
     * @param timeout how long to wait for create + describe
     * @return the answer; never throws for anything the backend does
     * @throws InterruptedException if interrupted while waiting
     */
    static Availability probe(ExecutorRegistry.Entry entry, Duration timeout)
            throws InterruptedException {
        CompletableFuture<Availability> answer = new CompletableFuture<>();
        Thread t =
                Thread.ofVirtual()
                        .name("taskexec-probe-" + entry.name())
                        .start(
                                () -> {
                                    try (Executor executor = entry.provider().create(Map.of())) {
                                        answer.complete(
                                                new Availability(
                                                        true, summary(executor.describe())));
                                    } catch (Throwable e) {
                                        answer.complete(
                                                new Availability(false, Backends.oneLine(e)));
                                    }
                                });
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            t.interrupt();
            return new Availability(false, "no answer within " + timeout.toSeconds() + "s");
        } catch (ExecutionException e) {
            return new Availability(false, Backends.oneLine(e.getCause()));
        }
    }

    private static String summary(NodeDescription d) {
        StringBuilder s = new StringBuilder();
        if (d.hasEngine() && !d.getEngine().getEngineVersion().isEmpty()) {
            s.append("engine ").append(d.getEngine().getEngineVersion());
        }
        if (d.hasPlatform() && !d.getPlatform().getOs().isEmpty()) {
            s.append(s.isEmpty() ? "" : ", ").append(d.getPlatform().getOs());
            if (!d.getPlatform().getArchitecture().isEmpty()) {
                s.append('/').append(d.getPlatform().getArchitecture());
            }
        }
        return s.toString();
    }
}

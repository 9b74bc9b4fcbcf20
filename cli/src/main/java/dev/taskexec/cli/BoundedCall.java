package dev.taskexec.cli;

import dev.taskexec.api.support.DurationText;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a call into a backend with a deadline, so that a backend that hangs (a daemon that accepts
 * connections but never answers) costs the command a bounded wait and one clear line, not a hang.
 */
public final class BoundedCall {

    private BoundedCall() {}

    /**
     * Runs {@code call} on a virtual thread of its own and waits at most {@code timeout}; on
     * timeout the thread is interrupted and left to end on its own.
     *
     * @param call the call
     * @param timeout the longest wait
     * @return empty when the call returned; otherwise why it failed, on one line
     * @throws InterruptedException if interrupted while waiting
     */
    public static Optional<String> failure(Callable<?> call, Duration timeout)
            throws InterruptedException {
        CompletableFuture<String> answer = new CompletableFuture<>();
        Thread t =
                Thread.ofVirtual()
                        .name("taskexec-bounded-call")
                        .start(
                                () -> {
                                    try {
                                        call.call();
                                        answer.complete(null);
                                    } catch (Exception e) {
                                        answer.complete(Backends.oneLine(e));
                                    }
                                });
        try {
            return Optional.ofNullable(answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            t.interrupt();
            return Optional.of("no answer within " + DurationText.format(timeout));
        } catch (ExecutionException e) {
            return Optional.of(Backends.oneLine(e.getCause()));
        }
    }
}

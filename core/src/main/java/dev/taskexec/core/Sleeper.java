package dev.taskexec.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import org.apiguardian.api.API;

/**
 * Waits out a backoff delay. {@link TaskRunner} and {@link Worker} wait through a sleeper so that
 * tests (and integrators with their own timing) can observe or shorten every wait without real
 * time passing.
 *
 * <p>Implementations block the calling thread for about the given duration, or return earlier;
 * they must honour interruption by throwing {@link InterruptedException}, because that is how an
 * update or a close cuts a backoff short.
 */
@API(status = EXPERIMENTAL, since = "0.1")
@FunctionalInterface
public interface Sleeper {

    /** Sleeps on the calling thread with {@link Thread#sleep(Duration)}. */
    Sleeper SYSTEM = Thread::sleep;

    /**
     * Waits {@code duration}, or less.
     *
     * @param duration how long to wait; never null or negative
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    void sleep(Duration duration) throws InterruptedException;
}

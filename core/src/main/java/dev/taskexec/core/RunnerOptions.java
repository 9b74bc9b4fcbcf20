package dev.taskexec.core;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import org.apiguardian.api.API;

/**
 * The collaborators a {@link TaskRunner} (and a {@link Worker}, for its runners and its clean-up)
 * uses for timing and threads. Production code uses {@link #defaults()}; tests replace a part with
 * the {@code with…} methods to observe backoff without waiting, stamp statuses with a fixed clock,
 * or track every thread made.
 *
 * @param backoff how long to wait before retrying a {@link Step.Outcome#RETRY RETRY}, and between
 *     attempts to clean up a removed task
 * @param clock stamps status timestamps (passed to {@link Lifecycle#step(dev.taskexec.api.proto.Task,
 *     dev.taskexec.api.Controller, Clock)})
 * @param random the jitter source of the backoff; shared by every runner, so it must be thread-safe
 * @param sleeper waits out each backoff delay; must honour interruption
 * @param threadFactory makes the one thread of each runner, listener, log stream and clean-up;
 *     should make virtual threads (the default does), since a worker may hold one per task. The
 *     thread's name is set by its user after creation.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record RunnerOptions(
        BackoffPolicy backoff,
        Clock clock,
        RandomGenerator random,
        Sleeper sleeper,
        ThreadFactory threadFactory) {

    /** @throws NullPointerException naming the first null component */
    public RunnerOptions {
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(sleeper, "sleeper");
        Objects.requireNonNull(threadFactory, "threadFactory");
    }

    /**
     * {@link BackoffPolicy#defaults()}, the UTC system clock, the calling thread's
     * {@link ThreadLocalRandom} (looked up on every draw: a {@code ThreadLocalRandom} captured once
     * would give every task thread the same unseeded sequence, and so the same delays),
     * {@link Sleeper#SYSTEM}, and a factory of virtual threads.
     */
    public static RunnerOptions defaults() {
        return new RunnerOptions(
                BackoffPolicy.defaults(),
                Clock.systemUTC(),
                () -> ThreadLocalRandom.current().nextLong(),
                Sleeper.SYSTEM,
                Thread.ofVirtual().name("taskexec-").factory());
    }

    /** These options with another backoff policy. */
    public RunnerOptions withBackoff(BackoffPolicy backoff) {
        return new RunnerOptions(backoff, clock, random, sleeper, threadFactory);
    }

    /** These options with another clock. */
    public RunnerOptions withClock(Clock clock) {
        return new RunnerOptions(backoff, clock, random, sleeper, threadFactory);
    }

    /** These options with another jitter source, which must be thread-safe. */
    public RunnerOptions withRandom(RandomGenerator random) {
        return new RunnerOptions(backoff, clock, random, sleeper, threadFactory);
    }

    /** These options with another way of waiting out a delay. */
    public RunnerOptions withSleeper(Sleeper sleeper) {
        return new RunnerOptions(backoff, clock, random, sleeper, threadFactory);
    }

    /** These options with another thread factory. */
    public RunnerOptions withThreadFactory(ThreadFactory threadFactory) {
        return new RunnerOptions(backoff, clock, random, sleeper, threadFactory);
    }
}

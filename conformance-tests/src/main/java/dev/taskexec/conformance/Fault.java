package dev.taskexec.conformance;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * A fault the property tests (LC-8, RS-5) may inject into a generated scenario when
 * the backend's {@link Workloads} can express it ({@link Workloads#withFault}). Each
 * fault is a failure a real runtime produces — a refused spec, a daemon hiccup, a
 * slow pull — so the lifecycle invariants must hold through it.
 */
@API(status = STABLE, since = "0.1")
public enum Fault {
    /** {@code prepare} fails for good: the task must end REJECTED. */
    PREPARE_FAILS,
    /** The first {@code prepare} fails with a temporary failure, the next succeeds: the step retries. */
    PREPARE_FAILS_ONCE_TEMPORARILY,
    /** The first {@code prepare} blocks until interrupted, the next succeeds: an interrupted step retries. */
    PREPARE_BLOCKS_ONCE,
    /** {@code start} fails for good: the task must end FAILED (it reached STARTING). */
    START_FAILS,
    /** The first {@code start} fails with a temporary failure, the next succeeds. */
    START_FAILS_ONCE_TEMPORARILY,
    /** The first {@code await} fails with a temporary failure; the next waits as usual. */
    AWAIT_FAILS_ONCE_TEMPORARILY
}

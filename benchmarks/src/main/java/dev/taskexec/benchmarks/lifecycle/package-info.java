/**
 * The lifecycle hot path: {@code Lifecycle.step} on the NOOP path, on each plain transition, on
 * RUNNING→COMPLETE with a {@code ContainerStatuser}, on a fatal failure with an exit code, and
 * {@code Lifecycle.resolve}; time and bytes allocated per operation.
 *
 * <p>The controllers and the executor are written here, tiny and allocation-free, so the
 * figures are the lifecycle's own, not a backend's. Each class checks in its {@code @Setup}
 * that a step takes the path it claims to measure, so a change in the lifecycle's rules fails
 * the benchmark run instead of silently measuring something else. Targets: the NOOP path
 * allocates nothing; a plain transition allocates no more than the new status message needs
 * ({@link dev.taskexec.benchmarks.lifecycle.PlainTransition}'s baseline builds exactly that).
 */
package dev.taskexec.benchmarks.lifecycle;

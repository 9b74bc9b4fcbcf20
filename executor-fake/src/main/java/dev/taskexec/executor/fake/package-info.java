/**
 * The {@code fake} backend: an in-memory, scriptable, fault-injecting executor that runs nothing.
 *
 * <p>It is a real backend, strict as Docker is about the order of calls, meant for tests: users'
 * tests of code that drives executors, and the tests of taskexec itself (the lifecycle, the
 * worker, the conformance kit). It must never stand in for a backend under test.
 *
 * <ul>
 * <li>{@link dev.taskexec.executor.fake.FakeExecutorProvider} is the ServiceLoader entry (name
 *     {@code fake}, options {@code latency} and {@code hostname}).
 * <li>{@link dev.taskexec.executor.fake.FakeExecutor} makes controllers, finds each task's
 *     {@link dev.taskexec.executor.fake.FakeScript} (from the task, or registered in Java), injects
 *     faults, emits log lines, records calls and reports leaks.
 * <li>{@link dev.taskexec.executor.fake.FakeController} follows the script: each call runs a
 *     {@link dev.taskexec.executor.fake.Behavior} and then has the effect a real backend's would,
 *     on a fake container shared by every controller of the task.
 * <li>{@link dev.taskexec.executor.fake.FakeScript} documents the script word grammar.
 * <li>{@link dev.taskexec.executor.fake.Interceptor} and
 *     {@link dev.taskexec.executor.fake.ForwardingController} alter single behaviours, for
 *     example to build deliberately broken backends.
 * </ul>
 *
 * <p>Every blocking call ends promptly when its thread is interrupted
 * ({@link java.lang.InterruptedException}) or its controller is closed
 * ({@link dev.taskexec.api.ControllerClosedException}). Everything is thread-safe. Timing uses
 * the JVM's monotonic clock, and the injectable {@link java.time.Clock} stamps log messages and
 * call records; with a {@link dev.taskexec.executor.fake.ManualClock}, timing follows that clock
 * too and time passes only when a test advances it.
 */
package dev.taskexec.executor.fake;

/**
 * Support for backend authors: the parts of swarmkit's semantics that every executor needs and
 * that must mean the same on every backend. Public API, in the way JUnit's
 * {@code org.junit.platform.engine.support} serves test engine authors: nothing here is required
 * by the SPI in {@link dev.taskexec.api}, but a backend that uses it answers the same request the
 * same way as the bundled ones.
 *
 * <ul>
 *   <li>{@link dev.taskexec.api.support.LogSelection}: which log messages a
 *       {@link dev.taskexec.api.ControllerLogs#logs logs} call publishes ({@code streams},
 *       {@code since} strictly after, swarmkit's signed {@code tail}, applied in that order).</li>
 *   <li>{@link dev.taskexec.api.support.Signal}: the signal table and the parser of a task's
 *       {@code stop_signal}.</li>
 *   <li>{@link dev.taskexec.api.support.TaskSpecDefaults}: what an unset stop signal or grace
 *       period means, the checks of those fields and of {@code env}, and their field paths.</li>
 *   <li>{@link dev.taskexec.api.support.InvalidTaskException}: the refusal of a task for one field,
 *       named by its path ({@code container.env[2]}).</li>
 *   <li>{@link dev.taskexec.api.support.ExitMessages}: the {@code err} of a non-zero exit, in
 *       swarmkit's wording.</li>
 *   <li>{@link dev.taskexec.api.support.DurationText}: durations as people type them
 *       ({@code 10s}, {@code 1m30s}), for executor options.</li>
 * </ul>
 *
 * <p>The conformance kit does not use this package: it checks backends against its own reading of
 * swarmkit, so a mistake here shows up as a failed rule rather than as a shared blind spot.
 *
 * <p>Everything here is stateless and thread-safe except
 * {@link dev.taskexec.api.support.LogSelection.Pass}, which belongs to one {@code logs} call.
 */
package dev.taskexec.api.support;

/**
 * The node side of taskexec: the task lifecycle, and finding executors.
 *
 * <h2>The lifecycle</h2>
 * <p>{@link dev.taskexec.core.Lifecycle} is swarmkit's {@code agent/exec} {@code Resolve} and
 * {@code Do} as two pure functions: {@link dev.taskexec.core.Lifecycle#resolve resolve} asks an
 * {@link dev.taskexec.api.Executor} for a task's {@link dev.taskexec.api.Controller} and yields a
 * {@link dev.taskexec.core.Resolution}; {@link dev.taskexec.core.Lifecycle#step step} performs at
 * most one controller operation and yields a {@link dev.taskexec.core.Step}: the task's next
 * status and whether the caller should step again ({@code PROGRESSED}), wait for the task to
 * change ({@code NOOP}) or retry after a back-off ({@code RETRY}). They hold no state; whoever
 * drives a task reports each returned status and puts it back on the task before the next call.
 *
 * <pre>
 *  NEW / PENDING / ASSIGNED ──► ACCEPTED ──► PREPARING ──prepare()──► READY ──► STARTING ──start()──► RUNNING ──await()──► COMPLETE
 *        any state below COMPLETE ──shutdown()──► SHUTDOWN          (desired state SHUTDOWN or beyond)
 *        an operation fails fatally ──► REJECTED (below STARTING) │ FAILED (from STARTING on)
 * </pre>
 *
 * <p>Both functions never throw for anything a controller or executor does, including
 * {@code RuntimeException}s from buggy ones: every failure lands in the returned status. Only
 * {@code Error}s and null arguments propagate. The class comment of {@code Lifecycle} lists every
 * rule, and where it knowingly differs from swarmkit.
 *
 * <h2>Cancellation</h2>
 * <p>Thread interruption is the cancellation of an operation (swarmkit's cancelled
 * {@code context.Context}). An interrupted step returns {@code RETRY} with the status unchanged and
 * the thread's interrupt flag set again, so the driver can decide whether to retry, apply an
 * update, or stop.
 *
 * <h2>Executors</h2>
 * <p>{@link dev.taskexec.core.ExecutorRegistry} finds the
 * {@link dev.taskexec.api.ExecutorProvider}s on the class path, the module path or a given module
 * layer with {@link java.util.ServiceLoader}, lists them with where each came from, and opens one by
 * name.
 *
 * <h2>The agent loop</h2>
 * <p>{@link dev.taskexec.core.TaskRunner} is swarmkit's task manager: one task, one controller, one
 * virtual thread that steps the task until {@code NOOP}, reports every new status to a
 * {@link dev.taskexec.core.StatusReporter}, and parks until an update. An update that raises the
 * desired state (or changes anything but the status and meta) interrupts the operation or backoff
 * in flight, so it takes effect at once; {@code RETRY} waits out exponential backoff with full
 * jitter ({@link dev.taskexec.core.BackoffPolicy}), through the {@link dev.taskexec.core.Sleeper}
 * and random source of {@link dev.taskexec.core.RunnerOptions}, which tests replace.
 *
 * <p>{@link dev.taskexec.core.Worker} is swarmkit's worker: it takes the complete set of a node's
 * tasks ({@code assign}) or changes to it ({@code update}), resolves and runs new tasks, updates
 * known ones, and shuts down, removes and closes the ones no longer assigned, on threads of their
 * own, with a bounded number of attempts. It keeps every task's latest status and streams changes
 * to listeners ({@link dev.taskexec.core.ListenerHandle}), each with its own queue and thread so a
 * slow one delays only itself, and serves logs across tasks
 * ({@link dev.taskexec.core.LogSubscription}).
 *
 * <h2>Surviving a restart</h2>
 * <p>A worker {@linkplain dev.taskexec.core.Worker#open opened} on a
 * {@link dev.taskexec.core.TaskStore} writes every task, status and removal through it, in an
 * order that makes any crash recoverable (see {@code TaskStore}), and when opened again resumes
 * every stored task through the lifecycle and reaps, through an executor that is a
 * {@link dev.taskexec.api.TaskRecovery}, what no stored task claims. {@code core} holds the
 * interface and an in-memory store; the durable SQLite store is the module
 * {@code taskexec-store-sqlite}, so that integrators who need no durability do not carry SQLite's
 * native libraries.
 *
 * <p>{@link dev.taskexec.core.Removal} removes one task's resources the way a foreground runner
 * needs it: retrying {@code remove()} while the runtime cannot be reached, up to a deadline, and
 * saying how it ended.
 *
 * <h2>Threads</h2>
 * <p>Everything here is thread-safe. Calls about one task must not overlap (they would race on its
 * controller); calls about different tasks may run concurrently.
 */
package dev.taskexec.core;

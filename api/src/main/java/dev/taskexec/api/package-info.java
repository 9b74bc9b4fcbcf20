/**
 * The executor SPI: what a backend implements so that taskexec can run tasks on it.
 *
 * <p>A backend is three objects. An {@link dev.taskexec.api.ExecutorProvider} is found with
 * {@link java.util.ServiceLoader} and makes an {@link dev.taskexec.api.Executor} from an options
 * map. The executor describes the node and makes one {@link dev.taskexec.api.Controller} per task.
 * The controller performs the task's lifecycle operations ({@code prepare}, {@code start},
 * {@code await}, {@code shutdown}, {@code terminate}, {@code remove}) when the lifecycle in
 * {@code dev.taskexec.core.Lifecycle} asks for them; it never decides the task's state itself.
 *
 * <h2>Writing a backend</h2>
 * <ol>
 *   <li>Implement {@code Controller}. Make each operation idempotent where its Javadoc says so,
 *       throw {@link dev.taskexec.api.TaskAlreadyPreparedException} /
 *       {@link dev.taskexec.api.TaskAlreadyStartedException} for repeated prepare/start, and throw an
 *       {@link dev.taskexec.api.ExitException} from {@code await} for a non-zero exit.</li>
 *   <li>Add the optional capabilities your runtime has: {@link dev.taskexec.api.ControllerLogs},
 *       {@link dev.taskexec.api.ContainerStatuser}, {@link dev.taskexec.api.PortStatuser}. The
 *       lifecycle finds them with {@code instanceof}.</li>
 *   <li>If your tasks can outlive the process that started them, implement
 *       {@link dev.taskexec.api.TaskRecovery} on the executor: a fresh executor instance then finds a
 *       task an earlier one started (re-adoption) and reaps what no stored task claims (orphans).
 *       A worker opened on a durable task store relies on it to survive its own restart.</li>
 *   <li>Implement {@code Executor} and {@code ExecutorProvider}, and register the provider in
 *       {@code META-INF/services/dev.taskexec.api.ExecutorProvider} (and with {@code provides} in
 *       your {@code module-info.java} if you ship one).</li>
 *   <li>Prove it with the conformance kit ({@code taskexec-conformance}): extend
 *       {@code ExecutorConformance} in your tests.</li>
 * </ol>
 *
 * <h2>Failures</h2>
 * <p>Any operation may throw. How the lifecycle treats a failure depends on its cause chain, never
 * on its message: a failure that is {@link dev.taskexec.api.Temporary} (see
 * {@link dev.taskexec.api.Errors#temporary(Throwable)}), or caused by an
 * {@link java.lang.InterruptedException}, {@link java.util.concurrent.CancellationException} or
 * {@link java.util.concurrent.TimeoutException}, is retried; any other failure ends the task
 * (REJECTED before STARTING, FAILED from STARTING on). Its {@code getMessage()} becomes the task
 * status's {@code err}, so write messages for the person reading the status: name the field or
 * option that was wrong.
 *
 * <h2>Threads and interruption</h2>
 * <p>Java has no {@code context.Context}; thread interruption is its cancellation. Every blocking
 * method in this package must return promptly when the calling thread is interrupted, by throwing
 * {@link java.lang.InterruptedException} or an exception caused by it, and must leave the backend in
 * a state where the same operation can be called again. A controller is driven by one thread at a
 * time for lifecycle operations, but {@code shutdown}, {@code terminate}, {@code close} and the
 * status and log capabilities may be called from other threads while {@code await} blocks, so
 * implementations must be thread-safe.
 *
 * <h2>Compatibility</h2>
 * <p>The interfaces here are implemented by third parties. They will gain no abstract method: a
 * later addition is a {@code default} method or a new capability interface, so a backend compiled
 * against this version keeps compiling and running.
 */
package dev.taskexec.api;

package dev.taskexec.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.io.OutputStream;
import org.apiguardian.api.API;

/**
 * Capability of a {@link Controller} whose task's standard input can be written, as
 * {@code docker run -i} does. Only a task whose container spec sets {@code open_stdin} has a
 * standard input to write; every other task reads nothing (an empty input, {@code /dev/null}).
 *
 * <p>Found with {@code instanceof} on a controller.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface ControllerStdin {

    /**
     * The task's standard input, to write to while it runs.
     *
     * <p>The contract:
     * <ul>
     *   <li>Call it once the task has started ({@link Controller#start()} returned). It may be
     *       called once per controller; the stream belongs to the caller.</li>
     *   <li>Bytes written reach the task in order. A write blocks while the task does not read and
     *       the runtime's buffer is full; it throws an {@link java.io.IOException} once the task
     *       has exited or the controller was closed.</li>
     *   <li>Closing the stream passes end-of-file on to the task: a pipe is closed; on a
     *       pseudo-terminal ({@code tty}) the terminal's end-of-file character is sent, since
     *       closing the terminal would hang the task up instead. Closing is idempotent and never
     *       throws for a task that has already exited.</li>
     *   <li>Standard input is not logged and is not part of the task's output.</li>
     * </ul>
     *
     * @return the task's standard input
     * @throws IllegalStateException if the task's spec does not set {@code open_stdin}, the task
     *     has not started, or the stream was already taken
     * @throws ControllerClosedException if the controller was closed
     * @throws Exception if the runtime cannot connect to the task's standard input
     */
    OutputStream stdin() throws Exception;
}

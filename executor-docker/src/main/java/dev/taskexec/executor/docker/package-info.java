/**
 * The {@code docker} executor: runs each task as one container on a Docker Engine, through
 * docker-java, following swarmkit's {@code swarmd/dockerexec}.
 *
 * <p>Entry points: {@link dev.taskexec.executor.docker.DockerExecutorProvider} (found by
 * {@link java.util.ServiceLoader} under the name {@code docker}) and
 * {@link dev.taskexec.executor.docker.DockerExecutor}.
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li><b>Names and labels.</b> A container is named after its task (swarmkit's task name, made
 *       unique by the task id and sanitised for Docker) and labelled {@code dev.taskexec.task.id},
 *       {@code .task.name}, {@code .node.id}, {@code .service.id}, {@code .service.name}, on top of
 *       the spec's and the task's own labels, and {@code dev.taskexec.owner} (the {@code owner}
 *       option, default {@code taskexec}).</li>
 *   <li><b>Ownership and recovery.</b> {@code dev.taskexec.task.id} together with
 *       {@code dev.taskexec.owner} is what marks a container as taskexec's: the executor is a
 *       {@link dev.taskexec.api.TaskRecovery}, whose reaper force-removes only containers carrying
 *       its own owner whose task id is not claimed (never containers without the label, or of
 *       another owner), and whose controllers find a task's container again by name after the
 *       agent restarted. Agents sharing one engine need distinct owners; a clean-up elsewhere (the
 *       CLI's, for instance) should filter on the same two labels.</li>
 *   <li><b>Bad input</b> is rejected before a container exists: image reference, env entries,
 *       mounts, stop signal, ports, resources are checked when the controller is made; an image
 *       absent under pull policy {@code never} and a host port already taken are found by
 *       {@code prepare} before the create. The engine's own refusals at create keep its message.</li>
 *   <li><b>The engine unreachable</b> (no socket, refused, reset) is a temporary failure, so the
 *       lifecycle retries and a daemon restart does not fail a task whose container lives on.</li>
 *   <li><b>Connections.</b> One bounded pool per executor ({@code max-connections}); each blocking
 *       {@code await}, health wait and log read holds one connection and releases it when it ends,
 *       is interrupted, or the controller is closed. The API version is left unset so the engine
 *       answers in its own. An engine on a Unix socket is spoken to over the JDK's socket channels
 *       (kept-alive HTTP/1.1), one on TCP through docker-java's Apache HttpClient transport. From
 *       the first container started, the executor also holds one stream of the engine's
 *       {@code die} events for its own containers, on a connection outside the pool: a controller
 *       learns of a container's exit 0 from it while the engine, still handling the exit, holds
 *       back the answer of every wait and inspect (the failure of a non-zero exit is still read
 *       from the engine).</li>
 *   <li><b>Stop grace</b> is passed to the engine in whole seconds, rounded up; the default is 10 s
 *       ({@link dev.taskexec.api.support.TaskSpecDefaults}). A stop signal is checked against the
 *       shared signal table ({@link dev.taskexec.api.support.Signal}) and handed to the engine by
 *       its canonical name; unset, the image's {@code STOPSIGNAL} applies.</li>
 *   <li><b>Logs</b> are read with timestamps and cut at newlines; each message's data keeps its
 *       newline, as swarmkit publishes it. A TTY container's output is standard output.
 *       {@code streams}, {@code since} and {@code tail} select as
 *       {@link dev.taskexec.api.support.LogSelection} decides for every backend: {@code since} is
 *       exact and exclusive (the engine is asked in whole seconds, the rest is filtered here), and
 *       the tail counts what streams and since left. The engine's tail is never used, since it counts
 *       the lines of both streams before its since; so a negative tail reads the log from
 *       {@code since} to its end (a follower then follows from there), at the cost of reading more
 *       than the tail keeps. A follower whose stream is
 *       lost while the container lives on (an engine restart with live-restore, a cut connection,
 *       a proxy that closes it) does not end: it waits for the engine to answer again (polling,
 *       up to 60 s after the loss, then it fails with the engine's error) and reads on from the last
 *       message it read, asking for the second of that message's timestamp and dropping
 *       what it had read already (older messages, and as many stamped exactly like the last
 *       as it read), so no message is lost or repeated. A stream that ends while the
 *       container still runs is resumed the same way; once the container has stopped, the
 *       follower ends after reading what remains.</li>
 *   <li><b>Standard input</b> ({@link dev.taskexec.api.ControllerStdin}) exists only for a task with
 *       {@code open_stdin}, whose container is created as {@code docker run -i} creates one
 *       ({@code OpenStdin}, {@code AttachStdin} and {@code StdinOnce}; swarmkit sets only the first,
 *       since nothing attaches to a swarm task). {@code stdin()} attaches to the running container with
 *       only its input, on a connection of its own outside the pool, made by hand because
 *       docker-java's attach cannot half-close: without a terminal, closing the stream half-closes
 *       the connection and the engine, seeing {@code StdinOnce}, closes the container's input, so the
 *       task reads end-of-file; with a terminal the engine never closes the input, so ^D is written
 *       instead. On a terminal the engine also takes Ctrl-P Ctrl-Q as its detach sequence, as
 *       {@code docker run -it} does: it ends the attach, and writes fail afterwards. Every task
 *       without {@code open_stdin} reads an empty input.</li>
 *   <li><b>Pull progress</b> goes to a {@link dev.taskexec.executor.docker.PullListener}, if one
 *       was set with {@link dev.taskexec.executor.docker.DockerExecutor#pullListener}: each message
 *       of the engine's pull stream as a {@link dev.taskexec.executor.docker.PullProgress} (docker-java's
 *       types stay inside this module), then the pull's end with its failure, if any. The command
 *       uses it to draw a progress line on a terminal; without a listener the stream is not parsed.</li>
 *   <li><b>Not supported:</b> swarm networks, secrets and configs, cluster (CSI) and named-pipe
 *       mounts, and the task's log driver (containers use the engine's default driver, which must be
 *       readable through the logs endpoint).</li>
 * </ul>
 */
package dev.taskexec.executor.docker;

package dev.taskexec.executor.process;

import dev.taskexec.api.ContainerStatuser;
import dev.taskexec.api.Controller;
import dev.taskexec.api.ControllerClosedException;
import dev.taskexec.api.ControllerLogs;
import dev.taskexec.api.ControllerStdin;
import dev.taskexec.api.ExecException;
import dev.taskexec.api.ExitException;
import dev.taskexec.api.LogPublisher;
import dev.taskexec.api.TaskAlreadyPreparedException;
import dev.taskexec.api.TaskAlreadyStartedException;
import dev.taskexec.api.TaskUpdateRejectedException;
import dev.taskexec.api.input.Quote;
import dev.taskexec.api.proto.ContainerStatus;
import dev.taskexec.api.proto.LogContext;
import dev.taskexec.api.proto.LogStream;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.support.ExitMessages;
import dev.taskexec.api.support.InvalidTaskException;
import dev.taskexec.api.support.LogSelection;
import dev.taskexec.api.support.Signal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one task as a local process. See the package documentation for the whole contract; in short:
 *
 * <ul>
 *   <li>{@code prepare} finds the executable and the working directory (a task that names a
 *       missing one fails here, so it is REJECTED) and creates the task's storage. Again:
 *       {@link TaskAlreadyPreparedException}.</li>
 *   <li>{@code start} spawns the process (preparing first if that was not done). Again:
 *       {@link TaskAlreadyStartedException}.</li>
 *   <li>{@code await} blocks until the process has exited <em>and</em> its output has been read to
 *       the end (bounded by {@link #DRAIN_TIMEOUT} when a stray process keeps the pipe open);
 *       may be called any number of times. A non-zero exit throws {@link ExitException} with the
 *       exit code (128 + n for a death by signal n) and the {@link ContainerStatus}.</li>
 *   <li>{@code shutdown} sends the stop signal to the process tree, waits up to the grace period,
 *       then kills the tree; {@code terminate} kills it at once. Both return once the process has
 *       exited and are no-ops before start or after exit.</li>
 *   <li>{@code remove} kills what still runs and deletes the task's storage and logs; idempotent.</li>
 *   <li>{@code close} kills what still runs (a local process cannot outlive the only object able to
 *       see it), unless the task runs under a shim (a {@code state-dir}): then, as a container
 *       outlives its controller, the process runs on, for an executor on the same
 *       {@code state-dir} to take up or reap. Either way it wakes every waiting caller and frees
 *       threads and streams; idempotent. Every other method then throws
 *       {@link ControllerClosedException}.</li>
 * </ul>
 *
 * <p>Blocking calls honour interruption by throwing {@link InterruptedException}; the process is
 * left as it was (a later call picks up from there). Thread-safe.
 *
 * <p>This class keeps the lifecycle (the lock, the states, the exit and the drain of the output)
 * and delegates the rest: {@link TaskSpawner} starts the process, {@link TaskStorage} places and
 * deletes the task's files, {@link TaskLogReader} serves log subscriptions.
 */
final class ProcessController
        implements Controller, ControllerLogs, ContainerStatuser, ControllerStdin {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessController.class);

    /** How long {@code await} waits for output after the process exited, when something holds the pipe. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(2);

    /** How long a SIGKILLed tree may take to go; beyond it, the stop fails (and may be retried). */
    static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

    /** Set in every task's environment to its task id, so its processes can be found (and told apart). */
    static final String TASK_ID_ENV = "TASKEXEC_TASK_ID";

    private final ProcessExecutor executor;
    private final ProcessSpec spec;
    private final String taskId;
    private final String containerId;
    private final TaskStorage taskFiles;
    private final TaskSpawner taskSpawner;
    private final LogBuffer logs;
    private final TaskLogReader logReader;
    private volatile Task task;
    private volatile LogContext logContext;

    /** Completes with the exit code once the process exited and its output was drained. */
    private final CompletableFuture<Integer> finished = new CompletableFuture<>();

    private final ReentrantLock lock = new ReentrantLock();
    // guarded by lock
    private boolean prepared;
    private boolean closed;
    private boolean removed;
    private Path executable;
    private Path workDir;
    private Path storage;
    private volatile Spawned spawned;
    private ProcessTree tree;

    /** What the executor's poller reads of this task's output files; null with pipes. */
    private OutputPoller.Source stdoutSource;

    private OutputPoller.Source stderrSource;
    private OutputStream stdin;
    private boolean stdinTaken;

    private volatile int exitCode = -1;

    /** Whether this task runs under a {@link TaskShim} and so outlives the agent (a {@code state-dir}, no tty). */
    private final boolean survives;

    ProcessController(ProcessExecutor executor, Task task, ProcessSpec spec) {
        this.executor = executor;
        this.task = task;
        this.taskId = task.getId();
        this.spec = spec;
        this.taskFiles = new TaskStorage(executor, taskId);
        this.containerId = taskFiles.containerId();
        this.logs =
                new LogBuffer(
                        executor.options().logBufferBytes(),
                        executor.options().logFollowLagBytes());
        this.logContext = context(task);
        this.survives = executor.survives() && !spec.tty();
        this.taskSpawner = new TaskSpawner(executor, spec, taskId, survives);
        this.logReader =
                new TaskLogReader(
                        logs, taskId, () -> logContext, executor.options().logFollowLagBytes());
    }

    private LogContext context(Task t) {
        String node = t.getNodeId().isEmpty() ? executor.nodeId() : t.getNodeId();
        return LogContext.newBuilder()
                .setTaskId(t.getId())
                .setServiceId(t.getServiceId())
                .setNodeId(node)
                .build();
    }

    private void checkClosed() throws ControllerClosedException {
        if (closed) {
            throw new ControllerClosedException("controller for task " + taskId + " is closed");
        }
    }

    /**
     * Accepts a newer copy of the task: status, desired state, annotations and the like may
     * change; the id and the spec may not. Ignored once the process has exited.
     *
     * @throws TaskUpdateRejectedException when the id or the spec differs
     */
    @Override
    public void update(Task newTask) throws Exception {
        lock.lock();
        try {
            checkClosed();
            if (finished.isDone()) {
                return;
            }
            if (!newTask.getId().equals(taskId)) {
                throw new TaskUpdateRejectedException(
                        "task id cannot change: " + taskId + " -> " + newTask.getId());
            }
            if (!newTask.getSpec().equals(task.getSpec())) {
                throw new TaskUpdateRejectedException(
                        "the spec of task "
                                + taskId
                                + " cannot change in place; a new task is needed");
            }
            task = newTask;
            logContext = context(newTask);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void prepare() throws Exception {
        lock.lock();
        try {
            checkClosed();
            if (prepared) {
                throw new TaskAlreadyPreparedException("task " + taskId + " is already prepared");
            }
            prepareLocked();
        } finally {
            lock.unlock();
        }
    }

    private void prepareLocked() throws IOException {
        Path dir = workDir();
        Path exe = Executables.resolve(spec.argv().get(0), dir, spec.env());
        Path store = taskFiles.create(spec.tty());
        workDir = dir;
        executable = exe;
        storage = store;
        prepared = true;
    }

    private Path workDir() {
        Path dir;
        try {
            dir =
                    spec.dir().isEmpty()
                            ? Path.of("").toAbsolutePath()
                            : Path.of(spec.dir()).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new InvalidTaskException(
                    "container.dir", Quote.of(spec.dir()) + " is not a valid path");
        }
        if (!Files.exists(dir)) {
            throw new InvalidTaskException(
                    "container.dir", Quote.of(spec.dir()) + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new InvalidTaskException(
                    "container.dir", Quote.of(spec.dir()) + " is not a directory");
        }
        return dir;
    }

    @Override
    public void start() throws Exception {
        lock.lock();
        try {
            checkClosed();
            if (removed && spawned == null) {
                throw new ExecException("task " + taskId + " was removed before it started");
            }
            if (spawned != null) {
                throw new TaskAlreadyStartedException("task " + taskId + " was already started");
            }
            if (!prepared || executable == null) {
                prepareLocked(); // never prepared, or prepared by an agent that is gone
            }
            spawn();
        } finally {
            lock.unlock();
        }
    }

    private void spawn() throws IOException, ControllerClosedException {
        if (!spec.tty() && executor.fileOutput()) {
            spawnToFiles();
            return;
        }
        // open the log files first: once the process runs, nothing may fail before its pumps do
        OutputStream outFile =
                TaskStorage.logFile(storage, spec.tty() ? "tty.log" : OutputFiles.STDOUT);
        OutputStream errFile = spec.tty() ? null : TaskStorage.logFile(storage, OutputFiles.STDERR);
        Spawned p;
        try {
            p =
                    spec.tty()
                            ? taskSpawner.spawnPty(executable, workDir)
                            : taskSpawner.spawnPiped(executable, workDir, storage, null);
        } catch (IOException | RuntimeException e) {
            if (outFile != null) {
                closeQuietly(outFile);
            }
            if (errFile != null) {
                closeQuietly(errFile);
            }
            throw new IOException(
                    "container.command[0]: cannot start " + executable + ": " + e.getMessage(), e);
        }
        started(p);

        // the task is finished when its process exited and every output stream reached its end
        AtomicInteger pending = new AtomicInteger(p.stderr() == null ? 2 : 3);
        Runnable arrived =
                () -> {
                    if (pending.decrementAndGet() == 0) {
                        finish();
                    }
                };
        try {
            startPump(p.stdout(), LogStream.LOG_STREAM_STDOUT, outFile, arrived);
            if (p.stderr() != null) {
                startPump(p.stderr(), LogStream.LOG_STREAM_STDERR, errFile, arrived);
            }
        } catch (RejectedExecutionException e) {
            // the executor was closed meanwhile: a process nobody reads must not stay behind
            tree.signal(Signal.SIGKILL);
            throw new ControllerClosedException(
                    "the process executor was closed while task " + taskId + " started");
        }
        // completed by whoever reaps the process: a reader-pool thread in waitpid (posix_spawn),
        // the JDK's
        // reaper (setsid(1) fallback) or pty4j's
        p.exit().whenComplete((code, failure) -> exited(code == null ? 255 : code, pending));
    }

    /**
     * Starts the process with its stdout and stderr going straight to {@link OutputFiles}, read by the
     * executor's {@link OutputPoller}; its exit is learned by the executor's {@link ExitWatcher} (or the
     * JDK's reaper, in the {@code setsid(1)} fallback). No thread of this task's own.
     */
    private void spawnToFiles() throws IOException, ControllerClosedException {
        OutputFiles files = OutputFiles.create(storage, executor.options().stateDir().isEmpty());
        readThen(files, () -> taskSpawner.spawnPiped(executable, workDir, storage, files));
    }

    /** What starts a task's process, or finds it again. */
    private interface Spawner {
        Spawned spawn() throws IOException;
    }

    /**
     * Re-adopts what an earlier executor instance (another JVM, perhaps killed) left in this task's
     * folder under the {@code state-dir}: a folder marks the task prepared; a started one gets its
     * {@link TaskShim} back (alive, or its recorded exit), and its output files are read again from
     * their start. Called once, by the executor, before the controller is handed out.
     */
    void adopt() throws IOException, ControllerClosedException {
        if (!survives) {
            return;
        }
        Path dir = taskFiles.recorded();
        TaskDir taskDir = new TaskDir(dir);
        if (!Files.isDirectory(dir) || !taskId.equals(taskDir.taskId().orElse(null))) {
            return;
        }
        lock.lock();
        try {
            storage = dir;
            prepared = true;
            if (!taskDir.started()) {
                return;
            }
            OutputFiles files =
                    new OutputFiles(
                            dir.resolve(OutputFiles.STDOUT),
                            dir.resolve(OutputFiles.STDERR),
                            false);
            Optional<Spawned> shim = TaskShim.adopt(taskDir, taskId, executor.exitWatcher());
            if (shim.isEmpty()) {
                LOG.info(
                        "task {}: marked started by an earlier agent but never spawned; it may start",
                        taskId);
                taskDir.unmarkStarted();
                return;
            }
            for (Path f : new Path[] {files.stdout(), files.stderr()}) {
                if (!Files.exists(f)) {
                    Files.createFile(f);
                }
            }
            readThen(files, shim::get);
            LOG.info("task {}: re-adopted (shim pid {})", taskId, shim.get().pid());
        } finally {
            lock.unlock();
        }
    }

    /** Has the poller read {@code files}, then starts (or finds) the process that writes them. */
    private void readThen(OutputFiles files, Spawner spawner)
            throws IOException, ControllerClosedException {
        OutputPoller.Source out;
        OutputPoller.Source err;
        try {
            out =
                    executor.poller()
                            .register(
                                    files.stdout(),
                                    new ChunkAssembler(
                                            LogStream.LOG_STREAM_STDOUT, () -> logContext, logs),
                                    files.temporary());
        } catch (IllegalStateException e) {
            throw new ControllerClosedException(
                    "the process executor was closed while task " + taskId + " started");
        }
        try {
            err =
                    executor.poller()
                            .register(
                                    files.stderr(),
                                    new ChunkAssembler(
                                            LogStream.LOG_STREAM_STDERR, () -> logContext, logs),
                                    files.temporary());
        } catch (IOException | IllegalStateException e) {
            out.cancel();
            if (e instanceof IOException io) {
                throw io;
            }
            throw new ControllerClosedException(
                    "the process executor was closed while task " + taskId + " started");
        }
        Spawned p;
        try {
            p = spawner.spawn();
        } catch (IOException | RuntimeException e) {
            out.cancel();
            err.cancel();
            throw new IOException(
                    "container.command[0]: cannot start " + executable + ": " + e.getMessage(), e);
        }
        started(p);
        stdoutSource = out;
        stderrSource = err;
        p.exit()
                .whenComplete(
                        (code, failure) -> {
                            exitCode = code == null ? 255 : code;
                            tree.killRemainingGroup();
                            // the writers are gone (a stray process outside the group aside): what
                            // the files hold is all
                            CompletableFuture.allOf(out.drain(), err.drain())
                                    .whenComplete((v, f) -> finish());
                        });
    }

    private void started(Spawned p) {
        spawned = p;
        stdin = p.stdin();
        tree = new ProcessTree(p.pid(), p.handle(), p.groupLeader(), survives);
    }

    private void startPump(InputStream in, LogStream stream, OutputStream disk, Runnable onEnd) {
        OutputPump pump = new OutputPump(in, stream, () -> logContext, logs, disk, onEnd);
        executor.read(pump);
    }

    /** The process exited: clean up its group, then finish once the output ends, or after a while. */
    private void exited(int code, AtomicInteger pending) {
        exitCode = code;
        tree.killRemainingGroup();
        if (pending.decrementAndGet() == 0) {
            finish();
            return;
        }
        CompletableFuture.delayedExecutor(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .execute(
                        () -> {
                            if (!finished.isDone()) {
                                LOG.warn(
                                        "task {}: output still open {} after exit (held by a process outside the task's group?);"
                                                + " not waiting for it",
                                        taskId,
                                        DRAIN_TIMEOUT);
                                finish();
                            }
                        });
    }

    /** Completes {@link #finished} with the exit code; idempotent. */
    private void finish() {
        lock.lock();
        try {
            if (stdin != null) {
                closeQuietly(stdin);
                stdin = null;
            }
        } finally {
            lock.unlock();
        }
        logs.end();
        finished.complete(exitCode);
    }

    @Override
    public void await() throws Exception {
        checkClosed();
        int code;
        try {
            code = finished.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
        if (code != 0) {
            throw new ExitException(code, ExitMessages.nonZeroExit(code), status());
        }
    }

    @Override
    public void shutdown() throws Exception {
        ProcessTree t = runningTree();
        if (t == null) {
            return;
        }
        t.signal(spec.stopSignal());
        if (waitFinished(spec.gracePeriod())) {
            return;
        }
        LOG.debug(
                "task {}: still running {} after {}; killing it",
                taskId,
                spec.gracePeriod(),
                spec.stopSignal());
        kill(t);
    }

    @Override
    public void terminate() throws Exception {
        ProcessTree t = runningTree();
        if (t != null) {
            kill(t);
        }
    }

    /** The tree of a started process that has not finished yet, or null. */
    private ProcessTree runningTree() throws ControllerClosedException {
        lock.lock();
        try {
            checkClosed();
            return spawned == null || finished.isDone() ? null : tree;
        } finally {
            lock.unlock();
        }
    }

    private void kill(ProcessTree t) throws Exception {
        long deadline = System.nanoTime() + KILL_TIMEOUT.toNanos();
        boolean done;
        do {
            // again and again: under a shim the task's process may not have been forked yet at the
            // first try
            t.signal(Signal.SIGKILL);
            done = waitFinished(Duration.ofMillis(survives ? 100 : KILL_TIMEOUT.toMillis()));
        } while (!done && System.nanoTime() < deadline);
        if (!done) {
            throw new ExecException(
                    "task "
                            + taskId
                            + ": process "
                            + t.pid()
                            + " did not exit within "
                            + KILL_TIMEOUT
                            + " of SIGKILL",
                    new TimeoutException());
        }
    }

    /** Waits until the process finished; true if it did within {@code d}. */
    private boolean waitFinished(Duration d) throws InterruptedException {
        try {
            finished.get(d.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true; // closed meanwhile: nothing left to wait for
        }
    }

    @Override
    public void remove() throws Exception {
        checkClosed();
        terminate();
        lock.lock();
        try {
            if (removed) {
                return;
            }
            removed = true;
            if (spawned == null) {
                // nothing will ever exit: whoever awaits learns why instead of waiting forever
                finished.completeExceptionally(
                        new ExecException("task " + taskId + " was removed before it started"));
            }
            logs.close();
            if (storage != null) {
                TaskStorage.deleteTree(storage);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The process's standard input (a pipe, or the terminal with {@code tty}); see
     * {@link ControllerStdin#stdin()}. Only with {@code open_stdin}; the pipe is otherwise
     * {@code /dev/null}, and a terminal's input is not handed out.
     */
    @Override
    public OutputStream stdin() throws ControllerClosedException {
        lock.lock();
        try {
            if (closed) {
                throw new ControllerClosedException(
                        "task " + taskId + ": the controller is closed");
            }
            if (!spec.openStdin()) {
                throw new IllegalStateException(
                        "task " + taskId + ": its container spec does not set open_stdin");
            }
            if (spawned == null) {
                throw new IllegalStateException("task " + taskId + ": not started yet");
            }
            if (stdinTaken) {
                throw new IllegalStateException(
                        "task " + taskId + ": its standard input was already taken");
            }
            stdinTaken = true;
            OutputStream in = stdin;
            if (in == null) { // the task has exited: writing fails, as the contract says
                in = OutputStream.nullOutputStream();
                closeQuietly(in);
            }
            return new TaskStdin(in, spec.tty());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        ProcessTree t;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            t = spawned == null || finished.isDone() ? null : tree;
            if (t != null && survives) {
                // it runs on under its shim, as a container outlives its controller: only the
                // reading of its output files stops here
                t = null;
                if (stdoutSource != null) {
                    stdoutSource.cancel();
                    stderrSource.cancel();
                }
            }
            if (stdin != null) {
                closeQuietly(stdin);
                stdin = null;
            }
        } finally {
            lock.unlock();
        }
        // waiters learn of the close first, not of the exit the kill below causes
        finished.completeExceptionally(
                new ControllerClosedException("controller for task " + taskId + " is closed"));
        if (t != null) {
            // the exit is still reaped and the readers end at EOF; nobody needs to wait here
            t.signal(Signal.SIGKILL);
        }
        logs.close();
        if (storage != null && executor.options().stateDir().isEmpty()) {
            // the output files in the executor's scratch: nobody can read them any more
            TaskStorage.deleteQuietly(storage);
        }
        executor.forget(this);
    }

    @Override
    public Optional<ContainerStatus> containerStatus() throws ControllerClosedException {
        lock.lock();
        try {
            checkClosed();
            return spawned == null ? Optional.empty() : Optional.of(status());
        } finally {
            lock.unlock();
        }
    }

    private ContainerStatus status() {
        ContainerStatus.Builder b = ContainerStatus.newBuilder().setContainerId(containerId);
        Spawned p = spawned;
        if (p != null) {
            b.setPid((int) p.pid());
        }
        int code = exitCode;
        if (code >= 0) {
            b.setExitCode(code);
        }
        return b.build();
    }

    /**
     * Publishes the task's buffered log messages that match {@code options}, oldest first, as
     * {@link LogSelection} decides for every backend ({@code streams}, {@code since} strictly after,
     * then swarmkit's {@code tail}, applied to what the buffer's {@code log-buffer-size} window
     * holds; a positive tail not used up by the past goes on skipping new messages). With
     * {@code follow} it then publishes new messages as they come, and returns once the task has exited
     * and its output has been read to the end, or once the controller is removed or closed; it throws
     * {@link InterruptedException} when interrupted. The publisher runs on the calling thread: a slow
     * one only delays itself, a failing one ends this call with its exception; neither affects the
     * task, whose output is never held up. While a follower is behind, the buffer keeps what it has
     * not read, up to {@code log-follow-lag}; if it falls further behind, the oldest messages are
     * dropped and it is told: before the messages that follow the gap it receives one message on
     * stderr (whatever {@code streams} asks for), with the task's context, saying how many messages
     * of any stream it missed and which option to raise. However the call ends, the follower is
     * detached, so an abandoned one keeps nothing in memory.
     */
    @Override
    public void logs(LogPublisher publisher, LogSubscriptionOptions options) throws Exception {
        checkClosed();
        logReader.logs(publisher, options);
    }

    /** The task's log buffer, for tests that look at what it holds. */
    LogBuffer logBuffer() {
        return logs;
    }

    String taskId() {
        return taskId;
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("close failed", e);
        }
    }
}

package dev.taskexec.executor.process;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.sun.management.OperatingSystemMXBean;
import dev.taskexec.api.Controller;
import dev.taskexec.api.Executor;
import dev.taskexec.api.ReapedResource;
import dev.taskexec.api.TaskRecovery;
import dev.taskexec.api.proto.EngineDescription;
import dev.taskexec.api.proto.Node;
import dev.taskexec.api.proto.NodeDescription;
import dev.taskexec.api.proto.Platform;
import dev.taskexec.api.proto.Resources;
import dev.taskexec.api.proto.Task;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apiguardian.api.API;

/**
 * The process executor: runs each task as a local OS process (see the package documentation).
 *
 * <p>{@link #controller(Task)} checks the task at once and refuses what a local process cannot
 * honour. {@link #close()} closes every controller still open, which kills their processes.
 * Thread-safe.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ProcessExecutor implements Executor, TaskRecovery {

    private final ProcessExecutorOptions options;
    private final Path setsid;
    private final Set<ProcessController> open = ConcurrentHashMap.newKeySet();
    private volatile String nodeId = "";

    /** Kills the tasks of this executor still running when the JVM exits: they would be orphans. */
    private final Thread exitHook = new Thread(this::close, "taskexec-process-exit");

    private volatile boolean hooked;

    private final boolean posixSpawn;

    /**
     * Runs the output readers. Platform threads, reused: a blocking pipe or PTY read would pin a
     * virtual thread's carrier (or use up the scheduler's compensation threads with many tasks),
     * and reuse keeps thread creation off each task's start. Shut down by {@link #close()}.
     */
    private final ExecutorService readers =
            Executors.newCachedThreadPool(
                    Thread.ofPlatform().daemon().name("taskexec-process-reader-", 0).factory());

    /** Reads the output files of all this executor's piped tasks, on one thread. */
    private final OutputPoller poller = new OutputPoller("taskexec-process-output");

    /** Learns of the exits of all its posix_spawn'ed tasks, on one thread, when pidfds exist. */
    private final ExitWatcher exitWatcher =
            ExitWatcher.available() ? new ExitWatcher("taskexec-process-exits") : null;

    /** Where output files go without a {@code state-dir}: created on first use, deleted by {@link #close()}. */
    private ScratchDirectory scratch;

    /** An executor with {@code options}; starts nothing. */
    public ProcessExecutor(ProcessExecutorOptions options) {
        this(options, PosixSpawn.available());
    }

    /** With {@code posixSpawn} false, processes start through the JDK and {@code setsid(1)} (tests use it). */
    ProcessExecutor(ProcessExecutorOptions options, boolean posixSpawn) {
        this.options = Objects.requireNonNull(options, "options");
        this.setsid = Executables.setsid();
        this.posixSpawn = posixSpawn && PosixSpawn.available();
    }

    /**
     * Whether this executor's tasks outlive it: with a {@code state-dir}, on Linux with pidfds and
     * {@code posix_spawn}, every task but a tty one runs under a {@link TaskShim}.
     */
    boolean survives() {
        return options.stateDir().isPresent() && fileOutput() && posixSpawn && TaskShim.available();
    }

    /**
     * Stops and deletes, under the {@code state-dir}, what no claimed task owns (see {@link OrphanReaper});
     * nothing without a {@code state-dir}, where no task outlives its executor.
     */
    @Override
    public List<ReapedResource> reapOrphans(Set<String> claimedTaskIds) throws Exception {
        if (!survives()) {
            return List.of();
        }
        return new OrphanReaper(options.stateDir().get()).reap(claimedTaskIds);
    }

    /** Whether piped tasks start with {@code posix_spawn(3)} rather than the JDK and {@code setsid(1)}. */
    boolean posixSpawn() {
        return posixSpawn;
    }

    /** Registers the exit hook with the first controller, so executors that run nothing cost nothing. */
    private void hook() {
        if (!hooked) {
            synchronized (exitHook) {
                if (!hooked) {
                    try {
                        Runtime.getRuntime().addShutdownHook(exitHook);
                    } catch (IllegalStateException alreadyExiting) {
                        // the JVM is exiting; nothing to register
                    }
                    hooked = true;
                }
            }
        }
    }

    /**
     * Whether piped tasks write their output to files the {@link OutputPoller} reads (Linux), rather
     * than to pipes with a reader thread each. {@code taskexec.process.outputPipes=true} forces pipes.
     */
    boolean fileOutput() {
        return OutputPoller.available() && !Boolean.getBoolean("taskexec.process.outputPipes");
    }

    OutputPoller poller() {
        return poller;
    }

    /** The watcher for posix_spawn'ed tasks' exits, or null: then a pool thread waits for each. */
    ExitWatcher exitWatcher() {
        return exitWatcher;
    }

    /**
     * This executor's private directory for output files when it has no {@code state-dir}: in
     * {@code /dev/shm} when it is a writable directory with 4 GiB free (memory: freeing what was read is immediate
     * there, where a disk file system first writes the range back), else in {@code java.io.tmpdir}.
     * Leftovers of executors whose JVM was killed are deleted first (see {@link ScratchDirectory}).
     */
    synchronized Path scratch() throws java.io.IOException {
        if (scratch == null) {
            Path shm = Path.of("/dev/shm");
            // a container's /dev/shm is often 64 MiB: a burst of output that the poller has not
            // read yet
            // would fill it and fail the task's writes, so only a roomy one is used
            boolean roomy =
                    java.nio.file.Files.isDirectory(shm)
                            && java.nio.file.Files.isWritable(shm)
                            && java.nio.file.Files.getFileStore(shm).getUsableSpace() >= 4L << 30;
            scratch =
                    ScratchDirectory.create(
                            roomy ? shm : Path.of(System.getProperty("java.io.tmpdir")));
        }
        return scratch.path();
    }

    ProcessExecutorOptions options() {
        return options;
    }

    /** {@code setsid(1)}, or null when this host has none (then trees are found by descent only). */
    Path setsid() {
        return setsid;
    }

    String nodeId() {
        return nodeId;
    }

    /**
     * This host: its name, OS and architecture ({@code uname -m} style, e.g. {@code x86_64}), the
     * CPUs and physical memory the JVM sees, and the engine {@code taskexec-process}.
     */
    @Override
    public NodeDescription describe() {
        long memory = Runtime.getRuntime().maxMemory();
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
            memory = os.getTotalMemorySize();
        }
        String version =
                Objects.requireNonNullElse(
                        ProcessExecutor.class.getPackage().getImplementationVersion(), "dev");
        return NodeDescription.newBuilder()
                .setHostname(ProcessSpec.localHostname().orElse("localhost"))
                .setPlatform(
                        Platform.newBuilder()
                                .setOs(
                                        System.getProperty("os.name", "unknown")
                                                .toLowerCase(Locale.ROOT))
                                .setArchitecture(architecture()))
                .setResources(
                        Resources.newBuilder()
                                .setNanoCpus(
                                        Runtime.getRuntime().availableProcessors() * 1_000_000_000L)
                                .setMemoryBytes(memory))
                .setEngine(
                        EngineDescription.newBuilder()
                                .setEngineVersion("taskexec-process/" + version)
                                .putLabels("java.version", System.getProperty("java.version", "")))
                .build();
    }

    private static String architecture() {
        String arch = System.getProperty("os.arch", "unknown");
        return switch (arch) {
            case "amd64" -> "x86_64";
            case "arm64" -> "aarch64";
            default -> arch;
        };
    }

    /** Remembers the node's id, used in log contexts of tasks that carry none. */
    @Override
    public void configure(Node node) {
        nodeId = node.getId();
    }

    /**
     * A controller for {@code task}, which must have a {@code container} runtime.
     *
     * @throws dev.taskexec.api.RuntimeUnsupportedException for any other runtime
     * @throws IllegalArgumentException naming the field, for a spec a local process cannot honour
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public Controller controller(Task task) throws Exception {
        if (readers.isShutdown()) {
            throw new IllegalStateException("the process executor is closed");
        }
        ProcessSpec spec = ProcessSpec.of(task, options.defaultGracePeriod());
        ProcessController c = new ProcessController(this, task, spec);
        c.adopt();
        hook();
        open.add(c);
        return c;
    }

    void forget(ProcessController c) {
        open.remove(c);
    }

    /** Runs a task's output reader. */
    void read(Runnable pump) {
        readers.execute(pump);
    }

    /**
     * Closes every controller still open, killing their processes (except those of tasks under a
     * shim, with a {@code state-dir}: they run on, for the next executor on the same directory), and
     * ends the reader threads once their streams ended (at once for idle ones). Idempotent.
     */
    @Override
    public void close() {
        for (ProcessController c : new ArrayList<>(open)) {
            c.close();
        }
        readers.shutdown();
        poller.close();
        ScratchDirectory dir;
        synchronized (this) {
            dir = scratch;
            scratch = null;
        }
        if (dir != null) {
            dir.close();
        }
        if (hooked && Thread.currentThread() != exitHook) {
            synchronized (exitHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(exitHook);
                } catch (IllegalStateException alreadyExiting) {
                    // the hook is running or about to: it closes the same controllers
                }
                hooked = false;
            }
        }
    }
}

package dev.taskexec.cli.node;

import dev.taskexec.agent.SwarmNode;
import dev.taskexec.agent.identity.JoinException;
import dev.taskexec.agent.runtime.TaskFiles;
import dev.taskexec.agent.runtime.TaskMapping;
import dev.taskexec.api.Executor;
import dev.taskexec.api.proto.TaskStatus;
import dev.taskexec.cli.Backends;
import dev.taskexec.cli.CommandException;
import dev.taskexec.cli.DebugOption;
import dev.taskexec.cli.ExitCodes;
import dev.taskexec.cli.KeyValue;
import dev.taskexec.cli.VersionProvider;
import dev.taskexec.core.ExecutorRegistry;
import dev.taskexec.core.TaskStoreException;
import dev.taskexec.store.sqlite.SqliteTaskStore;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code taskexec node join}: joins a swarm as a worker (or, with an identity in the state
 * directory, starts as the node it already is) and runs in the foreground, one line on stderr per
 * task state change, until Ctrl-C or SIGTERM. See the package comment for what the swarm does with
 * the node's tasks then.
 */
@Command(
        name = "join",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        versionProvider = VersionProvider.class,
        description =
                "Joins a Docker Swarm as a worker node and runs the tasks the swarm assigns to it on a taskexec "
                        + "backend, in the foreground, printing each task state change. A second start with the same state "
                        + "directory is the same node and needs no token.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  taskexec node join --token $(docker swarm join-token -q worker) 127.0.0.1:2377",
            "  taskexec node join -e docker --advertise-hostname java-node-1 --token SWMTKN-1-... 10.0.0.1:2377",
            "  taskexec node join --state-dir /var/lib/taskexec-node     # a restart: no token, the saved managers",
            "",
            "Then, on a manager:",
            "  docker service create --constraint node.hostname==java-node-1 --restart-condition none \\",
            "      taskexec-test:latest sh -c 'echo hello from a taskexec node'",
            "",
            "Ctrl-C stops the node, not its tasks; a restart with the same state directory takes them up again.",
            "The swarm marks a stopped node Down after about 15 s and reschedules its replicated tasks elsewhere.",
        })
public final class JoinCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    /** Where in the state directory the node keeps its tasks (SQLite), so that a restart takes them up. */
    static final String TASKS = "tasks";

    /** The process backend's {@code state-dir} in the node's state directory, unless {@code -o state-dir} says otherwise. */
    static final String PROCESS_TASKS = "process-tasks";

    @Mixin DebugOption debug;

    @Spec CommandSpec spec;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            description =
                    "The join token (docker swarm join-token -q worker). Needed only the first time.")
    String token;

    @Option(
            names = "--advertise-hostname",
            paramLabel = "NAME",
            description =
                    "The host name the node advertises (docker node ls; node.hostname constraints). Default: this machine's.")
    String hostname;

    @Option(
            names = {"-e", "--executor"},
            paramLabel = "NAME",
            defaultValue = "process",
            description =
                    "The backend the node's tasks run on (default: ${DEFAULT-VALUE}). See 'taskexec executors'.")
    String executor;

    @Option(
            names = {"-o", "--option"},
            paramLabel = "KEY=VALUE",
            converter = KeyValue.Converter.class,
            description = "An option for the backend; repeatable.")
    List<KeyValue> executorOptions = new ArrayList<>();

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description =
                    "Where the node keeps its identity (default: $XDG_STATE_HOME/taskexec/node, else ~/.local/state/taskexec/node).")
    Path stateDirectory;

    @Parameters(
            arity = "0..1",
            paramLabel = "MANAGER:PORT",
            description =
                    "A manager's swarm address, such as 127.0.0.1:2377. Optional on a restart (the last one is remembered).")
    String manager;

    @Override
    public Integer call() throws Exception {
        Path dir = stateDirectory != null ? stateDirectory : NodeCommand.defaultStateDirectory();
        PrintWriter err = spec.commandLine().getErr();
        SwarmNode.Builder builder;
        ExecutorRegistry registry = Backends.registry(ExitCodes.FAILURE);
        Map<String, String> options =
                new LinkedHashMap<>(KeyValue.toMap(executorOptions, "-o", ExitCodes.USAGE));
        if (executor.equals("docker")) {
            // The docker mapping bind-mounts secrets and configs from the node's own files root;
            // the
            // backend's node policy (restricted by default) must let exactly that root through.
            options.merge(
                    "allow-bind",
                    TaskFiles.defaultRoot().toString(),
                    (given, root) -> given + "," + root);
        }
        // nothing is kept before there is a node to keep it for: a join refused for want of a token
        // leaves the state directory as it found it
        boolean keeps = token != null || java.nio.file.Files.isRegularFile(dir.resolve("node-id"));
        if (keeps && executor.equals("process")) {
            // the node's tasks outlive a restart of the node, as containers do: their shims keep
            // them, and the next start takes them up again from the task store
            options.putIfAbsent("state-dir", dir.resolve(PROCESS_TASKS).toString());
        }
        Executor backend = Backends.open(registry, executor, options, ExitCodes.FAILURE);
        SqliteTaskStore store = null;
        try {
            try {
                if (keeps) {
                    store = SqliteTaskStore.open(dir.resolve(TASKS));
                }
            } catch (TaskStoreException e) {
                throw new CommandException(
                        ExitCodes.FAILURE,
                        "cannot open the node's task store in "
                                + dir.resolve(TASKS)
                                + ": "
                                + e.getMessage(),
                        e);
            }
            try {
                builder =
                        SwarmNode.builder(dir, backend)
                                .token(token)
                                .hostname(hostname)
                                .mapping(TaskMapping.forBackend(executor, TaskFiles.defaultRoot()));
                if (store != null) {
                    builder.store(store);
                }
                if (manager != null) {
                    builder.manager(manager);
                }
            } catch (IllegalArgumentException e) {
                throw new CommandException(ExitCodes.USAGE, e.getMessage(), e);
            }
            SwarmNode node;
            try {
                node = builder.start();
            } catch (JoinException e) {
                throw new CommandException(ExitCodes.FAILURE, e.getMessage(), e);
            } catch (StatusRuntimeException e) {
                throw new CommandException(
                        ExitCodes.FAILURE,
                        "cannot reach the swarm manager"
                                + (manager != null ? " at " + manager : "")
                                + " ("
                                + e.getStatus().getCode()
                                + "): "
                                + (e.getStatus().getDescription() != null
                                        ? e.getStatus().getDescription()
                                        : Backends.oneLine(e)),
                        e);
            } catch (IllegalStateException e) {
                throw new CommandException(ExitCodes.FAILURE, e.getMessage(), e);
            }
            return runInForeground(node, dir, err);
        } finally {
            backend.close();
            if (store != null) {
                store.close();
            }
        }
    }

    private int runInForeground(SwarmNode node, Path dir, PrintWriter err)
            throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook =
                new Thread(
                        () -> {
                            node.close();
                            stopped.countDown();
                        },
                        "taskexec-node-stop");
        try {
            err.println(
                    "taskexec: node "
                            + node.nodeId()
                            + " ("
                            + node.identity().role()
                            + ", host name "
                            + node.hostname()
                            + ") in swarm "
                            + node.identity().clusterId()
                            + "; identity in "
                            + dir);
            err.flush();
            node.worker().listen((taskId, status) -> printStatus(err, taskId, status));
            Runtime.getRuntime().addShutdownHook(hook);
            stopped.await();
            return ExitCodes.INTERRUPTED;
        } finally {
            node.close();
        }
    }

    private static void printStatus(PrintWriter err, String taskId, TaskStatus status) {
        Instant at =
                status.hasTimestamp()
                        ? Instant.ofEpochSecond(
                                status.getTimestamp().getSeconds(),
                                status.getTimestamp().getNanos())
                        : Instant.now();
        String time = LocalTime.ofInstant(at, ZoneId.systemDefault()).format(TIME);
        StringBuilder line =
                new StringBuilder("taskexec: ")
                        .append(time)
                        .append(' ')
                        .append(taskId)
                        .append(' ')
                        .append(String.format("%-9s", status.getState().name()))
                        .append(' ')
                        .append(status.getMessage());
        if (!status.getErr().isEmpty()) {
            line.append("  err: ").append(status.getErr());
        }
        synchronized (err) {
            err.println(line);
            err.flush();
        }
    }
}

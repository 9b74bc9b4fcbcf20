package dev.taskexec.cli.run;

import dev.taskexec.api.Executor;
import dev.taskexec.api.proto.Node;
import dev.taskexec.api.proto.Task;
import dev.taskexec.cli.Backends;
import dev.taskexec.cli.BoundedCall;
import dev.taskexec.cli.CommandException;
import dev.taskexec.cli.DebugOption;
import dev.taskexec.cli.DurationArgument;
import dev.taskexec.cli.ExitCodes;
import dev.taskexec.cli.KeyValue;
import dev.taskexec.cli.VersionProvider;
import dev.taskexec.executor.docker.DockerExecutor;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code taskexec run}: runs one task to its end on a backend and exits with its exit code.
 *
 * <p>The task is built by {@link TaskRequest} and run by {@link ForegroundRun}; see them for the
 * decisions. Every failure before the task could run exits with 125, like {@code docker run}.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        versionProvider = VersionProvider.class,
        description =
                "Runs one task to its end: prints each state change on stderr (time, state, message, err), "
                        + "copies the task's stdout and stderr as it writes them, and exits with the task's exit code.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  taskexec run -- sh -c 'echo hello from a task; exit 3'",
            "  taskexec run --env WHO=world --grace 2s -- sh -c 'echo hello $WHO'",
            "  taskexec run -e docker --image taskexec-test:latest -- echo hello from a container",
            "  taskexec run -i -e docker --image taskexec-test:latest -- wc -c < big.file",
            "  taskexec run -i --tty -e docker --image taskexec-test:latest -- sh",
            "  taskexec run --task task.json",
            "  taskexec run --json -- true 2> statuses.jsonl",
            "",
            "A task file holds one Task as protobuf JSON, for example:",
            "  {\"spec\": {\"container\": {\"command\": [\"sh\"], \"args\": [\"-c\", \"echo hi\"],",
            "                          \"env\": [\"WHO=world\"], \"stopGracePeriod\": \"5s\"}}}",
            "",
            "Pulling a Docker image shows one progress line on stderr, redrawn in place, then a summary",
            "line; only when stderr is a terminal, and never with --json.",
            "",
            "Exit codes: the task's own; 125 if it was rejected or could not be run; 130 when Ctrl-C,",
            "143 when SIGTERM came first; 141 when stdout was closed. Ctrl-C or SIGTERM shuts the task down",
            "gracefully (its stop signal, then the grace period); a second one of either kills it at once.",
            "Either way the command exits only once the task is removed.",
        })
public final class RunCommand implements Callable<Integer> {

    /** How long to wait for the task's output to end after the task has. */
    private static final Duration LOG_DRAIN = Duration.ofSeconds(5);

    /**
     * The docker backend's {@code owner} option (the {@code dev.taskexec.owner} label of its
     * containers, which its orphan reaper goes by), unless {@code -o owner=} says otherwise.
     */
    public static final String DOCKER_OWNER_OPTION = "owner";

    /** The environment variable that marks the task's processes as started by {@code run}. */
    public static final String OWNER_ENV = "TASKEXEC_OWNER";

    /**
     * The owner {@code run} marks its tasks with: not the agents' default ({@code taskexec}), so that
     * an agent's orphan reaper on the same engine never takes a container of a running command.
     */
    public static final String OWNER = "cli";

    /** How long the backend may take to describe itself before the task is started. */
    private static final Duration PREFLIGHT = Duration.ofSeconds(30);

    /** Bytes of task output buffered per stream between flushes. */
    private static final int BUFFER = 64 * 1024;

    /** The node the command runs tasks as; there is no manager, so this is a fixed local name. */
    static final String NODE_ID = "local";

    @Option(
            names = {"-e", "--executor"},
            paramLabel = "NAME",
            defaultValue = "process",
            description =
                    "The backend to run on (default: ${DEFAULT-VALUE}). See 'taskexec executors'.")
    String executor;

    @Option(
            names = {"-o", "--option"},
            paramLabel = "KEY=VALUE",
            converter = KeyValue.Converter.class,
            description = "An option for the backend; repeatable. 'taskexec executors' lists them.")
    List<KeyValue> executorOptions = new ArrayList<>();

    @Option(
            names = "--image",
            paramLabel = "IMAGE",
            description =
                    "The image to run (the docker backend needs one; the process backend ignores it).")
    String image;

    @Option(names = "--tty", description = "Run the task on a pseudo-terminal.")
    boolean tty;

    @Option(
            names = {"-i", "--interactive"},
            description =
                    "Connect this command's standard input to the task's, from the moment it runs; the end "
                            + "of input is passed on (with --tty as the terminal's end-of-file, ^D). Backends: process, docker.")
    boolean interactive;

    @Option(
            names = "--env",
            paramLabel = "KEY=VALUE",
            converter = KeyValue.Converter.class,
            description = "An environment variable for the task; repeatable.")
    List<KeyValue> env = new ArrayList<>();

    @Option(
            names = "--grace",
            paramLabel = "DURATION",
            converter = DurationArgument.class,
            description =
                    "How long the task may take to stop after its stop signal before it is killed, "
                            + "such as 10s, 500ms or 1m (default: the backend's).")
    Duration grace;

    @Option(
            names = "--cleanup-timeout",
            paramLabel = "DURATION",
            converter = DurationArgument.class,
            defaultValue = "2m",
            description =
                    "How long to keep retrying the task's removal while its runtime (the Docker Engine) "
                            + "cannot be reached, before saying what was left (default: ${DEFAULT-VALUE}).")
    Duration cleanupTimeout;

    @Option(
            names = "--task",
            paramLabel = "FILE.json",
            description = "Run the task in this file (protobuf JSON) instead of a command.")
    Path taskFile;

    @Option(
            names = "--json",
            description = "Print the state changes as JSON lines (still on stderr).")
    boolean json;

    @Parameters(
            paramLabel = "COMMAND",
            arity = "0..*",
            description =
                    "The program to run and its arguments; put them after -- so that their options are theirs.")
    List<String> command = new ArrayList<>();

    @Mixin DebugOption debug;

    @Override
    public Integer call() throws Exception {
        Task task;
        try {
            task =
                    owned(
                            new TaskRequest(
                                            taskFile,
                                            command,
                                            image,
                                            tty,
                                            env.stream().map(KeyValue::toString).toList(),
                                            grace)
                                    .toTask().toBuilder().setNodeId(NODE_ID).build());
            if (interactive) {
                task =
                        task.toBuilder()
                                .setSpec(
                                        task.getSpec().toBuilder()
                                                .setContainer(
                                                        task.getSpec().getContainer().toBuilder()
                                                                .setOpenStdin(true)))
                                .build();
            }
        } catch (IllegalArgumentException e) {
            throw new CommandException(ExitCodes.NOT_RUN, Backends.oneLine(e), e);
        }
        Map<String, String> options =
                new java.util.LinkedHashMap<>(
                        KeyValue.toMap(executorOptions, "-o", ExitCodes.NOT_RUN));
        if (executor.equals("docker")) {
            options.putIfAbsent(DOCKER_OWNER_OPTION, OWNER);
        }
        // The task's output and the state lines share these streams, so their order is kept; they
        // are buffered (LogFollower flushes them periodically) so that a chatty task is copied
        // fast.
        PrintStream out =
                new PrintStream(
                        new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), BUFFER),
                        false);
        PrintStream err =
                new PrintStream(
                        new BufferedOutputStream(new FileOutputStream(FileDescriptor.err), BUFFER),
                        false);
        // Pull progress is for a person watching: only on a terminal, and never among JSON lines.
        PullProgressDisplay pulls =
                json || !Terminal.stderrIsTerminal()
                        ? null
                        : new PullProgressDisplay(
                                err, Terminal.columns(System.getenv("COLUMNS")), System::nanoTime);
        StatusOutput output =
                json
                        ? new StatusOutput.Json(err)
                        : new StatusOutput.Text(
                                err,
                                ZoneId.systemDefault(),
                                pulls == null ? () -> {} : pulls::endLine);
        try (Executor backend =
                Backends.open(
                        Backends.registry(ExitCodes.NOT_RUN),
                        executor,
                        options,
                        ExitCodes.NOT_RUN)) {
            if (pulls != null && backend instanceof DockerExecutor docker) {
                docker.pullListener(pulls);
            }
            try {
                backend.configure(Node.newBuilder().setId(NODE_ID).build());
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                throw new CommandException(
                        ExitCodes.NOT_RUN,
                        "cannot configure executor '" + executor + "': " + Backends.oneLine(e),
                        e);
            }
            // The lifecycle retries a temporary failure forever, as an agent must; in the
            // foreground
            // a runtime that is down at the start is better said at once (a later outage is
            // retried).
            String unavailable = BoundedCall.failure(backend::describe, PREFLIGHT).orElse(null);
            if (unavailable != null) {
                throw new CommandException(
                        ExitCodes.NOT_RUN,
                        "executor '"
                                + executor
                                + "' cannot run tasks here: "
                                + unavailable
                                + " (see 'taskexec executors')");
            }
            ForegroundRun run =
                    new ForegroundRun(
                            task,
                            backend,
                            output,
                            out,
                            err,
                            LOG_DRAIN,
                            cleanupTimeout,
                            RemovalHint.of(executor, options, task.getId()));
            if (interactive) {
                run.connectStdin(System.in, executor);
            }
            // Not restored afterwards: see InterruptSignal on late signals.
            InterruptSignal.install(run::interrupt);
            try {
                return run.run();
            } finally {
                out.flush();
                err.flush();
            }
        }
    }

    /**
     * Marks the task's processes as the command's own, so that what it leaves after a crash (the
     * command killed with SIGKILL) can be told from others': {@value #OWNER_ENV}={@value #OWNER} in a
     * container task's environment, beside the process backend's {@code TASKEXEC_TASK_ID}. (Docker
     * containers are marked by the backend's {@code owner} option, set in {@link #call()}.)
     */
    static Task owned(Task task) {
        Task.Builder owned = task.toBuilder();
        if (owned.getSpec().hasContainer()) {
            var container = owned.getSpecBuilder().getContainerBuilder();
            List<String> env = new ArrayList<>(container.getEnvList());
            env.removeIf(e -> e.equals(OWNER_ENV) || e.startsWith(OWNER_ENV + "="));
            env.add(OWNER_ENV + "=" + OWNER);
            container.clearEnv().addAllEnv(env);
        }
        return owned.build();
    }
}

package dev.taskexec.conformance.selftest;

import dev.taskexec.api.Controller;
import dev.taskexec.api.ControllerClosedException;
import dev.taskexec.api.Executor;
import dev.taskexec.api.ExecutorProvider;
import dev.taskexec.api.ExitException;
import dev.taskexec.api.RuntimeUnsupportedException;
import dev.taskexec.api.TaskAlreadyPreparedException;
import dev.taskexec.api.TaskAlreadyStartedException;
import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.Node;
import dev.taskexec.api.proto.NodeDescription;
import dev.taskexec.api.proto.Task;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A minimal backend that runs a task's container command as a process of this machine, written
 * the way a newcomer would from the SPI Javadoc, healthy or with one {@link Bug}. The fake backend
 * has no processes, environment or signals, so the rules about those (LC-11 … LC-13, EX-3, EX-6,
 * EX-7, RS-6, ER-5) need real processes to show that they catch what they were written for.
 *
 * <p>It offers no logs and no status, declares only {@code GRACEFUL_STOP}, and knows the stop
 * signals {@link #SIGNALS}.
 */
final class HostBackend implements ExecutorProvider {

    /** The one thing a broken variant gets wrong. */
    enum Bug {
        NONE,
        /** Starts the process without the spec's {@code env}. */
        IGNORES_ENV,
        /** Starts the process in the JVM's working directory, whatever the spec's {@code dir}. */
        IGNORES_DIR,
        /** Always sends SIGTERM on shutdown, whatever the spec's {@code stop_signal}. */
        ALWAYS_SIGTERM,
        /** terminate kills the direct child and leaves its descendants. */
        KILLS_ONLY_CHILD,
        /** remove forgets the task and leaves its process running. */
        REMOVE_LEAVES_RUNNING,
        /** Reports every death by a signal as exit code -1. */
        SIGNAL_DEATH_AS_MINUS_ONE,
        /** Ignores what it cannot honour (an unknown stop signal) and runs the task anyway. */
        RUNS_WHAT_IT_CANNOT_HONOUR
    }

    private static final Set<String> SIGNALS =
            Set.of("HUP", "INT", "QUIT", "KILL", "USR1", "USR2", "TERM");

    private final Bug bug;

    HostBackend(Bug bug) {
        this.bug = bug;
    }

    @Override
    public String name() {
        return bug == Bug.NONE ? "host" : "host-" + bug.name().toLowerCase().replace('_', '-');
    }

    @Override
    public String description() {
        return "processes of this machine, for the conformance kit's self-test"
                + (bug == Bug.NONE ? "" : " (" + bug + ")");
    }

    @Override
    public Executor create(Map<String, String> options) {
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("unknown options: " + options.keySet());
        }
        return new Executor() {
            @Override
            public NodeDescription describe() {
                return NodeDescription.newBuilder().setHostname("self-test").build();
            }

            @Override
            public void configure(Node node) {}

            @Override
            public Controller controller(Task task) throws RuntimeUnsupportedException {
                if (task.getSpec().hasGeneric()) {
                    throw new RuntimeUnsupportedException(
                            "generic runtime " + task.getSpec().getGeneric().getKind());
                }
                if (!task.getSpec().hasContainer()) {
                    throw new IllegalArgumentException("the task has no container runtime");
                }
                ContainerSpec spec = task.getSpec().getContainer();
                if (spec.getCommandCount() == 0 && bug != Bug.RUNS_WHAT_IT_CANNOT_HONOUR) {
                    throw new IllegalArgumentException("the container spec has no command");
                }
                String signal =
                        spec.getStopSignal().isEmpty()
                                ? "TERM"
                                : spec.getStopSignal().replaceFirst("^SIG", "");
                if (!SIGNALS.contains(signal)) {
                    if (bug != Bug.RUNS_WHAT_IT_CANNOT_HONOUR) {
                        throw new IllegalArgumentException(
                                "unknown stop_signal " + spec.getStopSignal());
                    }
                    signal = "TERM";
                }
                return new HostController(spec, signal);
            }
        };
    }

    /** One task's process. Synchronised: shutdown and terminate may come from another thread while await blocks. */
    private final class HostController implements Controller {

        private final ContainerSpec spec;
        private final String signal;
        private ProcessBuilder builder;
        private Process process;
        private boolean closed;

        HostController(ContainerSpec spec, String signal) {
            this.spec = spec;
            this.signal = bug == Bug.ALWAYS_SIGTERM ? "TERM" : signal;
        }

        @Override
        public void update(Task task) {}

        @Override
        public synchronized void prepare() throws Exception {
            open();
            if (builder != null) {
                throw new TaskAlreadyPreparedException();
            }
            List<String> argv = new ArrayList<>(spec.getCommandList());
            argv.addAll(spec.getArgsList());
            if (!argv.isEmpty() && !executable(argv.get(0))) {
                throw new IllegalArgumentException("no such program: " + argv.get(0));
            }
            ProcessBuilder made =
                    new ProcessBuilder(argv)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .redirectError(ProcessBuilder.Redirect.DISCARD);
            if (bug != Bug.IGNORES_ENV) {
                for (String entry : spec.getEnvList()) {
                    int eq = entry.indexOf('=');
                    if (eq > 0) {
                        made.environment().put(entry.substring(0, eq), entry.substring(eq + 1));
                    }
                }
            }
            if (bug != Bug.IGNORES_DIR && !spec.getDir().isEmpty()) {
                made.directory(new File(spec.getDir()));
            }
            dev.taskexec.conformance.TestProcesses.mark(
                    made); // its bugs leave processes behind on purpose
            builder = made;
        }

        @Override
        public synchronized void start() throws Exception {
            open();
            if (builder == null) {
                throw new IllegalStateException("start before prepare");
            }
            if (process != null) {
                throw new TaskAlreadyStartedException();
            }
            process = builder.start();
        }

        @Override
        public void await() throws Exception {
            Process running;
            synchronized (this) {
                open();
                running = process;
            }
            if (running == null) {
                throw new IllegalStateException("await before start");
            }
            int code = running.waitFor();
            if (code == 0) {
                return;
            }
            throw new ExitException(
                    bug == Bug.SIGNAL_DEATH_AS_MINUS_ONE && code > 128 ? -1 : code, null);
        }

        @Override
        public void shutdown() throws Exception {
            Process running = running();
            if (running == null) {
                return;
            }
            Process kill =
                    new ProcessBuilder("sh", "-c", "kill -s " + signal + " " + running.pid())
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .redirectError(ProcessBuilder.Redirect.DISCARD)
                            .start();
            kill.waitFor();
            Duration grace =
                    Duration.ofSeconds(
                            spec.getStopGracePeriod().getSeconds(),
                            spec.getStopGracePeriod().getNanos());
            if (!running.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                terminate();
            }
        }

        @Override
        public void terminate() throws Exception {
            Process running = running();
            if (running == null) {
                return;
            }
            // Descendants first noted, then the parent killed so it forks no more, then the rest.
            List<ProcessHandle> tree = running.descendants().toList();
            running.destroyForcibly();
            if (bug != Bug.KILLS_ONLY_CHILD) {
                tree.forEach(ProcessHandle::destroyForcibly);
            }
            running.waitFor();
        }

        @Override
        public void remove() throws Exception {
            if (bug != Bug.REMOVE_LEAVES_RUNNING) {
                terminate();
            }
        }

        @Override
        public synchronized void close() {
            closed = true;
        }

        private static boolean executable(String program) {
            if (program.contains("/")) {
                return new File(program).canExecute();
            }
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
                if (new File(dir, program).canExecute()) {
                    return true;
                }
            }
            return false;
        }

        private synchronized Process running() {
            return process != null && process.isAlive() ? process : null;
        }

        private void open() throws ControllerClosedException {
            if (closed) {
                throw new ControllerClosedException("closed");
            }
        }
    }

    @Override
    public String toString() {
        return name();
    }
}

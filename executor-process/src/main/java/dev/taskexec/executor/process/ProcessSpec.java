package dev.taskexec.executor.process;

import dev.taskexec.api.RuntimeUnsupportedException;
import dev.taskexec.api.input.Quote;
import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.ResourceRequirements;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.support.InvalidTaskException;
import dev.taskexec.api.support.Signal;
import dev.taskexec.api.support.TaskSpecDefaults;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a task asks of a local process, checked once when its controller is made.
 *
 * <p>Everything that can be judged without touching the file system is judged here, so a task the
 * backend cannot honour is refused by {@code Executor.controller} (the task is REJECTED with a
 * message naming the field); the executable and the working directory are looked up by
 * {@code prepare}. {@code image} is ignored: a local process runs from the host's file system.
 *
 * @param argv        {@code command} followed by {@code args}; never empty
 * @param env         the task's {@code env}, in order, later entries winning
 * @param dir         the working directory as written; empty means the JVM's
 * @param tty         run in a pseudo-terminal
 * @param openStdin   keep standard input open (it is closed at once otherwise)
 * @param stopSignal  sent by {@code shutdown}
 * @param gracePeriod between the stop signal and SIGKILL
 */
record ProcessSpec(
        List<String> argv,
        Map<String, String> env,
        String dir,
        boolean tty,
        boolean openStdin,
        Signal stopSignal,
        Duration gracePeriod) {

    /** Whether signal numbers are Linux's here; elsewhere only the POSIX-fixed ones are sent. */
    private static final boolean LINUX =
            System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");

    ProcessSpec {
        argv = List.copyOf(argv);
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }

    /**
     * Checks a task and extracts what the process backend needs.
     *
     * @throws RuntimeUnsupportedException when the task's runtime is not {@code container}
     * @throws InvalidTaskException        naming the field, for anything that cannot be honoured
     */
    static ProcessSpec of(Task task, Duration defaultGracePeriod)
            throws RuntimeUnsupportedException {
        if (!task.hasSpec() || !task.getSpec().hasContainer()) {
            String runtime =
                    task.hasSpec()
                            ? task.getSpec()
                                    .getRuntimeCase()
                                    .name()
                                    .toLowerCase(java.util.Locale.ROOT)
                            : "none";
            throw new RuntimeUnsupportedException(
                    "the process executor runs container tasks only; task runtime is " + runtime);
        }
        ContainerSpec c = task.getSpec().getContainer();
        refuseUnsupported(task, c);

        List<String> argv = new ArrayList<>(c.getCommandCount() + c.getArgsCount());
        argv.addAll(c.getCommandList());
        argv.addAll(c.getArgsList());
        if (c.getCommandCount() == 0 || c.getCommand(0).isEmpty()) {
            throw new InvalidTaskException(
                    "container.command",
                    "empty; the process executor has no image to supply a default command");
        }
        for (int i = 0; i < c.getCommandCount(); i++) {
            noNul("container.command", i, c.getCommand(i));
        }
        for (int i = 0; i < c.getArgsCount(); i++) {
            noNul("container.args", i, c.getArgs(i));
        }

        Map<String, String> env = TaskSpecDefaults.env(c);

        noNul("container.dir", c.getDir());

        Signal stop = TaskSpecDefaults.stopSignal(c);
        if (!stop.portable() && !LINUX) {
            // numbers beyond POSIX's are Linux's: sent elsewhere they would mean another signal
            throw new InvalidTaskException(
                    TaskSpecDefaults.STOP_SIGNAL_FIELD,
                    stop.name()
                            + " has a Linux number; on this system only HUP, INT, QUIT, ABRT, KILL, ALRM and TERM can be sent");
        }
        Duration grace = TaskSpecDefaults.stopGracePeriod(c, defaultGracePeriod);
        return new ProcessSpec(argv, env, c.getDir(), c.getTty(), c.getOpenStdin(), stop, grace);
    }

    private static void noNul(String field, int index, String value) {
        if (value.indexOf('\0') >= 0) {
            throw new InvalidTaskException(field, index, "contains a NUL byte");
        }
    }

    private static void noNul(String field, String value) {
        if (value.indexOf('\0') >= 0) {
            throw new InvalidTaskException(field, "contains a NUL byte");
        }
    }

    /** Fields a local process cannot honour: refused, never silently dropped. */
    private static void refuseUnsupported(Task task, ContainerSpec c) {
        if (!c.getUser().isEmpty() && !isCurrentUser(c.getUser())) {
            throw new InvalidTaskException(
                    "container.user",
                    Quote.of(c.getUser())
                            + " is not the user running this executor ("
                            + System.getProperty("user.name")
                            + "); the process executor cannot switch users");
        }
        if (c.getMountsCount() > 0) {
            throw cannot("container.mounts", "mounts");
        }
        if (c.getReadOnly()) {
            throw cannot("container.read_only", "a read-only root file system");
        }
        if (c.getGroupsCount() > 0) {
            throw cannot("container.groups", "supplementary groups");
        }
        if (c.getSecretsCount() > 0) {
            throw cannot("container.secrets", "secrets");
        }
        if (c.getConfigsCount() > 0) {
            throw cannot("container.configs", "configs");
        }
        if (c.getHostsCount() > 0) {
            throw cannot("container.hosts", "extra /etc/hosts entries");
        }
        if (c.hasDnsConfig()) {
            throw cannot("container.dns_config", "a DNS configuration");
        }
        if (c.hasPrivileges()
                && !c.getPrivileges()
                        .equals(dev.taskexec.api.proto.Privileges.getDefaultInstance())) {
            // an all-default privileges message asks for nothing; anything set is a request a
            // process cannot meet
            throw cannot(
                    "container.privileges",
                    "privileges (credential spec, SELinux, seccomp, AppArmor)");
        }
        if (c.getIsolationValue() != 0) {
            throw cannot("container.isolation", "an isolation technology");
        }
        if (c.getPidsLimit() > 0) {
            throw cannot("container.pidsLimit", "a process-count limit");
        }
        if (c.getSysctlsCount() > 0) {
            throw cannot("container.sysctls", "sysctls");
        }
        if (c.getCapabilityAddCount() > 0 || c.getCapabilityDropCount() > 0) {
            throw cannot(
                    c.getCapabilityAddCount() > 0
                            ? "container.capability_add"
                            : "container.capability_drop",
                    "capability changes");
        }
        if (c.getUlimitsCount() > 0) {
            throw cannot("container.ulimits", "ulimits");
        }
        if (c.getOomScoreAdj() != 0) {
            throw cannot("container.oom_score_adj", "an OOM score adjustment");
        }
        if (c.hasInit() && c.getInit().getValue()) {
            throw cannot("container.init", "an init process");
        }
        if (c.hasHealthcheck()
                && c.getHealthcheck().getTestCount() > 0
                && !c.getHealthcheck().getTest(0).equals("NONE")) {
            throw cannot("container.healthcheck", "health checks");
        }
        if (!c.getHostname().isEmpty() && !c.getHostname().equals(localHostname().orElse(null))) {
            throw new InvalidTaskException(
                    "container.hostname",
                    Quote.of(c.getHostname())
                            + " differs from this host's name; a local process cannot have its own hostname");
        }
        if (task.getSpec().hasResources() && task.getSpec().getResources().hasLimits()) {
            ResourceRequirements r = task.getSpec().getResources();
            if (r.getLimits().getNanoCpus() > 0) {
                throw cannot("resources.limits.nano_cpus", "CPU limits");
            }
            if (r.getLimits().getMemoryBytes() > 0) {
                throw cannot("resources.limits.memory_bytes", "memory limits");
            }
            if (r.getLimits().getGenericCount() > 0) {
                throw cannot("resources.limits.generic", "generic resource limits");
            }
        }
    }

    private static InvalidTaskException cannot(String field, String what) {
        return new InvalidTaskException(field, "the process executor cannot provide " + what);
    }

    /** {@code name}, {@code uid}, {@code name:gid} or {@code uid:gid} of the JVM's own user and group. */
    private static boolean isCurrentUser(String user) {
        int colon = user.indexOf(':');
        String u = colon >= 0 ? user.substring(0, colon) : user;
        String g = colon >= 0 ? user.substring(colon + 1) : null;
        boolean userOk =
                u.equals(System.getProperty("user.name"))
                        || Posix.uid().map(uid -> u.equals(Integer.toString(uid))).orElse(false);
        boolean groupOk =
                g == null || Posix.gid().map(gid -> g.equals(Integer.toString(gid))).orElse(false);
        return userOk && groupOk;
    }

    static Optional<String> localHostname() {
        try {
            return Optional.of(InetAddress.getLocalHost().getHostName());
        } catch (java.io.IOException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME"));
        }
    }
}

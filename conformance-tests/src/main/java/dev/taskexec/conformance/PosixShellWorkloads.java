package dev.taskexec.conformance;

import com.google.protobuf.Duration;
import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.TaskSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@link Workloads} as POSIX shell scripts. The scripts stay within what busybox
 * {@code sh} offers, because the Docker test image is a bare busybox.
 */
record PosixShellWorkloads(String image) implements Workloads {

    /** Default grace period for workloads that do not ask for one: short, so clean-up stays fast. */
    private static final java.time.Duration DEFAULT_GRACE = java.time.Duration.ofSeconds(1);

    private static final Pattern ENV_NAME = Pattern.compile("[A-Z_][A-Z0-9_]*");
    private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7e&&[^'\"\\\\]]*");

    @Override
    public TaskSpec exit(int code) {
        return spec("exit " + checkCode(code), DEFAULT_GRACE);
    }

    @Override
    public TaskSpec exitAfter(java.time.Duration delay, int code) {
        long seconds = Math.max(1, (delay.toMillis() + 999) / 1000);
        return spec("sleep " + seconds + "; exit " + checkCode(code), DEFAULT_GRACE);
    }

    @Override
    public TaskSpec print(List<String> stdout, List<String> stderr, int code) {
        StringBuilder script = new StringBuilder();
        if (!stdout.isEmpty()) {
            script.append("printf '%s\\n'");
            stdout.forEach(line -> script.append(' ').append(quote(line)));
            script.append("; ");
        }
        if (!stderr.isEmpty()) {
            script.append("printf '%s\\n'");
            stderr.forEach(line -> script.append(' ').append(quote(line)));
            script.append(" >&2; ");
        }
        script.append("exit ").append(checkCode(code));
        return spec(script.toString(), DEFAULT_GRACE);
    }

    @Override
    public TaskSpec runUntilStopped(java.time.Duration stopGracePeriod) {
        // The sleep runs in the background so that the shell's wait is interrupted by
        // the signal at once; the trap then ends the sleep too, so nothing is orphaned
        // when the backend signals only the shell (Docker signals PID 1 only).
        return spec(
                "trap 'kill $! 2>/dev/null; exit 0' TERM INT; echo "
                        + READY
                        + "; sleep 3600 & wait $!; exit 0",
                stopGracePeriod);
    }

    @Override
    public TaskSpec ignoreStopSignal(java.time.Duration stopGracePeriod) {
        // An ignored signal stays ignored in the child, so the sleep ignores it too.
        return spec("trap '' TERM INT; echo " + READY + "; sleep 3600; exit 0", stopGracePeriod);
    }

    @Override
    public TaskSpec rejected() {
        ContainerSpec.Builder container =
                ContainerSpec.newBuilder()
                        .addCommand("/taskexec-conformance/no-such-program")
                        .addArgs("rejected");
        if (image != null) {
            // A registry on a loopback port nothing listens on: the pull is refused at once, and
            // no name lookup leaves the machine (as one for a host under .invalid would).
            container.setImage("127.0.0.1:1/taskexec-conformance-no-such-image:absent");
        }
        return TaskSpec.newBuilder().setContainer(container).build();
    }

    @Override
    public Optional<TaskSpec> expectEnvironment(Map<String, String> env) {
        StringBuilder script = new StringBuilder("ok=0; ");
        List<String> entries = new ArrayList<>();
        env.forEach(
                (name, value) -> {
                    if (!ENV_NAME.matcher(name).matches()) {
                        throw new IllegalArgumentException(
                                "not an environment variable name: " + name);
                    }
                    // Prints what it saw, so that a failure can say which variable was wrong.
                    script.append("printf '%s\\n' \"")
                            .append(name)
                            .append("=${")
                            .append(name)
                            .append("-(unset)}\"; ")
                            .append("[ \"${")
                            .append(name)
                            .append("+set}\" = set ] && [ \"$")
                            .append(name)
                            .append("\" = ")
                            .append(quote(value))
                            .append(" ] || ok=1; ");
                    entries.add(name + "=" + value);
                });
        script.append("exit $ok");
        TaskSpec spec = spec(script.toString(), DEFAULT_GRACE);
        return Optional.of(
                spec.toBuilder()
                        .setContainer(spec.getContainer().toBuilder().addAllEnv(entries))
                        .build());
    }

    @Override
    public Optional<TaskSpec> expectWorkingDirectory(String dir) {
        String quoted = quote(dir);
        TaskSpec spec =
                spec(
                        "here=$(pwd -P); want=$(cd "
                                + quoted
                                + " && pwd -P); printf 'dir=%s\\n' \"$here\"; "
                                + "[ -n \"$want\" ] && [ \"$here\" = \"$want\" ] || exit 1; exit 0",
                        DEFAULT_GRACE);
        return Optional.of(
                spec.toBuilder().setContainer(spec.getContainer().toBuilder().setDir(dir)).build());
    }

    @Override
    public Optional<TaskSpec> expectStopSignal(String signal, java.time.Duration stopGracePeriod) {
        String name = signal.startsWith("SIG") ? signal.substring(3) : signal;
        if (!name.matches("[A-Z0-9]+") || name.equals("TERM") || name.equals("INT")) {
            throw new IllegalArgumentException(
                    "the stop signal must be a signal name other than TERM and INT: " + signal);
        }
        TaskSpec spec =
                spec(
                        "trap 'kill $! 2>/dev/null; exit 0' "
                                + name
                                + "; trap 'kill $! 2>/dev/null; exit 3' TERM INT; "
                                + "echo "
                                + READY
                                + "; sleep 3600 & wait $!; exit 4",
                        stopGracePeriod);
        return Optional.of(
                spec.toBuilder()
                        .setContainer(spec.getContainer().toBuilder().setStopSignal(signal))
                        .build());
    }

    @Override
    public Optional<TaskSpec> processTree(String marker, java.time.Duration stopGracePeriod) {
        if (!marker.matches("[A-Za-z0-9-]+")) {
            throw new IllegalArgumentException("a marker is letters, digits and dashes: " + marker);
        }
        // Subshells are forks, not execs: each keeps the script, and so the marker, as its command
        // line. Their sleeps are short, so one orphaned by a killed subshell ends within a second.
        return Optional.of(
                spec(
                        ": "
                                + marker
                                + "; trap '' TERM INT; for i in 1 2; do "
                                + "( ( while :; do sleep 1; done ) & while :; do sleep 1; done ) & done; echo "
                                + READY
                                + "; wait",
                        stopGracePeriod));
    }

    @Override
    public Map<String, TaskSpec> unrunnable() {
        Map<String, TaskSpec> specs = new LinkedHashMap<>();
        TaskSpec unknownSignal = exit(0);
        specs.put(
                "an unknown stop_signal",
                unknownSignal.toBuilder()
                        .setContainer(
                                unknownSignal.getContainer().toBuilder()
                                        .setStopSignal("SIGTASKEXECCONFORMANCE"))
                        .build());
        if (image == null) {
            // Without an image there is no default command to fall back to.
            specs.put(
                    "a container spec without a command",
                    TaskSpec.newBuilder()
                            .setContainer(
                                    ContainerSpec.newBuilder()
                                            .setStopGracePeriod(
                                                    Duration.newBuilder().setSeconds(1)))
                            .build());
        }
        return specs;
    }

    private TaskSpec spec(String script, java.time.Duration stopGracePeriod) {
        Objects.requireNonNull(stopGracePeriod, "stopGracePeriod");
        if (stopGracePeriod.isNegative()) {
            throw new IllegalArgumentException(
                    "stopGracePeriod must not be negative: " + stopGracePeriod);
        }
        ContainerSpec.Builder container =
                ContainerSpec.newBuilder()
                        .addCommand("sh")
                        .addCommand("-c")
                        .addCommand(script)
                        .setStopGracePeriod(
                                Duration.newBuilder()
                                        .setSeconds(stopGracePeriod.getSeconds())
                                        .setNanos(stopGracePeriod.getNano()));
        if (image != null) {
            container.setImage(image);
        }
        return TaskSpec.newBuilder().setContainer(container).build();
    }

    private static String quote(String line) {
        if (!PRINTABLE.matcher(line).matches()) {
            throw new IllegalArgumentException(
                    "workload lines must be printable ASCII without quotes or backslashes: "
                            + line);
        }
        return "'" + line + "'";
    }

    private static int checkCode(int code) {
        if (code < 0 || code > 125) {
            throw new IllegalArgumentException("exit code must be in 0..125: " + code);
        }
        return code;
    }

    @Override
    public String toString() {
        return image == null ? "Workloads.posixShell()" : "Workloads.posixShell(\"" + image + "\")";
    }
}

package dev.taskexec.conformance;

import com.google.protobuf.Duration;
import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.TaskSpec;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * {@link Workloads} as POSIX shell scripts. The scripts stay within what busybox
 * {@code sh} offers, because the Docker test image is a bare busybox.
 */
record PosixShellWorkloads(String image) implements Workloads {

    /** Default grace period for workloads that do not ask for one: short, so clean-up stays fast. */
    private static final java.time.Duration DEFAULT_GRACE = java.time.Duration.ofSeconds(1);
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
        return spec("trap 'kill $! 2>/dev/null; exit 0' TERM INT; echo " + READY + "; sleep 3600 & wait $!; exit 0",
                stopGracePeriod);
    }

    @Override
    public TaskSpec ignoreStopSignal(java.time.Duration stopGracePeriod) {
        // An ignored signal stays ignored in the child, so the sleep ignores it too.
        return spec("trap '' TERM INT; echo " + READY + "; sleep 3600; exit 0", stopGracePeriod);
    }

    @Override
    public TaskSpec rejected() {
        ContainerSpec.Builder container = ContainerSpec.newBuilder()
                .addCommand("/taskexec-conformance/no-such-program")
                .addArgs("rejected");
        if (image != null) {
            container.setImage("taskexec-conformance.invalid/no-such-image:absent");
        }
        return TaskSpec.newBuilder().setContainer(container).build();
    }

    private TaskSpec spec(String script, java.time.Duration stopGracePeriod) {
        Objects.requireNonNull(stopGracePeriod, "stopGracePeriod");
        if (stopGracePeriod.isNegative()) {
            throw new IllegalArgumentException("stopGracePeriod must not be negative: " + stopGracePeriod);
        }
        ContainerSpec.Builder container = ContainerSpec.newBuilder()
                .addCommand("sh")
                .addCommand("-c")
                .addCommand(script)
                .setStopGracePeriod(Duration.newBuilder()
                        .setSeconds(stopGracePeriod.getSeconds())
                        .setNanos(stopGracePeriod.getNano()));
        if (image != null) {
            container.setImage(image);
        }
        return TaskSpec.newBuilder().setContainer(container).build();
    }

    private static String quote(String line) {
        if (!PRINTABLE.matcher(line).matches()) {
            throw new IllegalArgumentException("workload lines must be printable ASCII without quotes or backslashes: " + line);
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

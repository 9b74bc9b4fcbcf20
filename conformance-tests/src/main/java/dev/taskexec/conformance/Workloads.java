package dev.taskexec.conformance;

import static org.apiguardian.api.API.Status.STABLE;

import dev.taskexec.api.proto.TaskSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Turns the behaviours the conformance kit needs into {@link TaskSpec}s that the
 * backend under test can run. The kit never looks inside the specs it gets; it
 * only relies on the behaviour each method documents, so a backend that runs
 * something other than shell commands (a VM, a WebAssembly runtime, a test
 * double) supplies its own implementation.
 *
 * <p>Two implementations ship with the kit: {@link #posixShell()} and
 * {@link #posixShell(String)} run POSIX {@code sh} scripts (busybox-compatible)
 * through a {@code container} runtime; {@link #fake()} scripts the
 * {@code fake} backend.
 *
 * <p>Implementations must be thread-safe and return a new, complete spec on every
 * call. None of the methods block.
 */
@API(status = STABLE, since = "0.1")
public interface Workloads {

    /**
     * The line {@link #runUntilStopped} and {@link #ignoreStopSignal} workloads write to
     * standard output once they handle (or ignore) their stop signal. A backend with logs
     * lets the kit wait for it before stopping the workload, so a stop signal never lands
     * before the workload's handler exists; without it the kit gives the workload half a
     * second.
     */
    String READY = "taskexec-conformance-ready";

    /**
     * A workload that exits with {@code code} right after it starts.
     *
     * @param code an exit code in 0..125
     */
    TaskSpec exit(int code);

    /**
     * A workload that keeps running for at least {@code delay} and then exits with
     * {@code code} on its own. The kit uses it to interrupt a wait that must still
     * see the exit afterwards (CX-2), so it must not exit much earlier than asked.
     *
     * @param delay how long to run before exiting; implementations may round up to whole seconds
     * @param code  an exit code in 0..125
     */
    TaskSpec exitAfter(Duration delay, int code);

    /**
     * A workload that writes each of {@code stdout} to its standard output and each
     * of {@code stderr} to its standard error, one line each, in list order within
     * each stream, and then exits with {@code code}. Lines hold printable ASCII
     * without quotes or backslashes.
     */
    TaskSpec print(List<String> stdout, List<String> stderr, int code);

    /**
     * A workload that runs until it is stopped: on its stop signal it exits 0
     * promptly; it never exits on its own. Once its handler is in place it writes
     * {@link #READY} to standard output. Its stop grace period is {@code stopGracePeriod}.
     */
    TaskSpec runUntilStopped(Duration stopGracePeriod);

    /**
     * A workload that ignores its stop signal and keeps running until it is killed
     * (by {@code terminate}, or by {@code shutdown} once the grace period is over).
     * Once it ignores the signal it writes {@link #READY} to standard output. Its stop
     * grace period is {@code stopGracePeriod}.
     */
    TaskSpec ignoreStopSignal(Duration stopGracePeriod);

    /**
     * A spec the backend must reject before it starts anything: {@code controller()}
     * or {@code prepare} must fail, so that the task ends REJECTED (rule ER-1).
     */
    TaskSpec rejected();

    /**
     * A workload whose spec sets each of {@code env} as an environment variable and that exits 0
     * if it sees every one with exactly that value, and 1 otherwise (rule EX-6). It may write what
     * it saw to standard output, which the kit quotes in a failure. Empty (the default) when these
     * workloads cannot express it; the rule is then skipped.
     *
     * @param env names ({@code [A-Z_][A-Z0-9_]*}) and values (printable ASCII without quotes or
     *            backslashes, spaces allowed)
     */
    default Optional<TaskSpec> expectEnvironment(Map<String, String> env) {
        return Optional.empty();
    }

    /**
     * A workload whose spec sets {@code dir} as its working directory and that exits 0 if it runs
     * there, and 1 otherwise (rule EX-7). Empty (the default) when these workloads cannot express
     * it; the rule is then skipped.
     *
     * @param dir an absolute path of an existing directory on this machine, made by the kit
     */
    default Optional<TaskSpec> expectWorkingDirectory(String dir) {
        return Optional.empty();
    }

    /**
     * A workload whose spec sets {@code signal} (such as {@code SIGUSR1}) as its stop signal and
     * its stop grace period to {@code stopGracePeriod}, that exits 0 promptly when it receives
     * that signal, exits 3 when it receives {@code SIGTERM} or {@code SIGINT} instead, never exits
     * on its own, and writes {@link #READY} once its handlers are in place (rule LC-11). Empty (the
     * default) when these workloads cannot express it; the rule is then skipped.
     */
    default Optional<TaskSpec> expectStopSignal(String signal, Duration stopGracePeriod) {
        return Optional.empty();
    }

    /**
     * A workload that forks two children, each of which forks a grandchild, all of them ignoring
     * the stop signal and running until killed, and writes {@link #READY} once it forked them
     * (rules LC-12, LC-13, RS-6). Every process of the tree carries {@code marker} in its command
     * line, so that the kit can find them on this machine itself, without a
     * {@link ResourceProbe}. Empty (the default) when these workloads cannot express it, or their
     * processes would not show on this machine; the rules are then skipped.
     *
     * @param marker a token of letters, digits and dashes, unique to the task
     */
    default Optional<TaskSpec> processTree(String marker, Duration stopGracePeriod) {
        return Optional.empty();
    }

    /**
     * Specs the backend cannot honour, each under a short description of what is wrong (such as
     * {@code "an unknown stop_signal"}): every one must end REJECTED, before STARTING, with a
     * non-empty {@code err} (rule ER-5). A backend that cannot run some part of a spec (a field
     * it does not support, a missing command) must say so rather than run something else. Empty
     * (the default) when these workloads name none; the rule is then skipped.
     */
    default Map<String, TaskSpec> unrunnable() {
        return Map.of();
    }

    /**
     * The same workload as {@code spec} (one this object made) with {@code fault} injected,
     * or empty when the backend cannot inject it — the default, as real runtimes cannot be
     * told to fail on cue. The property tests then generate scenarios without faults.
     */
    default Optional<TaskSpec> withFault(TaskSpec spec, Fault fault) {
        return Optional.empty();
    }

    /**
     * Workloads for the {@code fake} backend ({@code taskexec-executor-fake}): each spec is a
     * {@code container} runtime whose command words are a fake script (for example
     * {@code ["fake", "exit=3", "after=2s"]}), and every {@link Fault} can be injected. The
     * kit uses it to test itself; use it to check code built on the fake.
     */
    static Workloads fake() {
        return FakeWorkloads.INSTANCE;
    }

    /**
     * Shell workloads for a backend that runs {@code container} specs without an
     * image, such as the {@code process} backend: every spec's command is
     * {@code ["sh", "-c", script]} with a POSIX script, and the rejected spec runs a
     * program that does not exist.
     */
    static Workloads posixShell() {
        return new PosixShellWorkloads(null);
    }

    /**
     * The same shell workloads as {@link #posixShell()}, each with {@code image} set,
     * for container backends. The image must have {@code sh} and the busybox
     * basics ({@code sleep}, {@code printf}, {@code kill}). The rejected spec names
     * a program that does not exist and an image that does not exist locally, on a
     * registry at {@code 127.0.0.1:1} (a port nothing listens on), so that its pull
     * fails at once without any traffic off the machine.
     *
     * @throws IllegalArgumentException if {@code image} is blank
     */
    static Workloads posixShell(String image) {
        if (image == null || image.isBlank()) {
            throw new IllegalArgumentException("image must not be blank");
        }
        return new PosixShellWorkloads(image);
    }
}

package dev.taskexec.executor.fake;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.GenericRuntimeSpec;
import dev.taskexec.api.proto.PortConfig;
import dev.taskexec.api.proto.TaskSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What a fake task does: how each call behaves and how its workload (the fake process) runs.
 * Immutable and thread-safe; compares by value.
 *
 * <h2>The workload</h2>
 * {@code start} runs the workload: it writes its {@linkplain #output() output lines}, then runs
 * for {@linkplain #runFor() a while} and exits with {@linkplain #exitCode() its exit code}, or
 * runs until it is stopped. {@code shutdown} stops it gracefully: it exits at once with
 * {@linkplain #stopExitCode() the stop exit code} (143 by default, a process ended by SIGTERM),
 * unless it {@linkplain #ignoresStop() ignores the stop signal}, in which case shutdown waits the
 * {@linkplain #grace() grace period} and then kills it. {@code terminate} and {@code remove} kill a
 * running workload at once: it exits with {@value #KILL_EXIT_CODE} (SIGKILL). {@code await}
 * returns normally for exit code 0 and otherwise throws an
 * {@link dev.taskexec.api.ExitException}.
 *
 * <h2>The calls</h2>
 * Each call ({@link Call}) has a sequence of {@link Behavior}s: the first call of that kind uses
 * the first, the second call the second, and so on, the last one repeating; no sequence means
 * {@link Behavior#ok()}. So {@code start=temporary:busy,temporary:busy,ok} fails twice and then
 * starts. Every call first takes the {@linkplain #latency() latency}.
 *
 * <h2>The word grammar</h2>
 * A script is written as a list of words: the {@code command} followed by the {@code args} of a
 * task's {@link ContainerSpec}, or the lines of a {@link GenericRuntimeSpec} of kind
 * {@value #GENERIC_KIND} (see {@link #parseLines}). The first word may be {@code fake}, which is
 * ignored (it reads as the program name). Every other word is one of:
 * <pre>
 * exit=CODE              exit code when the workload ends by itself          default 0
 * after=DURATION|never   how long it runs after start; never: until stopped   default 0 (exits at once)
 * stop-exit=CODE         exit code after a graceful shutdown                  default 143
 * ignore-stop            shutdown waits the grace period, then kills (exit 137)
 * grace=DURATION         that grace period      default: the ContainerSpec's stop_grace_period, else 10s
 * stdout=TEXT            a line written to stdout at start (repeatable, kept in order; TEXT is
 * stderr=TEXT              everything after the first '=', spaces and '=' included)
 * port=PUBLISHED:TARGET[/tcp|udp|sctp]   a host port reported while running (repeatable)
 * latency=DURATION       time every call takes first     default: the executor's latency option
 * CALL=STEPS             how successive calls behave; CALL is one of update, prepare, start,
 *                        await, shutdown, terminate, remove, logs
 *
 * STEPS    := STEP (',' STEP)*        one step per successive call; the last repeats
 * STEP     := PART ('+' PART)*        parts run in order, e.g. delay:50ms+fail:boom
 * PART     := ok | block | delay:DURATION
 *           | fail[:MESSAGE] | temporary[:MESSAGE] | exit:CODE[:MESSAGE]
 * DURATION := a whole number and ns, us, ms, s, m or h, like 250ms; or 0
 * CODE     := a decimal int
 * MESSAGE  := any text without ',' or '+' (use the Java API for others)
 * </pre>
 * Each key may appear once, except {@code stdout}, {@code stderr} and {@code port}. Example:
 * {@code fake exit=3 after=50ms stdout=hello prepare=fail:boom start=temporary:busy,ok}.
 * {@link #parse} rejects anything else with an {@link IllegalArgumentException} whose message
 * quotes the offending word.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class FakeScript {

    /** The {@link GenericRuntimeSpec#getKind() kind} of a generic runtime holding a script. */
    public static final String GENERIC_KIND = "fake";

    /**
     * The type URL {@link #toGenericTaskSpec()} writes into the payload. When reading, the type URL
     * is not checked; the payload's value must be the script's lines in UTF-8.
     */
    public static final String PAYLOAD_TYPE_URL = "type.taskexec.dev/taskexec.fake.Script";

    /** The exit code of a killed workload: 128 + SIGKILL. */
    public static final int KILL_EXIT_CODE = 137;

    /** The default {@link #stopExitCode()}: 128 + SIGTERM. */
    public static final int DEFAULT_STOP_EXIT_CODE = 143;

    private static final FakeScript DEFAULT = builder().build();

    private final Map<Call, List<Behavior>> calls;
    private final int exitCode;
    private final Duration runFor;
    private final int stopExitCode;
    private final boolean ignoreStop;
    private final Duration grace;
    private final List<LogLine> output;
    private final List<PortConfig> ports;
    private final Duration latency;

    private FakeScript(Builder b) {
        EnumMap<Call, List<Behavior>> copy = new EnumMap<>(Call.class);
        b.calls.forEach((call, seq) -> copy.put(call, List.copyOf(seq)));
        this.calls = Collections.unmodifiableMap(copy);
        this.exitCode = b.exitCode;
        this.runFor = b.runFor;
        this.stopExitCode = b.stopExitCode;
        this.ignoreStop = b.ignoreStop;
        this.grace = b.grace;
        this.output = List.copyOf(b.output);
        this.ports = List.copyOf(b.ports);
        this.latency = b.latency;
    }

    /** The script of a healthy task that exits 0 as soon as it starts. */
    public static FakeScript defaults() {
        return DEFAULT;
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this script. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Reads a script from words, in the grammar described on this class.
     *
     * @throws IllegalArgumentException naming the first malformed word
     */
    public static FakeScript parse(List<String> words) {
        return ScriptParser.parse(words);
    }

    /**
     * Reads a script from text holding one word per line, as carried in a generic runtime's
     * payload. Leading whitespace is dropped; blank lines and lines starting with {@code #} are
     * skipped.
     *
     * @throws IllegalArgumentException naming the first malformed word
     */
    public static FakeScript parseLines(String text) {
        List<String> words = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            String word = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            word = word.stripLeading();
            if (!word.isEmpty() && !word.startsWith("#")) {
                words.add(word);
            }
        }
        return parse(words);
    }

    /**
     * The behaviours of successive calls of one kind; empty means every call is
     * {@link Behavior#ok()}.
     */
    public List<Behavior> behaviors(Call call) {
        return calls.getOrDefault(call, List.of());
    }

    /**
     * The behaviour for the {@code n}-th call (0-based) of one kind: the {@code n}-th of the
     * sequence, its last one past the end, {@link Behavior#ok()} when there is none.
     */
    public Behavior behavior(Call call, int n) {
        List<Behavior> seq = calls.get(call);
        if (seq == null || seq.isEmpty()) {
            return Behavior.ok();
        }
        return seq.get(Math.min(n, seq.size() - 1));
    }

    /** The exit code of a workload that ends by itself. */
    public int exitCode() {
        return exitCode;
    }

    /** How long the workload runs after start; empty when it runs until stopped. */
    public Optional<Duration> runFor() {
        return Optional.ofNullable(runFor);
    }

    /** The exit code after a graceful shutdown of a workload that honours the stop signal. */
    public int stopExitCode() {
        return stopExitCode;
    }

    /** Whether the workload ignores the stop signal, so that shutdown must wait and kill it. */
    public boolean ignoresStop() {
        return ignoreStop;
    }

    /** The grace period of a shutdown; empty to take it from the task. */
    public Optional<Duration> grace() {
        return Optional.ofNullable(grace);
    }

    /** The lines the workload writes when it starts, in order. */
    public List<LogLine> output() {
        return output;
    }

    /** The ports {@link FakeController#portStatus()} reports while the workload runs. */
    public List<PortConfig> ports() {
        return ports;
    }

    /** The time every call takes before its behaviour; empty to use the executor's. */
    public Optional<Duration> latency() {
        return Optional.ofNullable(latency);
    }

    /**
     * This script as words, without the leading {@code fake}; {@link #parse} reads them back to an
     * equal script. Defaults are left out.
     *
     * @throws IllegalStateException if a behaviour has no word form (a custom one, or a message
     *     with ',' or '+')
     */
    public List<String> toWords() {
        List<String> words = new ArrayList<>();
        if (exitCode != 0) {
            words.add("exit=" + exitCode);
        }
        if (runFor == null) {
            words.add("after=never");
        } else if (!runFor.isZero()) {
            words.add("after=" + DurationWord.format(runFor));
        }
        if (stopExitCode != DEFAULT_STOP_EXIT_CODE) {
            words.add("stop-exit=" + stopExitCode);
        }
        if (ignoreStop) {
            words.add("ignore-stop");
        }
        if (grace != null) {
            words.add("grace=" + DurationWord.format(grace));
        }
        if (latency != null) {
            words.add("latency=" + DurationWord.format(latency));
        }
        for (Map.Entry<Call, List<Behavior>> e : calls.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            StringBuilder word = new StringBuilder(e.getKey().word()).append('=');
            for (int i = 0; i < e.getValue().size(); i++) {
                word.append(i == 0 ? "" : ",").append(e.getValue().get(i));
            }
            String text = word.toString();
            List<Behavior> back;
            try {
                back = ScriptParser.parse(List.of(text)).behaviors(e.getKey());
            } catch (IllegalArgumentException notAWord) {
                back = null;
            }
            if (!e.getValue().equals(back)) {
                throw new IllegalStateException(
                        "the "
                                + e.getKey().word()
                                + " behaviours "
                                + e.getValue()
                                + " have no script word form");
            }
            words.add(text);
        }
        for (PortConfig p : ports) {
            words.add(ScriptParser.portWord(p));
        }
        for (LogLine line : output) {
            words.add(line.toString());
        }
        return words;
    }

    /**
     * A task spec whose container command is {@code fake} followed by {@link #toWords()}; the fake
     * executor runs it as this script.
     *
     * @throws IllegalStateException as {@link #toWords()}
     */
    public TaskSpec toTaskSpec() {
        return TaskSpec.newBuilder()
                .setContainer(
                        ContainerSpec.newBuilder()
                                .addCommand(GENERIC_KIND)
                                .addAllCommand(toWords()))
                .build();
    }

    /**
     * A task spec with a generic runtime of kind {@value #GENERIC_KIND} whose payload holds
     * {@link #toWords()}, one per line.
     *
     * @throws IllegalStateException as {@link #toWords()}, or if a word holds a line break
     */
    public TaskSpec toGenericTaskSpec() {
        List<String> words = toWords();
        for (String w : words) {
            if (w.indexOf('\n') >= 0 || w.indexOf('\r') >= 0) {
                throw new IllegalStateException(
                        "word \""
                                + w
                                + "\" holds a line break, which the"
                                + " line form cannot carry; use toTaskSpec()");
            }
        }
        return TaskSpec.newBuilder()
                .setGeneric(
                        GenericRuntimeSpec.newBuilder()
                                .setKind(GENERIC_KIND)
                                .setPayload(
                                        Any.newBuilder()
                                                .setTypeUrl(PAYLOAD_TYPE_URL)
                                                .setValue(
                                                        ByteString.copyFrom(
                                                                String.join("\n", words),
                                                                StandardCharsets.UTF_8))))
                .build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FakeScript s
                && exitCode == s.exitCode
                && stopExitCode == s.stopExitCode
                && ignoreStop == s.ignoreStop
                && Objects.equals(runFor, s.runFor)
                && Objects.equals(grace, s.grace)
                && Objects.equals(latency, s.latency)
                && calls.equals(s.calls)
                && output.equals(s.output)
                && ports.equals(s.ports);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                calls, exitCode, runFor, stopExitCode, ignoreStop, grace, output, ports, latency);
    }

    /** The script's words when it has a word form, else a description. */
    @Override
    public String toString() {
        try {
            return "FakeScript" + toWords();
        } catch (IllegalStateException noWords) {
            return "FakeScript[calls="
                    + calls
                    + ", exit="
                    + exitCode
                    + ", after="
                    + runFor
                    + ", stop-exit="
                    + stopExitCode
                    + ", ignore-stop="
                    + ignoreStop
                    + ", grace="
                    + grace
                    + ", latency="
                    + latency
                    + ", output="
                    + output
                    + ", ports="
                    + ports
                    + "]";
        }
    }

    /** Builds a {@link FakeScript}; not thread-safe. Every setter replaces the previous value. */
    public static final class Builder {
        private final EnumMap<Call, List<Behavior>> calls = new EnumMap<>(Call.class);
        private int exitCode;
        private Duration runFor = Duration.ZERO;
        private int stopExitCode = DEFAULT_STOP_EXIT_CODE;
        private boolean ignoreStop;
        private Duration grace;
        private final List<LogLine> output = new ArrayList<>();
        private final List<PortConfig> ports = new ArrayList<>();
        private Duration latency;

        private Builder() {}

        private Builder(FakeScript s) {
            calls.putAll(s.calls);
            exitCode = s.exitCode;
            runFor = s.runFor;
            stopExitCode = s.stopExitCode;
            ignoreStop = s.ignoreStop;
            grace = s.grace;
            output.addAll(s.output);
            ports.addAll(s.ports);
            latency = s.latency;
        }

        /**
         * Sets the behaviours of successive calls of one kind (the last repeats); none restores
         * {@link Behavior#ok()}.
         *
         * @throws IllegalArgumentException for {@link Call#CLOSE}
         */
        public Builder on(Call call, Behavior... sequence) {
            if (!call.scriptable()) {
                throw new IllegalArgumentException(call + " cannot be scripted");
            }
            for (Behavior b : sequence) {
                Objects.requireNonNull(b, "behavior");
            }
            if (sequence.length == 0) {
                calls.remove(call);
            } else {
                calls.put(call, List.of(sequence));
            }
            return this;
        }

        /** {@code on(Call.UPDATE, sequence)}. */
        public Builder update(Behavior... sequence) {
            return on(Call.UPDATE, sequence);
        }

        /** {@code on(Call.PREPARE, sequence)}. */
        public Builder prepare(Behavior... sequence) {
            return on(Call.PREPARE, sequence);
        }

        /** {@code on(Call.START, sequence)}. */
        public Builder start(Behavior... sequence) {
            return on(Call.START, sequence);
        }

        /** {@code on(Call.AWAIT, sequence)}; runs before await waits for the workload. */
        public Builder await(Behavior... sequence) {
            return on(Call.AWAIT, sequence);
        }

        /** {@code on(Call.SHUTDOWN, sequence)}. */
        public Builder shutdown(Behavior... sequence) {
            return on(Call.SHUTDOWN, sequence);
        }

        /** {@code on(Call.TERMINATE, sequence)}. */
        public Builder terminate(Behavior... sequence) {
            return on(Call.TERMINATE, sequence);
        }

        /** {@code on(Call.REMOVE, sequence)}. */
        public Builder remove(Behavior... sequence) {
            return on(Call.REMOVE, sequence);
        }

        /** {@code on(Call.LOGS, sequence)}. */
        public Builder logs(Behavior... sequence) {
            return on(Call.LOGS, sequence);
        }

        /** The exit code when the workload ends by itself (word {@code exit=}). */
        public Builder exit(int code) {
            this.exitCode = code;
            return this;
        }

        /**
         * How long the workload runs after start before it exits by itself (word {@code after=}).
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder after(Duration runFor) {
            if (runFor.isNegative()) {
                throw new IllegalArgumentException("negative run time " + runFor);
            }
            this.runFor = runFor;
            return this;
        }

        /** The workload runs until shutdown, terminate or remove (word {@code after=never}). */
        public Builder runUntilStopped() {
            this.runFor = null;
            return this;
        }

        /** The exit code after a graceful shutdown (word {@code stop-exit=}). */
        public Builder stopExit(int code) {
            this.stopExitCode = code;
            return this;
        }

        /** The workload ignores the stop signal (word {@code ignore-stop}). */
        public Builder ignoreStop() {
            return ignoreStop(true);
        }

        /** Whether the workload ignores the stop signal. */
        public Builder ignoreStop(boolean ignore) {
            this.ignoreStop = ignore;
            return this;
        }

        /**
         * The grace period of a shutdown, overriding the task's (word {@code grace=}); null to take
         * the task's.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder grace(Duration grace) {
            if (grace != null && grace.isNegative()) {
                throw new IllegalArgumentException("negative grace period " + grace);
            }
            this.grace = grace;
            return this;
        }

        /**
         * The time every call takes first (word {@code latency=}); null to use the executor's.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder latency(Duration latency) {
            if (latency != null && latency.isNegative()) {
                throw new IllegalArgumentException("negative latency " + latency);
            }
            this.latency = latency;
            return this;
        }

        /** Adds a line the workload writes to stdout when it starts (word {@code stdout=}). */
        public Builder stdout(String text) {
            output.add(LogLine.stdout(text));
            return this;
        }

        /** Adds a line the workload writes to stderr when it starts (word {@code stderr=}). */
        public Builder stderr(String text) {
            output.add(LogLine.stderr(text));
            return this;
        }

        /** Adds a port reported while the workload runs (word {@code port=}). */
        public Builder port(PortConfig port) {
            ports.add(Objects.requireNonNull(port, "port"));
            return this;
        }

        /** The script. */
        public FakeScript build() {
            return new FakeScript(this);
        }
    }
}

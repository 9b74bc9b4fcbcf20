package dev.taskexec.executor.process;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.taskexec.api.support.DurationText;
import dev.taskexec.api.support.TaskSpecDefaults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The options of the process executor, parsed and checked.
 *
 * <ul>
 *   <li>{@value #STATE_DIR}: a directory under which each task gets a folder holding its output
 *       ({@code stdout.log}, {@code stderr.log}; {@code tty.log} with a PTY). Created if missing.
 *       Absent: logs are kept in memory only.</li>
 *   <li>{@value #LOG_BUFFER_SIZE}: bytes of log data kept in memory per task (oldest lines are
 *       dropped first); a number with an optional {@code k}, {@code m} or {@code g} suffix
 *       (powers of 1024). Default 1m. This is what any reader sees of the past.</li>
 *   <li>{@value #LOG_FOLLOW_LAG}: how much more may be kept in memory per task, beyond
 *       {@value #LOG_BUFFER_SIZE}, for a following reader ({@code logs} with {@code follow}) that
 *       has not yet read it; each message counts its data plus 128 bytes. Same syntax; 0 keeps
 *       nothing extra. Default 64m. A follower that falls further behind is told, in one stderr
 *       message, how many messages it missed. The extra messages serve that follower only and are
 *       dropped once it read them or went away.</li>
 *   <li>{@value #STOP_GRACE_PERIOD}: how long {@code shutdown} waits after the stop signal before
 *       it kills, for tasks that do not say; in taskexec's duration notation
 *       ({@link dev.taskexec.api.support.DurationText}: {@code 10s}, {@code 500ms}, {@code 1m30s}) or
 *       ISO-8601 ({@code PT10S}). Default 10s.</li>
 *   <li>{@value #PASS_ENV}: which of this JVM's environment variables tasks inherit besides the
 *       baseline {@code PATH}, {@code HOME}, {@code LANG}, {@code LC_*}, {@code TERM} and
 *       {@code TZ}: comma-separated names, {@code PREFIX*} patterns, or {@code *} for all. Default:
 *       none, so the agent's credentials never reach a task unless named here.</li>
 * </ul>
 *
 * @param stateDir          where tasks' output also goes on disk, if anywhere
 * @param logBufferBytes    in-memory log bound per task, positive
 * @param logFollowLagBytes what may be kept in addition for lagging followers, not negative
 * @param defaultGracePeriod the grace period of tasks that set none, not negative
 * @param passEnv           variable names and {@code PREFIX*} patterns (or {@code *}) of this JVM's
 *                          environment passed to tasks besides the baseline; empty passes only the baseline
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record ProcessExecutorOptions(
        Optional<Path> stateDir,
        long logBufferBytes,
        long logFollowLagBytes,
        Duration defaultGracePeriod,
        List<String> passEnv) {

    /** Option key: the state directory. */
    public static final String STATE_DIR = "state-dir";

    /** Option key: the per-task in-memory log bound, in bytes. */
    public static final String LOG_BUFFER_SIZE = "log-buffer-size";

    /** Option key: the per-task in-memory room for followers that fell behind, in bytes. */
    public static final String LOG_FOLLOW_LAG = "log-follow-lag";

    /** Option key: the default stop grace period. */
    public static final String STOP_GRACE_PERIOD = "stop-grace-period";

    /** Option key: the agent's environment variables passed to tasks besides the baseline. */
    public static final String PASS_ENV = "pass-env";

    static final long DEFAULT_LOG_BUFFER_BYTES = 1L << 20;
    static final long DEFAULT_LOG_FOLLOW_LAG_BYTES = 64L << 20;

    /** Every option key with its one-line description, in a stable order. */
    static final Map<String, String> DESCRIPTIONS = descriptions();

    private static Map<String, String> descriptions() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(
                STATE_DIR,
                "directory where each task's output is also written to disk (default: memory only)");
        m.put(
                LOG_BUFFER_SIZE,
                "bytes of log kept in memory per task, e.g. 512k or 4m (default 1m)");
        m.put(
                LOG_FOLLOW_LAG,
                "extra bytes kept per task for a log follower that fell behind, before it misses"
                        + " messages and is told so; each message counts 128 bytes more than its data (default 64m)");
        m.put(
                STOP_GRACE_PERIOD,
                "time between the stop signal and SIGKILL for tasks that set none, e.g. 10s (default 10s)");
        m.put(
                PASS_ENV,
                "this process's environment variables tasks inherit besides PATH, HOME, LANG, LC_*, TERM, TZ:"
                        + " NAME,PREFIX_* or * for all (default: none)");
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * Checks the values; does no I/O (the state directory is neither created nor checked here).
     *
     * @throws NullPointerException if {@code stateDir}, {@code defaultGracePeriod} or {@code passEnv} is null
     * @throws IllegalArgumentException naming the option, if {@code logBufferBytes} is not
     *     positive, {@code logFollowLagBytes} or {@code defaultGracePeriod} is negative, or an
     *     entry of {@code passEnv} is malformed
     */
    public ProcessExecutorOptions {
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(defaultGracePeriod, "defaultGracePeriod");
        passEnv = List.copyOf(passEnv);
        if (!passEnv.isEmpty()) {
            TaskEnvironment.parse(String.join(",", passEnv));
        }
        if (logBufferBytes <= 0) {
            throw new IllegalArgumentException(
                    LOG_BUFFER_SIZE + ": must be positive, got " + logBufferBytes);
        }
        if (logFollowLagBytes < 0) {
            throw new IllegalArgumentException(
                    LOG_FOLLOW_LAG + ": must not be negative, got " + logFollowLagBytes);
        }
        if (defaultGracePeriod.isNegative()) {
            throw new IllegalArgumentException(
                    STOP_GRACE_PERIOD + ": must not be negative, got " + defaultGracePeriod);
        }
    }

    /**
     * Without {@code passEnv}: only the baseline of the environment reaches tasks.
     *
     * @throws NullPointerException if {@code stateDir} or {@code defaultGracePeriod} is null
     * @throws IllegalArgumentException as the canonical constructor
     */
    public ProcessExecutorOptions(
            Optional<Path> stateDir,
            long logBufferBytes,
            long logFollowLagBytes,
            Duration defaultGracePeriod) {
        this(stateDir, logBufferBytes, logFollowLagBytes, defaultGracePeriod, List.of());
    }

    /**
     * The defaults: memory-only logs of 1 MiB per task, 64 MiB more for lagging followers, a 10 s
     * grace period, and only the baseline environment for tasks.
     */
    public static ProcessExecutorOptions defaults() {
        return new ProcessExecutorOptions(
                Optional.empty(),
                DEFAULT_LOG_BUFFER_BYTES,
                DEFAULT_LOG_FOLLOW_LAG_BYTES,
                TaskSpecDefaults.STOP_GRACE_PERIOD);
    }

    /** What of this JVM's environment tasks get. */
    TaskEnvironment environment() {
        return passEnv.isEmpty() ? TaskEnvironment.baseline() : new TaskEnvironment(passEnv);
    }

    /**
     * Parses options given as text (from {@code -o KEY=VALUE}). Creates the state directory.
     *
     * @throws IllegalArgumentException naming the key, for an unknown key or a bad value
     */
    public static ProcessExecutorOptions parse(Map<String, String> options) {
        Objects.requireNonNull(options, "options");
        for (String key : options.keySet()) {
            if (!DESCRIPTIONS.containsKey(key)) {
                throw new IllegalArgumentException(
                        "unknown option \""
                                + key
                                + "\" for executor process; known options: "
                                + String.join(", ", DESCRIPTIONS.keySet()));
            }
        }
        Optional<Path> stateDir =
                Optional.ofNullable(options.get(STATE_DIR)).map(ProcessExecutorOptions::stateDir);
        long buffer =
                Optional.ofNullable(options.get(LOG_BUFFER_SIZE))
                        .map(text -> bytes(LOG_BUFFER_SIZE, text, false))
                        .orElse(DEFAULT_LOG_BUFFER_BYTES);
        long lag =
                Optional.ofNullable(options.get(LOG_FOLLOW_LAG))
                        .map(text -> bytes(LOG_FOLLOW_LAG, text, true))
                        .orElse(DEFAULT_LOG_FOLLOW_LAG_BYTES);
        Duration grace =
                Optional.ofNullable(options.get(STOP_GRACE_PERIOD))
                        .map(ProcessExecutorOptions::duration)
                        .orElse(TaskSpecDefaults.STOP_GRACE_PERIOD);
        List<String> passEnv =
                Optional.ofNullable(options.get(PASS_ENV))
                        .map(text -> TaskEnvironment.parse(text).passed())
                        .orElse(List.of());
        return new ProcessExecutorOptions(stateDir, buffer, lag, grace, passEnv);
    }

    private static Path stateDir(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException(STATE_DIR + ": must not be empty");
        }
        try {
            Path dir = Path.of(text).toAbsolutePath();
            Files.createDirectories(dir);
            if (!Files.isWritable(dir)) {
                throw new IllegalArgumentException(STATE_DIR + ": " + dir + " is not writable");
            }
            return dir;
        } catch (InvalidPathException | IOException e) {
            throw new IllegalArgumentException(
                    STATE_DIR + ": cannot use \"" + text + "\": " + e.getMessage(), e);
        }
    }

    private static long bytes(String key, String text, boolean zeroAllowed) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("k") || t.endsWith("m") || t.endsWith("g")) {
            unit =
                    switch (t.charAt(t.length() - 1)) {
                        case 'k' -> 1L << 10;
                        case 'm' -> 1L << 20;
                        default -> 1L << 30;
                    };
            t = t.substring(0, t.length() - 1);
        }
        try {
            long n = Long.parseLong(t);
            if (n < 0 || (n == 0 && !zeroAllowed)) {
                throw new IllegalArgumentException(
                        key
                                + ": must be "
                                + (zeroAllowed ? "0 or more" : "positive")
                                + ", got \""
                                + text
                                + "\"");
            }
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(
                    key + ": not a size in bytes: \"" + text + "\" (try 512k or 4m)");
        }
    }

    private static Duration duration(String text) {
        String t = text.strip();
        try {
            // ISO-8601 (PT10S) is accepted too, for callers that format a java.time.Duration.
            Duration d =
                    t.regionMatches(true, 0, "PT", 0, 2) || t.regionMatches(true, 0, "-PT", 0, 3)
                            ? Duration.parse(t.toUpperCase(Locale.ROOT))
                            : DurationText.parse(t);
            if (d.isNegative()) {
                throw new IllegalArgumentException(
                        STOP_GRACE_PERIOD + ": must not be negative, got \"" + text + "\"");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    STOP_GRACE_PERIOD
                            + ": not a duration: \""
                            + text
                            + "\" (try 10s, 500ms, 1m30s or PT10S)");
        } catch (IllegalArgumentException e) {
            if (e.getMessage().startsWith(STOP_GRACE_PERIOD + ":")) {
                throw e;
            }
            throw new IllegalArgumentException(STOP_GRACE_PERIOD + ": " + e.getMessage(), e);
        }
    }
}

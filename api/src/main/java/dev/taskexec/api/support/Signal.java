package dev.taskexec.api.support;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.taskexec.api.input.Quote;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A POSIX signal by its Linux number and canonical name: the one signal table of taskexec, for a
 * task's {@code stop_signal} and for naming the signal behind an exit code.
 *
 * <p>{@link #parse(String)} accepts what the Docker Engine accepts as a stop signal, so a task means
 * the same signal on every backend:
 * <ul>
 *   <li>a name, with or without the {@code SIG} prefix, in any case: {@code SIGTERM}, {@code term};</li>
 *   <li>the Linux aliases {@code IOT} (ABRT), {@code CLD} (CHLD) and {@code POLL} (IO);</li>
 *   <li>a real-time signal, {@code SIGRTMIN+n} for n from 0 to 15 and {@code SIGRTMAX-n} for n from
 *       0 to 14 (Docker's names for signals 34 to 64; {@code RTMIN} and {@code RTMAX} alone mean
 *       n = 0);</li>
 *   <li>a decimal number from 1 to 64, except 32 and 33, which the C library keeps for its
 *       threads (no program can handle them, and they have no name).</li>
 * </ul>
 * Two verdicts were decided on purpose, where taskexec's backends used to disagree: {@code CLD} is
 * accepted (an alias of {@code SIGCHLD} on Linux, and Docker takes it), and {@code SIGRTMAX-2} is
 * accepted (signal 62; Docker takes it, and refusing a signal the engine and the kernel both know
 * would make a task valid on one backend and invalid on another). Anything else, such as
 * {@code SIGUNUSED}, {@code 0}, {@code 65} or {@code SIGRTMIN+16}, is refused with a message that
 * quotes it.
 *
 * <p>Numbers are Linux's. Only the signals POSIX fixes the numbers of ({@code HUP}, {@code INT},
 * {@code QUIT}, {@code ABRT}, {@code KILL}, {@code ALRM}, {@code TERM}) are {@link #portable()}; a
 * backend that sends signals on another system should refuse the rest rather than send a number
 * that means something else there.
 *
 * <p>The canonical name of a real-time signal is Docker's: {@code SIGRTMIN+n} for 34 to 49 and
 * {@code SIGRTMAX-n} for 50 to 64, so that every canonical name is one the engine accepts.
 *
 * @param name   the canonical name, such as {@code SIGTERM} or {@code SIGRTMAX-2}
 * @param number the signal number, from 1 to 64
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Signal(String name, int number) {

    /** {@code SIGTERM} (15), the stop signal of a task that sets none. */
    public static final Signal SIGTERM = new Signal("SIGTERM", 15);

    /** {@code SIGKILL} (9), what a stop ends with once the grace period is over. */
    public static final Signal SIGKILL = new Signal("SIGKILL", 9);

    /** The highest signal number Linux has. */
    public static final int MAX_NUMBER = 64;

    private static final int RTMIN = 34;
    private static final int RTMIN_NAMED = 15;

    /** Canonical bare names of signals 1 to 31, by number; index 0 is unused. */
    private static final String[] NAMES = {
        null, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV",
        "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU",
        "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"
    };

    private static final Map<String, Integer> BY_NAME = byName();

    private static final long PORTABLE =
            1L << 1 | 1L << 2 | 1L << 3 | 1L << 6 | 1L << 9 | 1L << 14 | 1L << 15;

    private static Map<String, Integer> byName() {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 1; i < NAMES.length; i++) {
            m.put(NAMES[i], i);
        }
        m.put("IOT", 6);
        m.put("CLD", 17);
        m.put("POLL", 29);
        return Map.copyOf(m);
    }

    /**
     * A signal; use {@link #parse(String)} or {@link #of(int)} to get one with its canonical name.
     *
     * @param name   the canonical name
     * @param number the signal number
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code number} is not from 1 to {@value #MAX_NUMBER}, or
     *     {@code name} is empty
     */
    public Signal {
        java.util.Objects.requireNonNull(name, "name");
        if (number < 1 || number > MAX_NUMBER) {
            throw new IllegalArgumentException(
                    "signal number " + number + " is not from 1 to " + MAX_NUMBER);
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a signal needs a name");
        }
    }

    /**
     * Parses a signal as a task's {@code stop_signal} writes it.
     *
     * @param text the signal's name or number; surrounding blanks are ignored
     * @return the signal, with its canonical name
     * @throws IllegalArgumentException if {@code text} is no signal this table knows; the message is
     *     {@code unknown signal "text"}, for the caller to put the field's path in front of
     * @throws NullPointerException if {@code text} is null
     */
    public static Signal parse(String text) {
        String t = text.strip();
        if (!t.isEmpty() && t.length() <= 3 && t.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return of(Integer.parseInt(t)).orElseThrow(() -> unknown(text));
        }
        String upper = t.toUpperCase(Locale.ROOT);
        String bare = upper.startsWith("SIG") ? upper.substring(3) : upper;
        Integer n = BY_NAME.get(bare);
        if (n != null) {
            return of(n).orElseThrow();
        }
        int realtime = realtime(bare);
        if (realtime > 0) {
            return of(realtime).orElseThrow();
        }
        throw unknown(text);
    }

    /** The number of a real-time signal written {@code RTMIN[+n]} or {@code RTMAX[-n]}, or 0. */
    private static int realtime(String bare) {
        if (!bare.startsWith("RTMIN") && !bare.startsWith("RTMAX")) {
            return 0;
        }
        boolean min = bare.startsWith("RTMIN");
        String rest = bare.substring(5);
        int offset = 0;
        if (!rest.isEmpty()) {
            if (rest.charAt(0) != (min ? '+' : '-')
                    || rest.length() < 2
                    || rest.length() > 3
                    || !rest.substring(1).chars().allMatch(c -> c >= '0' && c <= '9')) {
                return 0;
            }
            offset = Integer.parseInt(rest.substring(1));
        }
        if (min) {
            return offset <= RTMIN_NAMED ? RTMIN + offset : 0;
        }
        return offset <= MAX_NUMBER - RTMIN - RTMIN_NAMED - 1 ? MAX_NUMBER - offset : 0;
    }

    /**
     * The signal with number {@code number}.
     *
     * @param number a signal number
     * @return the signal with its canonical name, or empty if {@code number} is not from 1 to
     *     {@value #MAX_NUMBER} or is 32 or 33 (which the C library keeps for itself)
     */
    public static Optional<Signal> of(int number) {
        if (number < 1 || number > MAX_NUMBER) {
            return Optional.empty();
        }
        if (number < NAMES.length) {
            return Optional.of(new Signal("SIG" + NAMES[number], number));
        }
        if (number < RTMIN) {
            // 32 and 33 have no name: the C library keeps them for its threads, no program can use
            // them
            return Optional.empty();
        }
        if (number <= RTMIN + RTMIN_NAMED) {
            return Optional.of(
                    new Signal(
                            number == RTMIN ? "SIGRTMIN" : "SIGRTMIN+" + (number - RTMIN), number));
        }
        return Optional.of(
                new Signal(
                        number == MAX_NUMBER ? "SIGRTMAX" : "SIGRTMAX-" + (MAX_NUMBER - number),
                        number));
    }

    /**
     * The signal an exit code reports, the way a shell and Docker write a death by signal n as
     * 128 + n.
     *
     * @param exitCode an exit code
     * @return the signal {@code exitCode - 128}, or empty if that is no signal {@link #of(int)} knows
     */
    public static Optional<Signal> ofExitCode(int exitCode) {
        return exitCode > 128 ? of(exitCode - 128) : Optional.empty();
    }

    /**
     * Whether POSIX fixes this signal's number, so that it means the same signal on every system.
     *
     * @return true for HUP, INT, QUIT, ABRT, KILL, ALRM and TERM
     */
    public boolean portable() {
        return (PORTABLE & 1L << number) != 0;
    }

    private static IllegalArgumentException unknown(String text) {
        return new IllegalArgumentException("unknown signal " + Quote.of(text));
    }

    /**
     * The name and number, for messages.
     *
     * @return such as {@code SIGTERM(15)}
     */
    @Override
    public String toString() {
        return name + "(" + number + ")";
    }
}

package dev.taskexec.executor.process;

import dev.taskexec.api.input.Quote;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A POSIX signal, by its Linux number and canonical name ({@code SIGTERM}).
 *
 * <p>Names are accepted with or without the {@code SIG} prefix, in any case ({@code TERM},
 * {@code sigterm}), and so are decimal numbers ({@code 15}). Numbers follow Linux; on other
 * systems only the signals whose numbers POSIX fixes (HUP, INT, QUIT, ABRT, KILL, ALRM, TERM) are
 * accepted, so that a name never silently means a different signal there. Real-time signals are
 * written {@code SIGRTMIN+n}.
 *
 * @param name   canonical name, e.g. {@code SIGTERM}
 * @param number the signal number sent with {@code kill(2)}
 */
record StopSignal(String name, int number) {

    static final StopSignal SIGTERM = new StopSignal("SIGTERM", 15);
    static final StopSignal SIGKILL = new StopSignal("SIGKILL", 9);

    private static final int RTMIN = 34;
    private static final int RTMAX = 64;

    private static final Map<String, Integer> LINUX = linux();
    private static final Map<String, Integer> PORTABLE = Map.of(
            "HUP", 1, "INT", 2, "QUIT", 3, "ABRT", 6, "KILL", 9, "ALRM", 14, "TERM", 15);

    private static Map<String, Integer> linux() {
        Map<String, Integer> m = new TreeMap<>();
        String[] names = {null, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1",
            "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU",
            "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"};
        for (int i = 1; i < names.length; i++) {
            m.put(names[i], i);
        }
        m.put("IOT", 6);
        m.put("POLL", 29);
        m.put("CLD", 17);
        return m;
    }

    private static boolean linuxNumbers() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    }

    /**
     * Parses a stop signal as written in a task's {@code stop_signal}.
     *
     * @throws IllegalArgumentException naming the text when it is no known signal
     */
    static StopSignal parse(String text) {
        String t = text.strip();
        boolean linux = linuxNumbers();
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
            int n;
            try {
                n = Integer.parseInt(t);
            } catch (NumberFormatException e) {
                throw unknown(text);
            }
            return byNumber(n, linux).orElseThrow(() -> unknown(text));
        }
        String upper = t.toUpperCase(Locale.ROOT);
        String bare = upper.startsWith("SIG") ? upper.substring(3) : upper;
        if (linux && bare.startsWith("RTMIN")) {
            String rest = bare.substring(5);
            int offset = 0;
            if (!rest.isEmpty()) {
                if (!rest.startsWith("+") || rest.length() < 2 || !rest.substring(1).chars().allMatch(Character::isDigit)) {
                    throw unknown(text);
                }
                offset = Integer.parseInt(rest.substring(1));
            }
            if (RTMIN + offset > RTMAX) {
                throw unknown(text);
            }
            return new StopSignal(offset == 0 ? "SIGRTMIN" : "SIGRTMIN+" + offset, RTMIN + offset);
        }
        Integer n = (linux ? LINUX : PORTABLE).get(bare);
        if (n == null) {
            throw unknown(text);
        }
        return byNumber(n, linux).orElseThrow(() -> unknown(text));
    }

    private static Optional<StopSignal> byNumber(int n, boolean linux) {
        Map<String, Integer> table = linux ? LINUX : PORTABLE;
        for (String canonical : new String[] {"ABRT", "IO", "CHLD"}) {
            if (table.get(canonical) != null && table.get(canonical) == n) {
                return Optional.of(new StopSignal("SIG" + canonical, n));
            }
        }
        for (Map.Entry<String, Integer> e : table.entrySet()) {
            if (e.getValue() == n) {
                return Optional.of(new StopSignal("SIG" + e.getKey(), n));
            }
        }
        if (linux && n >= RTMIN && n <= RTMAX) {
            return Optional.of(new StopSignal(n == RTMIN ? "SIGRTMIN" : "SIGRTMIN+" + (n - RTMIN), n));
        }
        return Optional.empty();
    }

    /** The name of signal {@code n} if it is known here, for messages. */
    static Optional<String> nameOf(int n) {
        return byNumber(n, linuxNumbers()).map(StopSignal::name);
    }

    private static IllegalArgumentException unknown(String text) {
        return new IllegalArgumentException("container.stop_signal: unknown signal " + Quote.of(text));
    }

    @Override
    public String toString() {
        return name + "(" + number + ")";
    }
}

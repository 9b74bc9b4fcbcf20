package dev.taskexec.executor.docker;

import java.util.Locale;
import java.util.Set;

/**
 * Checks a task's {@code stop_signal} before the engine sees it, so an unknown signal rejects the
 * task with a message naming it. Accepted forms are the engine's: {@code SIGTERM}, {@code TERM},
 * a number from 1 to 64, and {@code SIGRTMIN+n} / {@code SIGRTMAX-n}.
 */
final class StopSignals {

    private static final Set<String> LINUX = Set.of(
            "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "IOT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
            "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU",
            "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "POLL", "PWR", "SYS", "RTMIN", "RTMAX");
    private static final int MAX_SIGNAL = 64;
    private static final int REALTIME_RANGE = 30;

    private StopSignals() {}

    /** Whether the engine will accept {@code signal} as a stop signal; empty means the default. */
    static boolean valid(String signal) {
        if (signal.isEmpty()) {
            return true;
        }
        if (signal.chars().allMatch(Character::isDigit)) {
            try {
                int n = Integer.parseInt(signal);
                return n >= 1 && n <= MAX_SIGNAL;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        String name = signal.toUpperCase(Locale.ROOT);
        if (name.startsWith("SIG")) {
            name = name.substring(3);
        }
        if (LINUX.contains(name)) {
            return true;
        }
        for (String base : new String[] {"RTMIN+", "RTMAX-"}) {
            if (name.startsWith(base)) {
                String offset = name.substring(base.length());
                return !offset.isEmpty() && offset.length() <= 2 && offset.chars().allMatch(Character::isDigit)
                        && Integer.parseInt(offset) <= REALTIME_RANGE;
            }
        }
        return false;
    }
}

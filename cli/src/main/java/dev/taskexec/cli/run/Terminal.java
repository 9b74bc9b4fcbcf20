package dev.taskexec.cli.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the command's stderr is a terminal, for output meant only for a person watching it
 * (the pull progress line). Java has no {@code isatty}: on Linux the descriptor's link in
 * {@code /proc/self/fd} names the device ({@code /dev/pts/N}, {@code /dev/ttyN}); elsewhere the
 * answer is {@link System#console()}, which is there when stdin and stdout are a terminal, the
 * usual case for stderr too.
 */
final class Terminal {

    /** The width assumed when the environment does not say ({@code COLUMNS}). */
    static final int DEFAULT_COLUMNS = 80;

    private Terminal() {}

    /** Whether stderr is a terminal. */
    static boolean stderrIsTerminal() {
        Path fd = Path.of("/proc/self/fd/2");
        try {
            return isTerminalDevice(Files.readSymbolicLink(fd).toString());
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    /**
     * Whether a descriptor's target, as {@code /proc/self/fd} shows it, is a terminal device.
     *
     * @param target the link's target, such as {@code /dev/pts/3} or {@code pipe:[1234]}
     * @return true for {@code /dev/pts/N}, {@code /dev/ttyN} and {@code /dev/console}
     */
    static boolean isTerminalDevice(String target) {
        return target.matches("/dev/pts/\\d+|/dev/tty\\w*|/dev/console");
    }

    /**
     * The terminal's width: {@code COLUMNS} when the environment has it, else {@link #DEFAULT_COLUMNS}.
     *
     * @param columns the value of {@code COLUMNS}, or null
     * @return the width in columns
     */
    static int columns(String columns) {
        if (columns != null) {
            try {
                int n = Integer.parseInt(columns.strip());
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // not a width: the default
            }
        }
        return DEFAULT_COLUMNS;
    }
}

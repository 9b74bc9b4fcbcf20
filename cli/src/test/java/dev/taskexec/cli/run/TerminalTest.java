package dev.taskexec.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Telling a terminal from a pipe or a file, and the terminal's width. */
class TerminalTest {

    @Test
    void terminalDevicesAreTerminals() {
        assertTrue(Terminal.isTerminalDevice("/dev/pts/3"));
        assertTrue(Terminal.isTerminalDevice("/dev/tty1"));
        assertTrue(Terminal.isTerminalDevice("/dev/console"));
    }

    @Test
    void pipesFilesAndSocketsAreNot() {
        assertFalse(Terminal.isTerminalDevice("pipe:[123456]"));
        assertFalse(Terminal.isTerminalDevice("socket:[42]"));
        assertFalse(Terminal.isTerminalDevice("/tmp/out.txt"));
        assertFalse(Terminal.isTerminalDevice("/dev/null"));
        assertFalse(Terminal.isTerminalDevice("/dev/pts/3 (deleted)"));
    }

    @Test
    void underTheTestRunnerStderrIsAPipe() {
        assertFalse(
                Terminal.stderrIsTerminal(),
                "surefire reads the forked JVM's stderr through a pipe");
    }

    @Test
    void theWidthComesFromColumnsWhenItIsAWidth() {
        assertEquals(132, Terminal.columns("132"));
        assertEquals(80, Terminal.columns(null));
        assertEquals(80, Terminal.columns("wide"));
        assertEquals(80, Terminal.columns("0"));
    }
}

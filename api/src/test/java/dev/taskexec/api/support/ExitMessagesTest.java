package dev.taskexec.api.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ExitMessagesTest {

    @Test
    void swarmkitsWording() {
        assertEquals("task: non-zero exit (3)", ExitMessages.nonZeroExit(3));
        assertEquals(
                "task: non-zero exit (137): killed by the kernel's OOM killer",
                ExitMessages.nonZeroExit(137, "killed by the kernel's OOM killer"));
        assertEquals("task: non-zero exit (1)", ExitMessages.nonZeroExit(1, null));
        assertEquals("task: non-zero exit (1)", ExitMessages.nonZeroExit(1, " "));
        assertEquals("task: non-zero exit (128)", ExitMessages.nonZeroExit(128));
        assertEquals("task: non-zero exit (255)", ExitMessages.nonZeroExit(255));
        assertEquals(
                "task: non-zero exit (138): as a process killed by SIGUSR1 reports",
                ExitMessages.nonZeroExit(138));
        assertEquals(
                "task: non-zero exit (137): as a process killed by SIGKILL reports",
                ExitMessages.nonZeroExit(137, null));
    }
}

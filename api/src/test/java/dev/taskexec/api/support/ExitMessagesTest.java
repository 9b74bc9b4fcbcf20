package dev.taskexec.api.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ExitMessagesTest {

    @Test
    void swarmkitsWording() {
        assertEquals("task: non-zero exit (3)", ExitMessages.nonZeroExit(3));
        assertEquals("task: non-zero exit (137): killed by the kernel's OOM killer",
                ExitMessages.nonZeroExit(137, "killed by the kernel's OOM killer"));
        assertEquals("task: non-zero exit (1)", ExitMessages.nonZeroExit(1, null));
        assertEquals("task: non-zero exit (1)", ExitMessages.nonZeroExit(1, " "));
    }
}

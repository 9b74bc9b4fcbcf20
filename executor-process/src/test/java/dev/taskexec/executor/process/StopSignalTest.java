package dev.taskexec.executor.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StopSignalTest {

    @ParameterizedTest
    @CsvSource({"SIGTERM,SIGTERM,15", "TERM,SIGTERM,15", "sigint,SIGINT,2", "int,SIGINT,2", "9,SIGKILL,9",
        "SIGUSR1,SIGUSR1,10", "6,SIGABRT,6", "SIGIOT,SIGABRT,6", "SIGRTMIN,SIGRTMIN,34", "RTMIN+2,SIGRTMIN+2,36",
        "' QUIT ',SIGQUIT,3", "SIGWINCH,SIGWINCH,28"})
    void parsesNamesAndNumbers(String text, String name, int number) {
        assertEquals(new StopSignal(name, number), StopSignal.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "SIG", "SIGFOO", "0", "65", "-1", "RTMIN+31", "RTMIN-1", "99999999999", "TERM2"})
    void refusesUnknownSignalsNamingTheField(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StopSignal.parse(text));
        assertTrue(e.getMessage().startsWith("container.stop_signal:"), e.getMessage());
    }

    @Test
    void namesNumbers() {
        assertEquals("SIGKILL", StopSignal.nameOf(9).orElseThrow());
        assertTrue(StopSignal.nameOf(200).isEmpty());
    }
}

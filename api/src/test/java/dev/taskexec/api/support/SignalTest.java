package dev.taskexec.api.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SignalTest {

    @ParameterizedTest
    @CsvSource({
        "SIGTERM, SIGTERM, 15",
        "term, SIGTERM, 15",
        " SigInt , SIGINT, 2",
        "9, SIGKILL, 9",
        "15, SIGTERM, 15",
        "IOT, SIGABRT, 6",
        "SIGCLD, SIGCHLD, 17",
        "CLD, SIGCHLD, 17",
        "POLL, SIGIO, 29",
        "SIGUSR1, SIGUSR1, 10",
        "SIGRTMIN, SIGRTMIN, 34",
        "RTMIN+0, SIGRTMIN, 34",
        "SIGRTMIN+3, SIGRTMIN+3, 37",
        "SIGRTMIN+15, SIGRTMIN+15, 49",
        "SIGRTMAX, SIGRTMAX, 64",
        "SIGRTMAX-2, SIGRTMAX-2, 62",
        "rtmax-14, SIGRTMAX-14, 50",
        "50, SIGRTMAX-14, 50",
        "49, SIGRTMIN+15, 49",
        "64, SIGRTMAX, 64",
        "31, SIGSYS, 31"
    })
    void parsesNamesAliasesRealTimeSignalsAndNumbers(String text, String name, int number) {
        assertEquals(new Signal(name, number), Signal.parse(text));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " ",
                "SIGNOPE",
                "SIGUNUSED",
                "0",
                "65",
                "99",
                "32",
                "33",
                "-1",
                "+9",
                "SIGRTMIN+16",
                "SIGRTMAX-15",
                "SIGRTMIN-1",
                "SIGRTMAX+1",
                "RTMIN+",
                "RTMIN+1x",
                "SIG",
                "9999999999999"
            })
    void refusesWhatTheEngineRefuses(String text) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Signal.parse(text));
        assertTrue(e.getMessage().startsWith("unknown signal \""), e.getMessage());
    }

    @Test
    void everyCanonicalNameParsesBackToItsNumber() {
        for (int n = 1; n <= Signal.MAX_NUMBER; n++) {
            int number = n;
            Signal.of(n)
                    .ifPresent(
                            s -> {
                                assertEquals(number, s.number());
                                assertEquals(s, Signal.parse(s.name()));
                                assertEquals(s, Signal.parse(Integer.toString(number)));
                            });
        }
        assertTrue(Signal.of(32).isEmpty());
        assertTrue(Signal.of(0).isEmpty());
        assertTrue(Signal.of(65).isEmpty());
    }

    @Test
    void exitCodesNameTheSignalOfADeath() {
        assertEquals("SIGKILL", Signal.ofExitCode(137).orElseThrow().name());
        assertEquals("SIGTERM", Signal.ofExitCode(143).orElseThrow().name());
        assertTrue(Signal.ofExitCode(128).isEmpty());
        assertTrue(Signal.ofExitCode(3).isEmpty());
        assertTrue(Signal.ofExitCode(255).isEmpty());
    }

    @Test
    void onlyPosixFixedNumbersArePortable() {
        assertTrue(Signal.SIGTERM.portable());
        assertTrue(Signal.SIGKILL.portable());
        assertTrue(Signal.parse("HUP").portable());
        assertFalse(Signal.parse("USR1").portable());
        assertFalse(Signal.parse("SIGRTMIN").portable());
    }

    @Test
    void aSignalNeedsANumberInRangeAndAName() {
        assertThrows(IllegalArgumentException.class, () -> new Signal("SIGX", 0));
        assertThrows(IllegalArgumentException.class, () -> new Signal("", 9));
        assertEquals("SIGTERM(15)", Signal.SIGTERM.toString());
    }
}

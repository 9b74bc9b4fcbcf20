package dev.taskexec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationArgumentTest {

    @Test
    void readsDockerStyleDurations() {
        assertEquals(Duration.ofSeconds(10), DurationArgument.parse("10s"));
        assertEquals(Duration.ofMillis(500), DurationArgument.parse("500ms"));
        assertEquals(Duration.ofMinutes(1), DurationArgument.parse("1m"));
        assertEquals(Duration.ofSeconds(90), DurationArgument.parse("1m30s"));
        assertEquals(Duration.ofMillis(1500), DurationArgument.parse("1.5s"));
        assertEquals(Duration.ofHours(2), DurationArgument.parse("2h"));
        assertEquals(Duration.ofNanos(1500), DurationArgument.parse("1us500ns"));
        assertEquals(Duration.ZERO, DurationArgument.parse("0"));
    }

    @Test
    void refusesWhatIsNotADurationWithAClearMessage() {
        for (String bad : new String[] {"", "ten", "10", "-1s", "10 s", "1x", "s", "1.5ns"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DurationArgument.parse(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "' is not a duration"), e.getMessage());
            assertTrue(e.getMessage().contains("such as 10s, 500ms, 1m"), e.getMessage());
        }
    }

    @Test
    void formatsWhatItReads() {
        for (String text : new String[] {"10s", "500ms", "1m30s", "1.5s", "2h", "0s", "1h1m1s"}) {
            assertEquals(text, DurationArgument.format(DurationArgument.parse(text)));
        }
    }
}

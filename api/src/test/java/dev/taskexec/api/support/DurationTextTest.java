package dev.taskexec.api.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {

    @Test
    void readsDockerStyleDurations() {
        assertEquals(Duration.ofSeconds(10), DurationText.parse("10s"));
        assertEquals(Duration.ofMillis(500), DurationText.parse("500ms"));
        assertEquals(Duration.ofMinutes(1), DurationText.parse("1m"));
        assertEquals(Duration.ofSeconds(90), DurationText.parse("1m30s"));
        assertEquals(Duration.ofMillis(1500), DurationText.parse("1.5s"));
        assertEquals(Duration.ofHours(2), DurationText.parse("2h"));
        assertEquals(Duration.ofNanos(1500), DurationText.parse("1us500ns"));
        assertEquals(Duration.ZERO, DurationText.parse("0"));
    }

    @Test
    void refusesWhatIsNotADurationWithAClearMessage() {
        for (String bad : new String[] {"", "ten", "10", "-1s", "10 s", "1x", "s", "1.5ns"}) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class, () -> DurationText.parse(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "' is not a duration"), e.getMessage());
            assertTrue(e.getMessage().contains("such as 10s, 500ms, 1m"), e.getMessage());
        }
    }

    @Test
    void formatsWhatItReads() {
        for (String text : new String[] {"10s", "500ms", "1m30s", "1.5s", "2h", "0s", "1h1m1s"}) {
            assertEquals(text, DurationText.format(DurationText.parse(text)));
        }
    }
}

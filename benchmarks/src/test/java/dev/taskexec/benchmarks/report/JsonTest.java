package dev.taskexec.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void readsNestedValuesInOrder() {
        Object value =
                Json.parse(
                        " {\"b\": [1, -2.5e3, true, false, null], \"a\": {\"s\": \"x\\\"\\u00b5\\n\"}} ");
        Map<?, ?> map = (Map<?, ?>) value;
        assertEquals(List.of("b", "a"), List.copyOf(map.keySet()));
        List<?> list = (List<?>) map.get("b");
        assertEquals(1.0, list.get(0));
        assertEquals(-2500.0, list.get(1));
        assertEquals(Boolean.TRUE, list.get(2));
        assertEquals(Boolean.FALSE, list.get(3));
        assertNull(list.get(4));
        assertEquals("x\"\u00b5\n", ((Map<?, ?>) map.get("a")).get("s"));
    }

    @Test
    void readsEmptyContainers() {
        assertEquals(List.of(), Json.parse("[]"));
        assertEquals(Map.of(), Json.parse("{ }"));
    }

    @Test
    void rejectsMalformedInputNamingTheOffset() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Json.parse("[1, 2"));
        assertEquals(
                "malformed JSON at offset 5: expected ',' or ']', found end of input",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\" 1}"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1] x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"open"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("nul"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("-"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse(""));
        assertTrue(
                assertThrows(IllegalArgumentException.class, () -> Json.parse("\"\\q\""))
                        .getMessage()
                        .contains("a valid escape"));
    }
}

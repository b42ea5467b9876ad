package io.srvepmd.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NodeNameTest {

    @Test
    void splitsAliveAndHost() {
        NodeName n = NodeName.parse("node-0@my-service.service.consul");
        assertEquals("node-0", n.alive());
        assertEquals("my-service.service.consul", n.host());
        assertEquals("node-0@my-service.service.consul", n.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@h", "rpc-x-1@svc.test", "a_b.c@10.0.0.1", "a@::1", "a@[fd00::7]", "A9@H-1.example"})
    void acceptsValidNames(String node) {
        assertEquals(node, NodeName.parse(node).toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "nohost|exactly one '@'",
        "a@b@c|exactly one '@'",
        "@host|alive part",
        "a b@host|alive part",
        "a@|host part",
        "a@ho st|host part",
        "a@.host|empty DNS label",
        "a@host.|empty DNS label",
        "a@ho..st|empty DNS label"})
    void rejectsMalformedNamesNamingTheValue(String node, String why) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NodeName.parse(node));
        assertTrue(e.getMessage().contains("'" + node + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    /** Found by NodeNameFuzzTest (regression input crash-control-characters): a peer's name broke the line. */
    @Test
    void rejectionOfANameWithControlCharactersIsOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NodeName.parse("evil\n2026-01-01 WARNING forged log line@host\u0085\u2028"));
        assertEquals("malformed Erlang node name 'evil\\u000a2026-01-01 WARNING forged log line@host\\u0085"
                + "\\u2028': the alive part must be 1-255 characters of letters, digits, '_', '-' or '.'",
                e.getMessage());
    }

    @Test
    void rejectsNull() {
        assertThrows(IllegalArgumentException.class, () -> NodeName.parse(null));
    }

    @Test
    void rejectsOverlongParts() {
        assertThrows(IllegalArgumentException.class, () -> NodeName.of("a".repeat(256), "h"));
        assertEquals(255, NodeName.of("a".repeat(255), "h").alive().length());
    }

    @Test
    void equalityIsByBothParts() {
        assertEquals(NodeName.parse("a@h"), NodeName.of("a", "h"));
        assertEquals(NodeName.parse("a@h").hashCode(), NodeName.of("a", "h").hashCode());
        assertNotEquals(NodeName.parse("a@h"), NodeName.parse("a@g"));
        assertNotEquals(NodeName.parse("a@h"), NodeName.parse("b@h"));
    }
}

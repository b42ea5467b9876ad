package io.srvepmd.staticmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.spi.NodeName;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodePatternTest {

    private static boolean matches(String pattern, String node) {
        return NodePattern.parse(pattern).matches(NodeName.parse(node));
    }

    @ParameterizedTest
    @CsvSource({
        "node-0@host-a, node-0@host-a, true",
        "node-0@host-a, node-1@host-a, false",
        "node-0@host-a, node-0@host-b, false",
        "*@*, a@b, true",
        "*@host-a, anything.at_all@host-a, true",
        "*@host-a, x@host-b, false",
        "node-*@h, node-@h, true",          // '*' matches the empty run
        "node-*@h, node-17@h, true",
        "node-*@h, nod@h, false",
        "*-worker@h, web-worker@h, true",
        "a*b*c@h, abc@h, true",
        "a*b*c@h, aXXbYYc@h, true",
        "a*b*c@h, aXXcYYb@h, false",
        "*@*.svc.cluster.local, n@pod-0.ns.svc.cluster.local, true",
        "*@*.svc.cluster.local, n@svc.cluster.local, false",   // the dot before svc is required
        "*@*.svc.cluster.local, n@x.svc.cluster.localX, false", // anchored at the end
        "*@a.b, n@aXb, false",              // dots are literal, not regex 'any character'
        "*@a.b, n@a.b, true",
        "*@a*, n@a.b.c, true",
        "*@10.0.0.*, n@10.0.0.7, true",
        "*@10.0.0.*, n@10.0.1.7, false",
        "N@h, n@h, false",                  // alive is case-sensitive (an Erlang atom)
        "n@Host.Example, n@host.example, true", // host is case-insensitive (a DNS name)
        "*@*.Example, n@a.EXAMPLE, true",
    })
    void wildcardSemantics(String pattern, String node, boolean expected) {
        assertEquals(expected, matches(pattern, node), pattern + " vs " + node);
    }

    /**
     * Found by StaticEntryFuzzTest (regression input timeout-many-stars-long-host): patterns were
     * regular expressions of '.*' parts, which backtrack polynomially in the number of stars; a
     * peer's long name against an operator's starry pattern cost seconds of CPU, or hours. Matching
     * is now linear in each string; the bound is a hang detector (a match takes microseconds).
     */
    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void manyStarsAgainstALongNameDoNotBacktrackForever() {
        String stars = "*a".repeat(12) + "*b";
        assertFalse(matches(stars + "@*", "a".repeat(255) + "@h"));
        assertTrue(matches(stars + "@*", "a".repeat(254) + "b@h"));
        assertFalse(matches("*@****" + "B".repeat(25) + "*N***l", "node-1@bbbbbb" + "L".repeat(150) + "bbbXbbbweb.locq-"));
    }

    @Test
    void regexCharactersAreLiteral() {
        // NodeName forbids most regex metacharacters, but '[', ']' and '.' are
        // allowed in hosts and must not act as regex syntax.
        assertTrue(matches("*@[::1]", "n@[::1]"));
        assertFalse(matches("*@[::1]", "n@:"));
    }

    @Test
    void exactOnlyWithoutWildcard() {
        assertEquals(Optional.of(NodeName.parse("a@b")), NodePattern.parse("a@b").exact());
        assertEquals(Optional.empty(), NodePattern.parse("a*@b").exact());
        assertEquals(Optional.empty(), NodePattern.parse("a@*").exact());
    }

    @Test
    void invalidExactNameUsesNodeNameRules() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NodePattern.parse("a b@h"));
        assertEquals("malformed Erlang node name 'a b@h': the alive part must be 1-255 characters of letters,"
                + " digits, '_', '-' or '.'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NodePattern.parse("ab"));
        assertThrows(IllegalArgumentException.class, () -> NodePattern.parse("a@h..x"));
    }

    private static String error(String pattern) {
        return assertThrows(IllegalArgumentException.class, () -> NodePattern.parse(pattern)).getMessage();
    }

    @Test
    void invalidPatterns() {
        assertEquals("node pattern '*' needs exactly one '@' between the alive part and the host"
                + " (use '*@*' to match every node)", error("*"));
        assertEquals("node pattern '*@a@b' needs exactly one '@' between the alive part and the host"
                + " (use '*@*' to match every node)", error("*@a@b"));
        assertEquals("node pattern '@*': the alive part must be 1-255 characters of letters, digits,"
                + " '_', '-', '.' or '*'", error("@*"));
        assertEquals("node pattern 'a*@': the host part must be 1-255 characters of letters, digits,"
                + " '_', '-', '.', '*' (or an IP literal)", error("a*@"));
        assertEquals("node pattern '*@h/x*': the host part must be 1-255 characters of letters, digits,"
                + " '_', '-', '.', '*' (or an IP literal)", error("*@h/x*"));
        assertEquals("node pattern '*@*..svc': the host part has an empty DNS label", error("*@*..svc"));
        assertThrows(IllegalArgumentException.class, () -> NodePattern.parse("*@.*"));
        assertThrows(IllegalArgumentException.class, () -> NodePattern.parse("*@*."));
    }
}

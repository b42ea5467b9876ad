package io.srvepmd.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;

/**
 * Node names come from peers (every pid, port and reference names a node), so
 * their parser meets arbitrary text. The input is UTF-8 text: without a NUL it
 * goes to {@link NodeName#parse}; with one, the parts before and after the
 * first NUL go to {@link NodeName#of}.
 *
 * <p>Property: the parser accepts exactly the names its documented grammar
 * allows (here a regular expression, an independent model of the hand-written
 * checks); an accepted name prints back to its input and parses back equal; a
 * rejected one fails with {@link IllegalArgumentException} only, in one line
 * that quotes the value (control characters written as {@code \\uXXXX}).
 *
 * <p>Regression inputs: {@code src/test/resources/io/srvepmd/spi/NodeNameFuzzTestInputs/}.
 * Fuzz it with {@code bash scripts/fuzz.sh NodeNameFuzzTest 5m}.
 */
class NodeNameFuzzTest {

    private static final Pattern ALIVE = Pattern.compile("[A-Za-z0-9_.-]{1,255}");
    private static final Pattern HOST = Pattern.compile("(?!\\.)(?!.*\\.\\.)(?!.*\\.$)[A-Za-z0-9_.:%\\[\\]-]{1,255}");

    @FuzzTest
    @Timeout(10) // a hang, not a speed check: one input takes microseconds
    void nodeNames(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        int nul = text.indexOf('\0');
        if (nul < 0) {
            check(text, text.indexOf('@') == text.lastIndexOf('@') && text.indexOf('@') >= 0
                    ? text.substring(0, text.indexOf('@')) : null, text.substring(text.indexOf('@') + 1),
                    () -> NodeName.parse(text));
        } else {
            String alive = text.substring(0, nul);
            String host = text.substring(nul + 1);
            check(alive + "@" + host, alive, host, () -> NodeName.of(alive, host));
        }
    }

    /** @param alive the alive part, or {@code null} when the text has not exactly one '@' */
    private static void check(String whole, String alive, String host, java.util.function.Supplier<NodeName> parser) {
        boolean valid = alive != null && ALIVE.matcher(alive).matches() && HOST.matcher(host).matches();
        NodeName node;
        try {
            node = parser.get();
        } catch (IllegalArgumentException e) {
            assertFalse(valid, "rejected a valid name: " + e.getMessage());
            assertOneLineNaming(e.getMessage(), whole);
            return;
        }
        assertTrue(valid, "accepted an invalid name: " + escaped(whole));
        assertEquals(alive, node.alive());
        assertEquals(host, node.host());
        assertEquals(whole, node.toString());
        assertEquals(node, NodeName.parse(node.toString()));
        assertEquals(node.hashCode(), NodeName.parse(node.toString()).hashCode());
    }

    /** The message is one line and quotes the value, its control characters escaped. */
    static void assertOneLineNaming(String message, String value) {
        for (int i = 0; i < message.length(); i++) {
            if (Character.isISOControl(message.charAt(i)) || message.charAt(i) == '\u2028'
                    || message.charAt(i) == '\u2029') {
                fail("the message is not one printable line: " + escaped(message));
            }
        }
        assertTrue(message.contains("'" + escaped(value) + "'"), "the message does not name the value: " + message);
    }

    /** Control characters and line separators as {@code \\uXXXX}, everything else as it is. */
    static String escaped(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}

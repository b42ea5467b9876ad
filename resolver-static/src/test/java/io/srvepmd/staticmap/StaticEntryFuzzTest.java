package io.srvepmd.staticmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.srvepmd.spi.Candidate;
import io.srvepmd.spi.HostResolver;
import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.Resolution;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Timeout;

/**
 * Static map entries, as an operator writes them in {@code static.nodes} or the
 * {@code static.file}, matched against node names, which peers choose. The input
 * is UTF-8 text: before the first NUL the entries (read both as one
 * {@code static.nodes} value and as the lines of a file), after it a node name
 * to resolve.
 *
 * <p>Properties: the entries are read in full or the error names the setting
 * (for the file: the file and the line number), the offending entry as written
 * and the expected form; every entry read keeps its text, NODE part and port,
 * and an IP literal reads back equal when written again; a NODE pattern matches
 * a node exactly when a glob model says so ({@code *} any run of characters,
 * the alive part case-sensitive, the host part case-insensitive), and resolving
 * the node answers with the first entry that matches, or nothing. Matching is
 * bounded by {@link Timeout} like every step: a hang, not a speed check.
 *
 * <p>Regression inputs: {@code src/test/resources/io/srvepmd/staticmap/StaticEntryFuzzTestInputs/}.
 * Fuzz with {@code bash scripts/fuzz.sh StaticEntryFuzzTest 5m}.
 */
class StaticEntryFuzzTest {

    private static final String DESCRIBED = "agent argument static.nodes";
    private static final InetAddress LOOKED_UP = InetAddress.getLoopbackAddress();

    /** Host names are never looked up here: every one "resolves" to the loopback address. */
    private static final HostResolver HOSTS = (host, port) -> Resolution.of(List.of(Candidate.of(LOOKED_UP, port)),
            Duration.ZERO, "test host " + host);

    @FuzzTest
    @Timeout(10)
    void entries(byte[] input) throws IOException {
        String text = new String(input, StandardCharsets.UTF_8);
        int nul = text.indexOf('\0');
        String value = nul < 0 ? text : text.substring(0, nul);
        List<StaticEntry> fromValue = fromValue(value);
        fromFile(value);
        if (nul >= 0 && fromValue != null) {
            NodeName node;
            try {
                node = NodeName.parse(text.substring(nul + 1));
            } catch (IllegalArgumentException notANodeName) {
                return;
            }
            resolve(fromValue, node);
        }
    }

    /** @return the entries, or {@code null} if the value was (rightly) refused */
    private static List<StaticEntry> fromValue(String value) {
        List<String> pieces = new ArrayList<>();
        for (String piece : value.split(";", -1)) {
            if (!piece.trim().isEmpty()) {
                pieces.add(piece.trim());
            }
        }
        List<StaticEntry> entries;
        try {
            entries = StaticEntryParser.parseNodes(value, "static.nodes", DESCRIBED);
        } catch (IllegalArgumentException e) {
            assertNamesEntry(e.getMessage(), DESCRIBED + ": bad entry '", pieces);
            return null;
        }
        assertEquals(pieces.size(), entries.size());
        for (int i = 0; i < entries.size(); i++) {
            assertEntry(pieces.get(i), "static.nodes", entries.get(i));
        }
        return entries;
    }

    private static void fromFile(String value) {
        List<String> lines = Arrays.asList(value.split("\n", -1));
        List<StaticEntry> entries;
        try {
            entries = StaticEntryParser.parseLines(lines, "static.file", "/etc/nodes", DESCRIBED);
        } catch (IllegalArgumentException e) {
            List<String> prefixes = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                prefixes.add("/etc/nodes line " + (i + 1) + ": bad entry '" + withoutComment(lines.get(i)));
            }
            assertNamesEntry(e.getMessage(), DESCRIBED + ": ", prefixes);
            return;
        }
        int at = 0;
        for (int i = 0; i < lines.size(); i++) {
            String entry = withoutComment(lines.get(i));
            if (!entry.isEmpty()) {
                assertEntry(entry, "static.file /etc/nodes line " + (i + 1), entries.get(at++));
            }
        }
        assertEquals(at, entries.size());
    }

    private static String withoutComment(String line) {
        return (line.indexOf('#') < 0 ? line : line.substring(0, line.indexOf('#'))).trim();
    }

    /** {@code <start><one of the choices>': <why>; <expected form>}, one line. */
    private static void assertNamesEntry(String message, String start, List<String> choices) {
        assertTrue(message.startsWith(start), message);
        assertTrue(message.endsWith("; " + StaticEntryParser.EXPECTED), message);
        String rest = message.substring(start.length());
        assertTrue(choices.stream().anyMatch(c -> rest.startsWith(c + "': ")), "names no entry: " + message);
    }

    private static void assertEntry(String text, String origin, StaticEntry entry) {
        assertEquals("static entry '" + text + "' (" + origin + ")", entry.source());
        int eq = text.indexOf('=');
        String nodePart = text.substring(0, eq).trim();
        assertEquals(nodePart, entry.nodes().toString());
        String addressPort = text.substring(eq + 1).trim();
        int colon = addressPort.lastIndexOf(':');
        assertEquals(Integer.parseInt(addressPort.substring(colon + 1)), entry.port());
        assertTrue(entry.port() >= 1 && entry.port() <= 65535);
        entry.nodes().exact().ifPresent(node -> {
            assertEquals(nodePart, node.toString());
            assertTrue(entry.nodes().matches(node), "an exact entry does not match its own node");
        });
        InetAddress literal = entry.literal();
        if (literal != null) {
            String written = literal instanceof Inet6Address ? "[" + literal.getHostAddress() + "]"
                    : literal.getHostAddress();
            assertEquals(literal, StaticEntryParser.parseEntry(nodePart + "=" + written + ":1", "again").literal());
        }
    }

    private static void resolve(List<StaticEntry> entries, NodeName node) throws IOException {
        StaticEntry first = null;
        for (StaticEntry entry : entries) {
            boolean expected = globMatches(entry.nodes().toString(), node);
            assertEquals(expected, entry.nodes().matches(node), entry.nodes() + " against " + node);
            if (expected && first == null) {
                first = entry;
            }
        }
        Optional<Resolution> found = new StaticResolver(entries, HOSTS).resolve(node);
        assertEquals(first != null, found.isPresent());
        if (first != null) {
            Candidate c = found.get().candidates().get(0);
            assertEquals(first.port(), c.port());
            assertEquals(List.of(first.literal() != null ? first.literal() : LOOKED_UP), c.addresses());
        }
    }

    /** The glob model: {@code alive@host} patterns, each part matched apart, host case-insensitively. */
    private static boolean globMatches(String pattern, NodeName node) {
        int at = pattern.indexOf('@');
        return glob(pattern.substring(0, at), node.alive(), false)
                && glob(pattern.substring(at + 1), node.host(), true);
    }

    /** Textbook dynamic programming over prefixes: time the product of the lengths, whatever the input. */
    private static boolean glob(String glob, String s, boolean ignoreCase) {
        boolean[] prev = new boolean[s.length() + 1];
        prev[0] = true;
        for (int g = 1; g <= glob.length(); g++) {
            char p = glob.charAt(g - 1);
            boolean[] cur = new boolean[s.length() + 1];
            cur[0] = p == '*' && prev[0];
            for (int i = 1; i <= s.length(); i++) {
                cur[i] = p == '*' ? prev[i] || cur[i - 1] : prev[i - 1] && same(p, s.charAt(i - 1), ignoreCase);
            }
            prev = cur;
        }
        return prev[s.length()];
    }

    private static boolean same(char a, char b, boolean ignoreCase) {
        return ignoreCase ? Character.toLowerCase(a) == Character.toLowerCase(b) : a == b;
    }
}

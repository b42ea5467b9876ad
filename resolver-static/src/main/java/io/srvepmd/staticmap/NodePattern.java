package io.srvepmd.staticmap;

import io.srvepmd.spi.NodeName;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The NODE part of a static entry: an exact node name such as
 * {@code node-0@host-a}, or a pattern in which {@code *} stands for any run of
 * characters, the empty run included, such as {@code *@*.svc.cluster.local}.
 *
 * <p>The alive part is compared case-sensitively (Erlang node names are atoms);
 * the host part case-insensitively, because it is a DNS name and DNS names are
 * (RFC 4343).
 */
final class NodePattern {

    /** What a node name may hold (see {@link NodeName}), plus the wildcard. */
    private static final Pattern ALIVE_CHARS = Pattern.compile("[A-Za-z0-9_.*-]{1,255}");
    private static final Pattern HOST_CHARS = Pattern.compile("[A-Za-z0-9_.:%\\[\\]*-]{1,255}");

    private final String text;
    private final NodeName exact;
    /** The alive part's glob, matched case-sensitively. */
    private final String alive;
    /** The host part's glob, matched case-insensitively. */
    private final String host;

    private NodePattern(String text, NodeName exact, String alive, String host) {
        this.text = text;
        this.exact = exact;
        this.alive = alive;
        this.host = host;
    }

    /**
     * @param text {@code alive@host}, either part possibly with {@code *}
     * @return the pattern
     * @throws IllegalArgumentException saying what is wrong, without repeating the entry
     */
    static NodePattern parse(String text) {
        if (text.indexOf('*') < 0) {
            // An exact name must be one the agent could ever be asked for, so
            // NodeName is the judge; its message names the value and the rule.
            NodeName node = NodeName.parse(text);
            return new NodePattern(text, node, node.alive(), node.host());
        }
        int at = text.indexOf('@');
        if (at < 0 || at != text.lastIndexOf('@')) {
            throw new IllegalArgumentException("node pattern '" + text
                    + "' needs exactly one '@' between the alive part and the host (use '*@*' to match every node)");
        }
        String alivePart = text.substring(0, at);
        String hostPart = text.substring(at + 1);
        if (!ALIVE_CHARS.matcher(alivePart).matches()) {
            throw new IllegalArgumentException("node pattern '" + text + "': the alive part must be 1-255 characters"
                    + " of letters, digits, '_', '-', '.' or '*'");
        }
        if (!HOST_CHARS.matcher(hostPart).matches()) {
            throw new IllegalArgumentException("node pattern '" + text + "': the host part must be 1-255 characters"
                    + " of letters, digits, '_', '-', '.', '*' (or an IP literal)");
        }
        if (hostPart.startsWith(".") || hostPart.endsWith(".") || hostPart.contains("..")) {
            throw new IllegalArgumentException("node pattern '" + text + "': the host part has an empty DNS label");
        }
        return new NodePattern(text, null, alivePart, hostPart);
    }

    /** @return whether the node fits this pattern */
    boolean matches(NodeName node) {
        return globMatches(alive, node.alive(), false) && globMatches(host, node.host(), true);
    }

    /**
     * Whether {@code s} matches {@code glob}, in which {@code *} stands for any
     * run of characters and every other character for itself. The classic scan:
     * on a mismatch, the last {@code *} seen takes one more character and the
     * scan resumes after it. At most {@code glob.length() * s.length()} steps,
     * whatever the input: node names come from peers, and a regular expression
     * of {@code .*} parts backtracks polynomially in the number of stars (found
     * by StaticEntryFuzzTest: a 36-character host pattern against a
     * 190-character host took 0.7 s a match, each further star multiplying that).
     */
    private static boolean globMatches(String glob, String s, boolean ignoreCase) {
        int g = 0;
        int i = 0;
        int star = -1;
        int resume = 0;
        while (i < s.length()) {
            if (g < glob.length() && glob.charAt(g) == '*') {
                star = g++;
                resume = i;
            } else if (g < glob.length() && same(glob.charAt(g), s.charAt(i), ignoreCase)) {
                g++;
                i++;
            } else if (star >= 0) {
                g = star + 1;
                i = ++resume;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }

    /** Host names compare case-insensitively in ASCII, as DNS names do (RFC 4343); node names are ASCII. */
    private static boolean same(char a, char b, boolean ignoreCase) {
        if (a == b) {
            return true;
        }
        return ignoreCase && a < 128 && b < 128 && Character.toLowerCase(a) == Character.toLowerCase(b);
    }

    /** @return the node name if this pattern has no wildcard */
    Optional<NodeName> exact() {
        return Optional.ofNullable(exact);
    }

    /** @return the pattern as written */
    @Override
    public String toString() {
        return text;
    }
}

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
    private final Pattern alive;
    private final Pattern host;

    private NodePattern(String text, NodeName exact, Pattern alive, Pattern host) {
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
            return new NodePattern(text, node, wildcard(node.alive(), 0), wildcard(node.host(), Pattern.CASE_INSENSITIVE));
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
        return new NodePattern(text, null, wildcard(alivePart, 0), wildcard(hostPart, Pattern.CASE_INSENSITIVE));
    }

    /**
     * Turns {@code a*b} into the regular expression {@code \Qa\E.*\Qb\E}: every
     * character but {@code *} is quoted, so the dots of a host name stay
     * literal dots.
     */
    private static Pattern wildcard(String glob, int flags) {
        StringBuilder regex = new StringBuilder();
        int start = 0;
        for (int star = glob.indexOf('*'); star >= 0; star = glob.indexOf('*', start)) {
            if (star > start) {
                regex.append(Pattern.quote(glob.substring(start, star)));
            }
            regex.append(".*");
            start = star + 1;
        }
        if (start < glob.length()) {
            regex.append(Pattern.quote(glob.substring(start)));
        }
        return Pattern.compile(regex.toString(), flags);
    }

    /** @return whether the node fits this pattern */
    boolean matches(NodeName node) {
        return alive.matcher(node.alive()).matches() && host.matcher(node.host()).matches();
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

package io.srvepmd.spi;

/**
 * A validated Erlang node name, {@code alive@host}.
 *
 * <p>The alive part may hold letters, digits, {@code _}, {@code -} and
 * {@code .}; the host part letters, digits, {@code _}, {@code -}, {@code .}
 * and, for IP literals, {@code :}, {@code %}, {@code [} and {@code ]}. Both
 * parts are non-empty and at most 255 characters.
 */
public final class NodeName {

    // Character checks (start-up discipline, the agent's it-tests' StartupDisciplineTest).
    private static final String ALIVE_EXTRA = "_.-";
    private static final String HOST_EXTRA = "_.-:%[]";

    private final String alive;
    private final String host;

    private NodeName(String alive, String host) {
        this.alive = alive;
        this.host = host;
    }

    /**
     * Parses {@code alive@host}.
     *
     * @param node the full node name
     * @return the node name
     * @throws IllegalArgumentException naming the value and what is wrong with it
     */
    public static NodeName parse(String node) {
        if (node == null) {
            throw new IllegalArgumentException("node name is missing (null); expected alive@host");
        }
        int at = node.indexOf('@');
        if (at < 0 || at != node.lastIndexOf('@')) {
            throw invalid(node, "expected exactly one '@' between the alive part and the host");
        }
        return of(node.substring(0, at), node.substring(at + 1));
    }

    /**
     * Builds a node name from its two parts.
     *
     * @param alive the part before {@code @}
     * @param host the part after {@code @}
     * @return the node name
     * @throws IllegalArgumentException naming the value and what is wrong with it
     */
    public static NodeName of(String alive, String host) {
        String whole = alive + "@" + host;
        if (!isMadeOf(alive, ALIVE_EXTRA)) {
            throw invalid(whole, "the alive part must be 1-255 characters of letters, digits, '_', '-' or '.'");
        }
        if (!isMadeOf(host, HOST_EXTRA)) {
            throw invalid(whole, "the host part must be 1-255 characters of letters, digits, '_', '-', '.'"
                    + " (or an IP literal)");
        }
        if (host.startsWith(".") || host.endsWith(".") || host.contains("..")) {
            throw invalid(whole, "the host part has an empty DNS label");
        }
        return new NodeName(alive, host);
    }

    /** @return whether {@code s} has 1-255 characters, each an ASCII letter, digit or one of {@code extra} */
    private static boolean isMadeOf(String s, String extra) {
        if (s == null || s.isEmpty() || s.length() > 255) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean letterOrDigit = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!letterOrDigit && extra.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static IllegalArgumentException invalid(String node, String why) {
        return new IllegalArgumentException("malformed Erlang node name '" + printable(node) + "': " + why);
    }

    /**
     * The value with its control characters and line separators written as a
     * backslash, {@code u} and four hex digits: a peer chooses the names, and its
     * name must not break the one-line error (or the log line it ends up in) into several.
     */
    private static String printable(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
            if (control && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (control) {
                String hex = Integer.toHexString(c);
                b.append("\\u").append("0000", hex.length(), 4).append(hex);
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }

    /** @return the part before {@code @}, such as {@code node-0} */
    public String alive() {
        return alive;
    }

    /** @return the part after {@code @}, such as {@code my-service.service.consul} */
    public String host() {
        return host;
    }

    /** @return {@code alive@host} */
    @Override
    public String toString() {
        return alive + "@" + host;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeName && ((NodeName) o).alive.equals(alive) && ((NodeName) o).host.equals(host);
    }

    @Override
    public int hashCode() {
        return 31 * alive.hashCode() + host.hashCode();
    }
}

package io.srvepmd.dns;

import io.srvepmd.spi.NodeName;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code dns.query} setting: how a node name becomes the DNS name whose SRV
 * records are asked for, for example {@code {alive}.{host}} turns
 * {@code node-0@svc.service.consul} into {@code node-0.svc.service.consul}.
 *
 * <p>The template is checked once when the resolver is created; the name it
 * produces is checked for every node, because only then are the parts known.
 */
final class QueryTemplate {

    static final String DEFAULT = "{alive}.{host}";

    private static final String ALIVE = "{alive}";
    private static final String HOST = "{host}";

    /** Literal text and placeholders, in order; placeholders are the two constants above. */
    private final List<String> parts;
    private final String text;

    private QueryTemplate(String text, List<String> parts) {
        this.text = text;
        this.parts = parts;
    }

    /**
     * @param template the setting's value
     * @return the template
     * @throws IllegalArgumentException saying what is wrong, without the key (the caller adds it)
     */
    static QueryTemplate parse(String template) {
        List<String> parts = new ArrayList<>();
        boolean placeholder = false;
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            int close = template.indexOf('}', i);
            if (close >= 0 && (open < 0 || close < open)) {
                throw new IllegalArgumentException("'}' at position " + close + " closes no placeholder");
            }
            if (open < 0) {
                parts.add(template.substring(i));
                break;
            }
            if (open > i) {
                parts.add(template.substring(i, open));
            }
            if (close < 0) {
                throw new IllegalArgumentException("'{' at position " + open + " is never closed");
            }
            String name = template.substring(open, close + 1);
            if (!name.equals(ALIVE) && !name.equals(HOST)) {
                throw new IllegalArgumentException("unknown placeholder " + name);
            }
            parts.add(name.equals(ALIVE) ? ALIVE : HOST);
            placeholder = true;
            i = close + 1;
        }
        if (!placeholder) {
            // A constant name would send every node to the same SRV record: surely a mistake.
            throw new IllegalArgumentException("it has no placeholder, so every node would get the same SRV name");
        }
        for (String p : parts) {
            if (p != ALIVE && p != HOST) { // identity: placeholders are the interned constants
                for (int c = 0; c < p.length(); c++) {
                    if (!labelChar(p.charAt(c)) && p.charAt(c) != '.') {
                        throw new IllegalArgumentException("character '" + p.charAt(c)
                                + "' cannot appear in a DNS name");
                    }
                }
            }
        }
        return new QueryTemplate(template, List.copyOf(parts));
    }

    /** @return the template as configured */
    String text() {
        return text;
    }

    /**
     * Builds the SRV name for a node.
     *
     * @param node the node
     * @return the name, without a trailing dot
     * @throws IllegalArgumentException if the result is not a valid DNS name; the message names it
     */
    String nameFor(NodeName node) {
        StringBuilder b = new StringBuilder(64);
        for (String p : parts) {
            if (p == ALIVE) {
                b.append(node.alive());
            } else if (p == HOST) {
                b.append(node.host());
            } else {
                b.append(p);
            }
        }
        String name = b.toString();
        String problem = checkDnsName(name);
        if (problem != null) {
            throw new IllegalArgumentException("'" + name + "' is not a valid DNS name: " + problem);
        }
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /**
     * Checks a host name as it would travel in a DNS question: labels of 1-63
     * letters, digits, {@code -} or {@code _} (underscore for names such as
     * {@code _epmd._tcp.}), at most 253 characters without the trailing dot.
     *
     * @param name the name, optionally with one trailing dot
     * @return what is wrong, or {@code null} if the name is fine
     */
    static String checkDnsName(String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (n.isEmpty()) {
            return "it is empty";
        }
        if (n.length() > 253) {
            return "it is " + n.length() + " characters long, more than 253";
        }
        int start = 0;
        while (start <= n.length()) {
            int dot = n.indexOf('.', start);
            int end = dot < 0 ? n.length() : dot;
            int len = end - start;
            if (len == 0) {
                return "it has an empty label";
            }
            if (len > 63) {
                return "label '" + n.substring(start, end) + "' is " + len + " characters long, more than 63";
            }
            for (int c = start; c < end; c++) {
                if (!labelChar(n.charAt(c))) {
                    return "label '" + n.substring(start, end) + "' contains '" + n.charAt(c) + "'";
                }
            }
            if (dot < 0) {
                break;
            }
            start = dot + 1;
        }
        return null;
    }

    private static boolean labelChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    @Override
    public String toString() {
        return text;
    }
}

package io.srvepmd.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses name server addresses: the {@code dns.servers} setting and the
 * {@code nameserver} lines of {@code /etc/resolv.conf}.
 *
 * <p>Only IP literals are accepted. A server given by name would need a DNS
 * lookup to find the DNS server, done by the JDK's resolver at an unknown cost,
 * before the agent has anything to answer with.
 */
final class Servers {

    static final int DEFAULT_PORT = 53;

    private static final Pattern V4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern V6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?");

    private Servers() {
    }

    /**
     * Parses a comma-separated list of {@code host:port}, {@code [v6]:port},
     * bare IPv4 or bare IPv6 literals.
     *
     * @param value the setting's value
     * @return at least one server
     * @throws IllegalArgumentException saying which entry is wrong and why
     */
    static List<InetSocketAddress> parseList(String value) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String entry : value.split(",", -1)) {
            String e = entry.trim();
            if (e.isEmpty()) {
                throw new IllegalArgumentException("it has an empty entry");
            }
            InetSocketAddress a = parseOne(e);
            if (!out.contains(a)) {
                out.add(a);
            }
        }
        return List.copyOf(out);
    }

    private static InetSocketAddress parseOne(String e) {
        String host;
        int port = DEFAULT_PORT;
        if (e.startsWith("[")) {
            int close = e.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + e + "' has no closing ']'");
            }
            host = e.substring(1, close);
            String rest = e.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("'" + e + "' has '" + rest + "' after ']' instead of :port");
                }
                port = parsePort(e, rest.substring(1));
            }
            return new InetSocketAddress(v6(e, host), port);
        }
        int colons = e.length() - e.replace(":", "").length();
        if (colons > 1) { // a bare IPv6 literal: its colons are not a port separator
            return new InetSocketAddress(v6(e, e), port);
        }
        host = e;
        if (colons == 1) {
            host = e.substring(0, e.indexOf(':'));
            port = parsePort(e, e.substring(e.indexOf(':') + 1));
        }
        InetAddress v4 = v4(host);
        if (v4 == null) {
            throw new IllegalArgumentException("'" + host + "' in '" + e + "' is not an IP address"
                    + " (host names are not accepted: resolving them would itself need DNS)");
        }
        return new InetSocketAddress(v4, port);
    }

    private static int parsePort(String entry, String port) {
        try {
            int p = Integer.parseInt(port);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("port '" + port + "' in '" + entry + "' is not a number 1-65535");
    }

    /** @return the address of a dotted-quad literal, or {@code null}; never does a lookup */
    static InetAddress v4(String s) {
        Matcher m = V4.matcher(s);
        if (!m.matches()) {
            return null;
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            int octet = Integer.parseInt(m.group(i + 1));
            if (octet > 255) {
                return null;
            }
            b[i] = (byte) octet;
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }

    private static InetAddress v6(String entry, String literal) {
        if (V6_CHARS.matcher(literal).matches() && literal.indexOf(':') >= 0) {
            try {
                // The brackets make the JDK treat it strictly as an IPv6 literal: it never looks it up.
                return InetAddress.getByName("[" + literal + "]");
            } catch (UnknownHostException | IllegalArgumentException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("'" + literal + "' in '" + entry + "' is not an IPv6 address");
    }

    /**
     * Reads the {@code nameserver} lines of a resolv.conf file. Lines that do
     * not hold an IP literal are skipped, as the C library does.
     *
     * @param file usually {@code /etc/resolv.conf}
     * @return the servers on port 53, possibly empty (also if the file is missing)
     * @throws IOException if the file exists but cannot be read
     */
    static List<InetSocketAddress> fromResolvConf(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<InetSocketAddress> out = new ArrayList<>();
        for (String line : lines) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 2 && words[0].equals("nameserver")) {
                try {
                    InetSocketAddress a = words[1].indexOf(':') >= 0
                            ? new InetSocketAddress(v6(words[1], words[1]), DEFAULT_PORT)
                            : parseOne(words[1]);
                    if (!out.contains(a)) {
                        out.add(a);
                    }
                } catch (IllegalArgumentException skipped) {
                    // not an address: glibc ignores such lines too
                }
            }
        }
        return List.copyOf(out);
    }

    /** @return {@code 127.0.0.1:53} or {@code [::1]:53}, as in messages and sources */
    static String format(InetSocketAddress server) {
        String h = server.getAddress().getHostAddress();
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + server.getPort();
    }

    /** @return the servers formatted and separated by {@code ", "} */
    static String format(List<InetSocketAddress> servers) {
        StringBuilder b = new StringBuilder();
        for (InetSocketAddress s : servers) {
            b.append(b.length() == 0 ? "" : ", ").append(format(s));
        }
        return b.toString();
    }
}

package io.srvepmd.dns;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringTokenizer;

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

    // Literals are checked by hand (start-up discipline, it-tests' StartupDisciplineTest).

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
        byte[] b = new byte[4];
        int at = 0;
        for (int i = 0; i < 4; i++) {
            int start = at;
            int octet = 0;
            while (at < s.length() && at - start < 3 && s.charAt(at) >= '0' && s.charAt(at) <= '9') {
                octet = octet * 10 + (s.charAt(at++) - '0');
            }
            boolean separated = i < 3 ? at < s.length() && s.charAt(at) == '.' : at == s.length();
            if (at == start || octet > 255 || !separated) {
                return null;
            }
            b[i] = (byte) octet;
            at++; // past the '.'
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }

    private static InetAddress v6(String entry, String literal) {
        if (isV6Shaped(literal) && literal.indexOf(':') >= 0) {
            try {
                // The brackets make the JDK treat it strictly as an IPv6 literal: it never looks it up.
                return InetAddress.getByName("[" + literal + "]");
            } catch (UnknownHostException | IllegalArgumentException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("'" + literal + "' in '" + entry + "' is not an IPv6 address");
    }

    /** Hex digits, ':' and '.', optionally followed by a %zone of letters, digits, '_', '.', '-'. */
    private static boolean isV6Shaped(String literal) {
        int zone = literal.indexOf('%');
        String address = zone < 0 ? literal : literal.substring(0, zone);
        if (address.isEmpty() || zone == literal.length() - 1) {
            return false;
        }
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            boolean ok = i < address.length()
                    ? Character.digit(c, 16) >= 0 && c < 128 || c == ':' || c == '.'
                    : i == address.length() || Character.isLetterOrDigit(c) && c < 128 || "_.-".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
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
        List<String> lines = new ArrayList<>();
        // A plain reader (start-up discipline, it-tests' StartupDisciplineTest).
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new FileInputStream(file.toFile()),
                StandardCharsets.ISO_8859_1))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
            }
        } catch (FileNotFoundException e) {
            if (!file.toFile().exists()) {
                return List.of();
            }
            throw e;
        }
        List<InetSocketAddress> out = new ArrayList<>();
        for (String line : lines) {
            StringTokenizer tokens = new StringTokenizer(line);
            String[] words = new String[Math.min(2, tokens.countTokens())];
            for (int i = 0; i < words.length; i++) {
                words[i] = tokens.nextToken();
            }
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

package io.srvepmd.staticmap;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code NODE=ADDRESS:PORT} entries, from the {@code static.nodes}
 * value ({@code ;}-separated) or the lines of the {@code static.file}.
 *
 * <p>Parsing does no network I/O: IP literals are converted without a lookup
 * and host names are only checked for shape; they are looked up when a node is
 * resolved.
 */
final class StaticEntryParser {

    /** The tail of every entry error: what a good entry looks like. */
    static final String EXPECTED = "expected NODE=ADDRESS:PORT, for example 'node-0@host-a=10.0.0.7:4370',"
            + " 'node-0@host-a=[fd00::7]:4370', 'node-0@host-a=db.example.com:4370'"
            + " or '*@*.svc.cluster.local=:4370' (empty ADDRESS: the node's own host;"
            + " '*' in NODE matches any characters)";

    private static final Pattern DOTTED_DECIMAL = Pattern.compile("[0-9.]+");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.?");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

    private StaticEntryParser() {
    }

    /**
     * Parses a {@code static.nodes} value: entries separated by {@code ;};
     * whitespace around an entry and empty entries are ignored.
     *
     * @param value the setting's value
     * @param key the key, for {@link StaticEntry#source()}
     * @param described the key's description for errors, such as {@code "agent argument static.nodes"}
     * @return the entries in the order written
     * @throws IllegalArgumentException naming the setting, the entry, what is wrong and what is expected
     */
    static List<StaticEntry> parseNodes(String value, String key, String described) {
        List<StaticEntry> entries = new ArrayList<>();
        for (String piece : value.split(";", -1)) {
            String text = piece.trim();
            if (text.isEmpty()) {
                continue;
            }
            try {
                entries.add(parseEntry(text, key));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(described + ": bad entry '" + text + "': " + e.getMessage()
                        + "; " + EXPECTED, e);
            }
        }
        return entries;
    }

    /**
     * Parses the lines of a {@code static.file}: one entry per line,
     * {@code #} starts a comment (whole line or trailing), blank lines are ignored.
     *
     * @param lines the file's lines
     * @param key the key, for {@link StaticEntry#source()}
     * @param file the file's path as shown in messages
     * @param described the key's description for errors
     * @return the entries in the order written
     * @throws IllegalArgumentException naming the setting, the file, the line number, the entry and what is wrong
     */
    static List<StaticEntry> parseLines(List<String> lines, String key, String file, String described) {
        List<StaticEntry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String text = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (text.isEmpty()) {
                continue;
            }
            int lineNumber = i + 1;
            try {
                entries.add(parseEntry(text, key + " " + file + " line " + lineNumber));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(described + ": " + file + " line " + lineNumber
                        + ": bad entry '" + text + "': " + e.getMessage() + "; " + EXPECTED, e);
            }
        }
        return entries;
    }

    /**
     * Parses one trimmed, non-empty entry.
     *
     * @param text the entry
     * @param origin where it was written, for {@link StaticEntry#source()}
     * @return the entry
     * @throws IllegalArgumentException saying what is wrong (the caller adds where and what is expected)
     */
    static StaticEntry parseEntry(String text, String origin) {
        int eq = text.indexOf('=');
        if (eq < 0) {
            throw new IllegalArgumentException("missing '=' between NODE and ADDRESS:PORT");
        }
        NodePattern nodes = NodePattern.parse(text.substring(0, eq).trim());
        String addressPort = text.substring(eq + 1).trim();
        // The port follows the last ':', so an unbracketed IPv6 address is
        // caught below as an address holding ':'.
        int colon = addressPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("missing ':PORT' after the address '" + addressPort + "'");
        }
        int port = parsePort(addressPort.substring(colon + 1));
        String address = addressPort.substring(0, colon);
        if (address.isEmpty()) {
            return StaticEntry.nodeHost(text, origin, nodes, port);
        }
        if (address.startsWith("[")) {
            return StaticEntry.literal(text, origin, nodes, parseIpv6(address), port);
        }
        if (address.indexOf(':') >= 0) {
            throw new IllegalArgumentException("the IPv6 address '" + address
                    + "' must be in brackets, as in '[" + address + "]:" + port + "'");
        }
        if (DOTTED_DECIMAL.matcher(address).matches()) {
            return StaticEntry.literal(text, origin, nodes, parseIpv4(address), port);
        }
        if (address.length() > 253 || !HOST_NAME.matcher(address).matches()) {
            throw new IllegalArgumentException("'" + address + "' is neither an IPv4 address, a bracketed IPv6"
                    + " address nor a host name (letters, digits, '_', '-' and '.'-separated labels, no '*')");
        }
        return StaticEntry.hostName(text, origin, nodes, address, port);
    }

    private static int parsePort(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("the port is missing after ':'");
        }
        if (!PORT.matcher(text).matches()) {
            throw new IllegalArgumentException("port '" + text + "' is not a number from 1 to 65535");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 1-65535");
        }
        return port;
    }

    /**
     * Strict dotted quad: {@link InetAddress#getByName} would also take
     * {@code 10.1} or {@code 10}, which in a configuration file is far more
     * likely a typo than a wish.
     */
    private static InetAddress parseIpv4(String address) {
        Matcher m = IPV4.matcher(address);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + address + "' is not an IPv4 address (four numbers 0-255"
                    + " separated by '.')");
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String number = m.group(i + 1);
            if (number.length() > 1 && number.charAt(0) == '0') {
                throw new IllegalArgumentException("'" + address + "' has a number with a leading zero (" + number
                        + "), which some programs read as octal: write it without leading zeros");
            }
            int octet = Integer.parseInt(number);
            if (octet > 255) {
                throw new IllegalArgumentException("'" + address + "' is not an IPv4 address: " + octet
                        + " is above 255");
            }
            bytes[i] = (byte) octet;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are always a valid address", e);
        }
    }

    /**
     * A bracketed IPv6 literal. {@link InetAddress#getByName} never looks up
     * a bracketed name: it parses the literal or fails.
     */
    private static InetAddress parseIpv6(String address) {
        String inner = address.length() > 2 && address.endsWith("]")
                ? address.substring(1, address.length() - 1) : "";
        if (inner.indexOf(':') < 0 || inner.indexOf('[') >= 0) {
            throw new IllegalArgumentException("'" + address + "' is not a bracketed IPv6 address such as '[fd00::7]'");
        }
        try {
            // An IPv4-mapped literal such as [::ffff:10.0.0.1] comes back as an
            // Inet4Address; that is the same host, so it is accepted.
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + address + "' is not a valid IPv6 address ("
                    + e.getMessage() + ")", e);
        }
    }
}

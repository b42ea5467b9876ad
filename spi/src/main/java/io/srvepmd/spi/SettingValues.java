package io.srvepmd.spi;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The one grammar of setting values, behind the typed getters of
 * {@link EpmdResolverProvider.Configuration}. Each parser returns the value or
 * throws an {@link IllegalArgumentException} whose message completes the
 * sentence "{@code <setting>='<value>'} ..." (the getter adds the setting's
 * name, source and value), so every setting fails in the same words.
 *
 * <p>Plain character checks (settings are read in the host's start-up; the agent's
 * it-tests enforce its discipline in StartupDisciplineTest).
 */
final class SettingValues {

    /** The largest duration any setting takes unless its reader says otherwise. */
    static final Duration DEFAULT_MAX_DURATION = Duration.ofHours(24);

    static final String DURATION_FORM = "a whole number and a unit: ms, s, m or h, such as 500ms, 2s, 5m or 1h";

    private SettingValues() {
    }

    /** Parses {@code <n>ms}, {@code <n>s}, {@code <n>m} or {@code <n>h}; a bare number is ambiguous and rejected. */
    static Duration duration(String value, Duration min, Duration max) {
        String v = value.trim();
        int digits = 0;
        while (digits < v.length() && v.charAt(digits) >= '0' && v.charAt(digits) <= '9') {
            digits++;
        }
        if (digits == 0 || digits > 9) {
            throw new IllegalArgumentException("is not a duration; expected " + DURATION_FORM);
        }
        long n = Long.parseLong(v.substring(0, digits));
        Duration d;
        switch (v.substring(digits)) {
            case "ms":
                d = Duration.ofMillis(n);
                break;
            case "s":
                d = Duration.ofSeconds(n);
                break;
            case "m":
                d = Duration.ofMinutes(n);
                break;
            case "h":
                d = Duration.ofHours(n);
                break;
            default:
                String unit = v.substring(digits).toLowerCase(java.util.Locale.ROOT);
                boolean upperCase = unit.equals("ms") || unit.equals("s") || unit.equals("m") || unit.equals("h");
                throw new IllegalArgumentException("is not a duration; expected " + DURATION_FORM
                        + (upperCase ? " (units in lower case)" : ""));
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException("is out of range; expected a duration from " + format(min) + " to "
                    + format(max));
        }
        return d;
    }

    /** @return the duration in the largest unit that writes it exactly, as the grammar reads it */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms != 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms != 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    static int integer(String value, int min, int max) {
        String v = value.trim();
        if (asciiDigits(v)) {
            try {
                int n = Integer.parseInt(v);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // beyond an int: reported below, with the range
            }
        }
        throw new IllegalArgumentException("is not a whole number from " + min + " to " + max);
    }

    /**
     * Whether {@code v} is an optional sign and ASCII digits, as in durations:
     * {@link Integer#parseInt} alone also reads the digits of other scripts ("۲" as 2).
     */
    private static boolean asciiDigits(String v) {
        int start = v.startsWith("+") || v.startsWith("-") ? 1 : 0;
        for (int i = start; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return false;
            }
        }
        return v.length() > start;
    }

    static int port(String value) {
        try {
            return integer(value, 1, 65535);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not a valid TCP port; expected a number 1-65535", e);
        }
    }

    static boolean bool(String value) {
        String v = value.trim();
        if (v.equals("true") || v.equals("false")) {
            return v.equals("true");
        }
        throw new IllegalArgumentException("is not a boolean; expected true or false");
    }

    /** Comma-separated items, each trimmed; an empty item is a typo, not a wish. */
    static List<String> list(String value) {
        List<String> items = new ArrayList<>();
        if (value.isBlank()) {
            return items;
        }
        for (String item : value.split(",", -1)) {
            String trimmed = item.trim();
            if (trimmed.isEmpty()) {
                throw new IllegalArgumentException("has an empty item; expected items separated by single commas");
            }
            items.add(trimmed);
        }
        return items;
    }

    /**
     * Comma-separated socket addresses: {@code 10.0.0.2}, {@code 10.0.0.2:8600},
     * {@code [fd00::2]:53} or a bare {@code fd00::2}. Only IP literals: a host
     * name would need a lookup the reader cannot vouch for. Duplicates are dropped.
     */
    static List<InetSocketAddress> addresses(String value, int defaultPort) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String entry : list(value)) {
            InetSocketAddress a = address(entry, defaultPort);
            if (!out.contains(a)) {
                out.add(a);
            }
        }
        return out;
    }

    static InetSocketAddress address(String entry, int defaultPort) {
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            if (close < 0) {
                throw badAddress(entry, "has no closing ']'");
            }
            String rest = entry.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw badAddress(entry, "has '" + rest + "' after ']' instead of :port");
            }
            int port = rest.isEmpty() ? defaultPort : entryPort(entry, rest.substring(1));
            return new InetSocketAddress(v6(entry, entry.substring(1, close)), port);
        }
        int colon = entry.indexOf(':');
        if (colon >= 0 && colon != entry.lastIndexOf(':')) { // a bare IPv6 literal: its colons are no port separator
            return new InetSocketAddress(v6(entry, entry), defaultPort);
        }
        String host = colon < 0 ? entry : entry.substring(0, colon);
        int port = colon < 0 ? defaultPort : entryPort(entry, entry.substring(colon + 1));
        InetAddress v4 = v4(host);
        if (v4 == null) {
            String plain = withoutLeadingZeros(host);
            throw badAddress(entry, v4(plain) != null
                    ? "'" + host + "' has a number with a leading zero, which some programs read as octal (the C"
                            + " library's resolv.conf reader takes 010 as 8): write " + plain + " if that is what you"
                            + " mean"
                    : "'" + host + "' is not an IP address (host names are not accepted: resolving them would itself"
                            + " need a lookup)");
        }
        return new InetSocketAddress(v4, port);
    }

    private static int entryPort(String entry, String port) {
        try {
            return integer(port, 1, 65535);
        } catch (IllegalArgumentException e) {
            throw badAddress(entry, "port '" + port + "' is not a number 1-65535");
        }
    }

    private static IllegalArgumentException badAddress(String entry, String why) {
        return new IllegalArgumentException("has a bad address '" + entry + "': " + why
                + "; expected IP addresses with optional ports, such as 127.0.0.1:8600,[::1]:53,10.0.0.2");
    }

    /**
     * @return the address of a strict dotted quad, or {@code null}; never a lookup. A number with a leading
     *         zero ({@code 010}) makes it no dotted quad: some readers take it as octal, others as decimal.
     */
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
            boolean leadingZero = at - start > 1 && s.charAt(start) == '0';
            if (at == start || octet > 255 || !separated || leadingZero) {
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

    /** {@code s} with leading zeros dropped from each '.'-separated number, for the message that suggests it. */
    private static String withoutLeadingZeros(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean atNumberStart = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean moreDigits = i + 1 < s.length() && Character.isDigit(s.charAt(i + 1));
            if (!(atNumberStart && c == '0' && moreDigits)) {
                out.append(c);
                atNumberStart = c == '.';
            }
        }
        return out.toString();
    }

    private static InetAddress v6(String entry, String literal) {
        if (literal.indexOf(':') >= 0 && isV6Shaped(literal)) {
            try {
                // In brackets the JDK reads it strictly as an IPv6 literal and never looks it up.
                return InetAddress.getByName("[" + literal + "]");
            } catch (UnknownHostException | IllegalArgumentException e) {
                // reported below
            }
        }
        throw badAddress(entry, "'" + literal + "' is not an IPv6 address");
    }

    /** Hex digits, ':' and '.', optionally followed by a %zone of letters, digits, '_', '.', '-'. */
    private static boolean isV6Shaped(String literal) {
        int zone = literal.indexOf('%');
        int end = zone < 0 ? literal.length() : zone;
        if (end == 0 || zone == literal.length() - 1) {
            return false;
        }
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            boolean ok = i < end
                    ? (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.'
                    : i == end || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                            || "_.-".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}

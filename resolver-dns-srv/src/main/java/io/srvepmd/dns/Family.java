package io.srvepmd.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code dns.family} setting: which address records a target is looked up
 * with, and in which order its addresses are handed to the agent.
 */
enum Family {
    /** IPv4 and IPv6, IPv4 first: most clusters are IPv4, and a v4 host with a stray AAAA still works. */
    ANY("any", true, true, false),
    /** A records only. */
    IPV4("ipv4", true, false, false),
    /** AAAA records only. */
    IPV6("ipv6", false, true, false),
    /** IPv4 and IPv6, IPv6 first. */
    IPV6_FIRST("ipv6-first", true, true, true);

    private final String setting;
    private final boolean v4;
    private final boolean v6;
    private final boolean v6First;

    Family(String setting, boolean v4, boolean v6, boolean v6First) {
        this.setting = setting;
        this.v4 = v4;
        this.v6 = v6;
        this.v6First = v6First;
    }

    /** @return the setting's spelling, such as {@code ipv6-first} */
    String setting() {
        return setting;
    }

    boolean wantsV4() {
        return v4;
    }

    boolean wantsV6() {
        return v6;
    }

    /** @return the valid spellings, for error messages */
    static String choices() {
        return "any, ipv4, ipv6 or ipv6-first";
    }

    /**
     * @param value a setting value, case-insensitive
     * @return the family, or {@code null} if the value names none
     */
    static Family parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (Family f : values()) {
            if (f.setting.equals(v)) {
                return f;
            }
        }
        return null;
    }

    /**
     * Keeps the addresses this family wants, in its order; within one family
     * the DNS order is kept.
     */
    List<InetAddress> order(List<InetAddress> addresses) {
        List<InetAddress> four = new ArrayList<>();
        List<InetAddress> six = new ArrayList<>();
        for (InetAddress a : addresses) {
            if (a instanceof Inet4Address && v4 && !four.contains(a)) {
                four.add(a);
            } else if (a instanceof Inet6Address && v6 && !six.contains(a)) {
                six.add(a);
            }
        }
        List<InetAddress> out = new ArrayList<>(four.size() + six.size());
        out.addAll(v6First ? six : four);
        out.addAll(v6First ? four : six);
        return out;
    }
}

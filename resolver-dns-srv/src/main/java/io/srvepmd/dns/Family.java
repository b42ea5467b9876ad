package io.srvepmd.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.Type;

/**
 * The {@code dns.family} setting: which address records a target is looked up
 * with, and in which order its addresses are handed to the agent.
 *
 * <p>With both families the order interleaves them, the preferred family
 * first (RFC 8305 section 4, with a "first address family count" of one):
 * the agent tries addresses one after another, so when one family is broken
 * on this host (no route, a firewall) that costs one attempt, not one per
 * address of that family.
 */
enum Family {
    /**
     * IPv4 and IPv6, IPv4 first. RFC 6724's default table would put IPv6 first
     * on a host with global IPv6, but stock JInterface connects where the JDK's
     * resolver points it, IPv4 first by default ({@code java.net.preferIPv6Addresses}),
     * and an Erlang node's default distribution ({@code inet_tcp}) listens on
     * IPv4 only: a node with a stray AAAA record must not cost a failed attempt first.
     */
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

    /** @return the record types to ask for, the preferred family's first */
    int[] types() {
        return v4 && v6 ? (v6First ? new int[] {Type.AAAA, Type.A} : new int[] {Type.A, Type.AAAA})
                : new int[] {v4 ? Type.A : Type.AAAA};
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
     * Keeps the addresses this family wants, in its order: the families
     * interleaved, the preferred one first; within one family the DNS order is
     * kept, and duplicates are dropped.
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
        List<InetAddress> first = v6First ? six : four;
        List<InetAddress> second = v6First ? four : six;
        List<InetAddress> out = new ArrayList<>(four.size() + six.size());
        for (int i = 0; i < Math.max(first.size(), second.size()); i++) {
            if (i < first.size()) {
                out.add(first.get(i));
            }
            if (i < second.size()) {
                out.add(second.get(i));
            }
        }
        return out;
    }
}

package io.srvepmd.dns;

import io.srvepmd.spi.UnavailableException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Finds the addresses of SRV targets for one resolution: first in the SRV
 * answer's additional section, then with A/AAAA questions (per
 * {@code dns.family}). Remembers what it asked, so several SRV records with
 * the same target cost one lookup. Not thread-safe: one instance per resolution.
 */
final class AddressLookup {

    /** Addresses of one name and the smallest TTL among their records, in seconds. */
    static final class Addresses {
        static final Addresses NONE = new Addresses(List.of(), Long.MAX_VALUE);

        final List<InetAddress> addresses;
        final long ttl;

        Addresses(List<InetAddress> addresses, long ttl) {
            this.addresses = addresses;
            this.ttl = ttl;
        }

        boolean isEmpty() {
            return addresses.isEmpty();
        }
    }

    private final DnsTransport transport;
    private final Family family;
    private final Deadline deadline;
    private final String forWhat;
    private final Map<Name, Addresses> asked = new HashMap<>();

    /**
     * @param forWhat appended to follow-up question descriptions in errors,
     *        such as {@code "for node a@b"}
     */
    AddressLookup(DnsTransport transport, Family family, Deadline deadline, String forWhat) {
        this.transport = transport;
        this.family = family;
        this.deadline = deadline;
        this.forWhat = forWhat;
    }

    /**
     * The addresses of {@code target} that {@code message} carries in its
     * additional section, in the family's order.
     */
    Addresses fromAdditional(Message message, Name target) {
        return collect(message.getSection(Section.ADDITIONAL), target);
    }

    /**
     * Asks for the A and/or AAAA records of a name.
     *
     * @return the addresses in the family's order; empty if the name has none or does not exist
     * @throws UnavailableException if no server answered usably in time
     */
    Addresses ask(Name name) throws UnavailableException {
        Addresses known = asked.get(name);
        if (known != null) {
            return known;
        }
        List<InetAddress> all = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        boolean exists = true;
        if (family.wantsV4()) {
            Addresses a = askOne(name, Type.A);
            exists = a != null;
            if (exists) {
                all.addAll(a.addresses);
                ttl = Math.min(ttl, a.ttl);
            }
        }
        if (family.wantsV6() && exists) { // after NXDOMAIN for A there is no AAAA either
            Addresses a = askOne(name, Type.AAAA);
            if (a != null) {
                all.addAll(a.addresses);
                ttl = Math.min(ttl, a.ttl);
            }
        }
        Addresses found = new Addresses(family.order(all), ttl);
        asked.put(name, found);
        return found;
    }

    /** @return the addresses, or {@code null} for NXDOMAIN */
    private Addresses askOne(Name name, int type) throws UnavailableException {
        DnsTransport.Reply reply = transport.query(name, type, deadline,
                Type.string(type) + " " + name.toString(true) + " " + forWhat);
        if (reply.rcode() == Rcode.NXDOMAIN) {
            return null;
        }
        // Any owner name: the answer may be a CNAME chain ending in the addresses.
        return collect(reply.message.getSection(Section.ANSWER), null);
    }

    /** @param owner only records of this name, or {@code null} for all */
    private Addresses collect(List<Record> records, Name owner) {
        List<InetAddress> out = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        for (Record r : records) {
            if (owner != null && !owner.equals(r.getName())) {
                continue;
            }
            InetAddress a = null;
            if (r instanceof ARecord && family.wantsV4()) {
                a = ((ARecord) r).getAddress();
            } else if (r instanceof AAAARecord && family.wantsV6()) {
                a = ((AAAARecord) r).getAddress();
            }
            if (a != null) {
                out.add(a);
                ttl = Math.min(ttl, r.getTTL());
            }
        }
        return out.isEmpty() ? Addresses.NONE : new Addresses(family.order(out), ttl);
    }
}

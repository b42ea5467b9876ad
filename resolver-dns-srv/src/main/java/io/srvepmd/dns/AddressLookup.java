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
 * answer's additional section (records of exactly the target name), then with
 * A/AAAA questions (per {@code dns.family}), whose answers count only for the
 * name asked or the end of a CNAME chain from it ({@link AnswerRecords}).
 * Remembers what it asked, and which questions went unanswered, so several SRV
 * records with the same target cost one lookup (or one timeout). Not
 * thread-safe: one instance per resolution.
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
    private final Map<Name, UnavailableException> unanswered = new HashMap<>();

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
     * additional section, in the family's order. Only records owned by the
     * target itself count: the additional section is the server's hint, not
     * an answer, and a CNAME there would be no answer to anything we asked.
     */
    Addresses fromAdditional(Message message, Name target) {
        List<Record> additional = message.getSection(Section.ADDITIONAL);
        List<Record> owned = new ArrayList<>(AnswerRecords.ownedBy(additional, target, Type.A));
        owned.addAll(AnswerRecords.ownedBy(additional, target, Type.AAAA));
        return addresses(owned, Long.MAX_VALUE);
    }

    /**
     * Asks for the A and/or AAAA records of a name.
     *
     * @return the addresses in the family's order; empty if the name has none or does not exist
     * @throws UnavailableException if no server answered usably in time (also
     *         when an earlier question for the name in this resolution went unanswered)
     */
    Addresses ask(Name name) throws UnavailableException {
        Addresses known = asked.get(name);
        if (known != null) {
            return known;
        }
        UnavailableException failed = unanswered.get(name);
        if (failed != null) {
            throw failed;
        }
        try {
            Addresses found = askAll(name);
            asked.put(name, found);
            return found;
        } catch (UnavailableException e) {
            unanswered.put(name, e);
            throw e;
        }
    }

    private Addresses askAll(Name name) throws UnavailableException {
        List<Record> all = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        boolean exists = true;
        if (family.wantsV4()) {
            AnswerRecords a = askOne(name, Type.A);
            exists = a != null;
            if (exists) {
                all.addAll(a.records);
                ttl = Math.min(ttl, a.ttl);
            }
        }
        if (family.wantsV6() && exists) { // after NXDOMAIN for A there is no AAAA either
            AnswerRecords a = askOne(name, Type.AAAA);
            if (a != null) {
                all.addAll(a.records);
                ttl = Math.min(ttl, a.ttl);
            }
        }
        return addresses(all, ttl);
    }

    /** @return the records answering the question, or {@code null} for NXDOMAIN */
    private AnswerRecords askOne(Name name, int type) throws UnavailableException {
        DnsTransport.Reply reply = transport.query(name, type, deadline,
                Type.string(type) + " " + name.toString(true) + " " + forWhat);
        if (reply.rcode() == Rcode.NXDOMAIN) {
            return null;
        }
        return AnswerRecords.select(reply.message, name, type);
    }

    /**
     * @param chainTtl the smallest TTL of the CNAME records that led to them
     * @return the addresses the family wants, in its order, with the smallest TTL among the records used
     */
    private Addresses addresses(List<Record> records, long chainTtl) {
        List<InetAddress> out = new ArrayList<>();
        long ttl = chainTtl;
        for (Record r : records) {
            InetAddress a = null;
            if (r instanceof ARecord && family.wantsV4()) {
                a = ((ARecord) r).getAddress();
            } else if (r instanceof AAAARecord && family.wantsV6()) {
                a = ((AAAARecord) r).getAddress();
            }
            if (a != null) {
                out.add(a);
                ttl = Math.min(ttl, AnswerRecords.ttl(r));
            }
        }
        return out.isEmpty() ? Addresses.NONE : new Addresses(family.order(out), ttl);
    }
}

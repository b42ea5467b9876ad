package io.srvepmd.dns;

import io.srvepmd.spi.UnavailableException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
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
 *
 * <p>The A and AAAA questions of a name go out together ({@link Inquiry}), and
 * each family stands on its own: a SERVFAIL, REFUSED, timeout or malformed
 * reply for one never discards the other's addresses. Such an answer is
 * incomplete: it says so, and the resolver gives it a TTL of 0 so that the
 * agent asks again after {@code dns.min-ttl}. A name fails only when no family
 * gives an address, and then the error names each family's outcome.
 */
final class AddressLookup {

    /** Addresses of one name and the smallest TTL among their records, in seconds. */
    static final class Addresses {
        static final Addresses NONE = new Addresses(List.of(), Long.MAX_VALUE, null);

        final List<InetAddress> addresses;
        final long ttl;
        /** Why a family is missing, such as "AAAA n.svc for node n@svc: no usable answer ...", or {@code null}. */
        final String incomplete;

        Addresses(List<InetAddress> addresses, long ttl, String incomplete) {
            this.addresses = addresses;
            this.ttl = ttl;
            this.incomplete = incomplete;
        }

        boolean isEmpty() {
            return addresses.isEmpty();
        }
    }

    private final DnsTransport transport;
    private final Family family;
    private final long resolutionDelayNanos;
    private final Deadline deadline;
    private final String forWhat;
    private final Map<Name, Addresses> asked = new HashMap<>();
    private final Map<Name, UnavailableException> unanswered = new HashMap<>();

    /**
     * @param resolutionDelay how long the other family is waited for once one has answered
     * @param forWhat appended to follow-up question descriptions in errors,
     *        such as {@code "for node a@b"}
     */
    AddressLookup(DnsTransport transport, Family family, Duration resolutionDelay, Deadline deadline,
            String forWhat) {
        this.transport = transport;
        this.family = family;
        this.resolutionDelayNanos = resolutionDelay.toNanos();
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
        return addresses(owned, Long.MAX_VALUE, null);
    }

    /**
     * Asks for the A and/or AAAA records of a name.
     *
     * @return the addresses in the family's order, possibly {@link Addresses#incomplete};
     *         empty if the name has none or does not exist
     * @throws UnavailableException if no family gave an address and one got no
     *         usable answer in time (also when an earlier lookup of the name in
     *         this resolution failed so); the message names each family's outcome
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
        int[] types = family.types();
        List<Record> questions = new ArrayList<>(types.length);
        for (int type : types) {
            questions.add(Record.newRecord(name, type, DClass.IN));
        }
        Inquiry inquiry = transport.queryTogether(questions, deadline, resolutionDelayNanos,
                what(name, family.wantsV4() && family.wantsV6() ? "A/AAAA" : Type.string(types[0])));
        List<Record> all = new ArrayList<>();
        long ttl = Long.MAX_VALUE;
        boolean nxdomain = false;
        boolean unanswered = false;
        for (int i = 0; i < types.length; i++) {
            DnsTransport.Reply reply = inquiry.reply(i);
            if (reply == null) {
                unanswered = true;
            } else if (reply.rcode() == Rcode.NXDOMAIN) {
                nxdomain = true;
            } else {
                AnswerRecords a = AnswerRecords.select(reply.message, name, types[i]);
                all.addAll(a.records);
                ttl = Math.min(ttl, a.ttl);
            }
        }
        // The messages are made only when needed: the usual answer, complete, needs none.
        Addresses found = addresses(all, ttl, unanswered ? outcomes(inquiry, name, types, true) : null);
        // Without any address, the name fails only if a family may still have one: not after
        // NXDOMAIN, which says that nothing exists at the name (RFC 8020).
        if (found.isEmpty() && unanswered && !nxdomain) {
            throw new UnavailableException(outcomes(inquiry, name, types, false));
        }
        return found;
    }

    /**
     * @param failedOnly only the families that went unanswered, else every family's outcome
     * @return the outcomes, such as {@code "A n.svc for node n@svc: no record (NOERROR from 127.0.0.1:53);
     *         AAAA n.svc for node n@svc: no usable answer within 12 ms (127.0.0.1:53 SERVFAIL)"}
     */
    private String outcomes(Inquiry inquiry, Name name, int[] types, boolean failedOnly) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < types.length; i++) {
            DnsTransport.Reply reply = inquiry.reply(i);
            String what = what(name, Type.string(types[i]));
            String outcome = reply == null ? transport.unanswered(inquiry, i, what, deadline).getMessage()
                    : failedOnly ? null : what + ": no record (" + Rcode.string(reply.rcode()) + " from "
                            + reply.from() + ")";
            if (outcome != null) {
                b.append(b.length() == 0 ? "" : "; ").append(outcome);
            }
        }
        return b.toString();
    }

    private String what(Name name, String types) {
        return types + " " + name.toString(true) + " " + forWhat;
    }

    /**
     * @param chainTtl the smallest TTL of the CNAME records that led to them
     * @return the addresses the family wants, in its order, with the smallest TTL among the records used
     */
    private Addresses addresses(List<Record> records, long chainTtl, String incomplete) {
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
        return out.isEmpty() ? Addresses.NONE : new Addresses(family.order(out), ttl, incomplete);
    }
}

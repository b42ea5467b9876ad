package io.srvepmd.dns;

import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The records of one type in an answer that really answer the question: those
 * owned by the question name, or by the name a CNAME chain starting at the
 * question name leads to (RFC 1034 section 5.3.3). Any other record of the type
 * is ignored, whatever the server meant by it: a reply that passed the ID and
 * question checks can still carry records for another name, and using them
 * would let such a reply choose the port we connect to.
 *
 * <p>TTLs are read per RFC 2181 section 8: a value with the top bit set (2^31
 * and above) means 0. The TTL of a selection is the smallest TTL among its
 * records and the CNAME records leading to them: the answer is only as fresh
 * as its weakest link.
 */
final class AnswerRecords {

    /** CNAME links followed at most; real setups use one or two, a loop hits this bound. */
    static final int MAX_CNAME_CHAIN = 8;

    final List<Record> records;
    /** The smallest TTL of the records and the chain, in seconds; {@code Long.MAX_VALUE} if there is none. */
    final long ttl;
    private final String ignoredNote;

    private AnswerRecords(List<Record> records, long ttl, String ignoredNote) {
        this.records = records;
        this.ttl = ttl;
        this.ignoredNote = ignoredNote;
    }

    /**
     * @param answer a reply to the question {@code name}/{@code type}
     * @return the records of {@code type} that answer it, in the answer's order
     */
    static AnswerRecords select(Message answer, Name name, int type) {
        List<Record> section = answer.getSection(Section.ANSWER);
        Name owner = name;
        long chainTtl = Long.MAX_VALUE;
        String chainNote = null;
        List<Record> found = ownedBy(section, owner, type);
        for (int links = 0; found.isEmpty(); links++) {
            List<Record> cname = ownedBy(section, owner, Type.CNAME);
            if (cname.isEmpty()) {
                break;
            }
            if (links == MAX_CNAME_CHAIN) {
                chainNote = "a CNAME chain from " + name.toString(true) + " longer than " + MAX_CNAME_CHAIN
                        + " links";
                break;
            }
            chainTtl = Math.min(chainTtl, ttl(cname.get(0)));
            owner = ((CNAMERecord) cname.get(0)).getTarget();
            found = ownedBy(section, owner, type);
        }
        long min = chainTtl;
        for (Record r : found) {
            min = Math.min(min, ttl(r));
        }
        return new AnswerRecords(found, found.isEmpty() ? Long.MAX_VALUE : min,
                chainNote != null ? chainNote : otherOwners(section, type, owner));
    }

    /** @return the records of {@code type} and class IN owned by exactly {@code owner} */
    static List<Record> ownedBy(List<Record> records, Name owner, int type) {
        List<Record> out = new ArrayList<>(2);
        for (Record r : records) {
            if (r.getType() == type && r.getDClass() == DClass.IN && r.getName().equals(owner)) {
                out.add(r);
            }
        }
        return out;
    }

    /** A record's TTL in seconds, per RFC 2181 section 8: values of 2^31 and above mean 0. */
    static long ttl(Record r) {
        long t = r.getTTL();
        return t > Integer.MAX_VALUE ? 0 : t;
    }

    /** @return a note on the records of the type not owned by {@code owner}, or {@code null} if none */
    private static String otherOwners(List<Record> section, int type, Name owner) {
        int ignored = 0;
        Name example = null;
        for (Record r : section) {
            if (r.getType() == type && !(r.getDClass() == DClass.IN && r.getName().equals(owner))) {
                ignored++;
                example = example == null ? r.getName() : example;
            }
        }
        if (ignored == 0) {
            return null;
        }
        return "ignored " + ignored + " " + Type.string(type) + " record" + (ignored == 1 ? "" : "s")
                + " of another name, such as " + example.toString(true)
                + ", neither the name asked nor reached from it by CNAME";
    }

    boolean isEmpty() {
        return records.isEmpty();
    }

    /** @return why records of the type were left out, for messages, or {@code null} */
    String ignoredNote() {
        return ignoredNote;
    }
}

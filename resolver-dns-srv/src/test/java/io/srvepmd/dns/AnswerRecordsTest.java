package io.srvepmd.dns;

import static io.srvepmd.dns.Replies.cname;
import static io.srvepmd.dns.Replies.name;
import static io.srvepmd.dns.Replies.srv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The answer-record filter (item 4) and TTLs (item 7), without a network. */
class AnswerRecordsTest {

    static Message answer() {
        return new Message(1);
    }

    static int port(AnswerRecords a, int i) {
        return ((SRVRecord) a.records.get(i)).getPort();
    }

    @Test
    void recordsOfTheQuestionNameCount() {
        Message m = srv(srv(answer(), "q.x", 5, 1, "t.x"), "other.x", 5, 2, "t.x");
        AnswerRecords a = AnswerRecords.select(m, name("q.x"), Type.SRV);
        assertEquals(1, a.records.size());
        assertEquals(1, port(a, 0));
        assertEquals(5, a.ttl);
        assertEquals("ignored 1 SRV record of another name, such as other.x, neither the name asked nor reached"
                + " from it by CNAME", a.ignoredNote());
    }

    @Test
    void aChainOfEightLinksIsFollowedANinthIsNot() {
        Message eight = answer();
        for (int i = 0; i < 8; i++) {
            cname(eight, i == 0 ? "q.x" : "c" + i + ".x", 60 - i, "c" + (i + 1) + ".x");
        }
        srv(eight, "c8.x", 100, 7, "t.x");
        AnswerRecords a = AnswerRecords.select(eight, name("q.x"), Type.SRV);
        assertEquals(7, port(a, 0));
        assertEquals(53, a.ttl, "the smallest TTL along the chain");
        Message nine = answer();
        for (int i = 0; i < 9; i++) {
            cname(nine, i == 0 ? "q.x" : "c" + i + ".x", 60, "c" + (i + 1) + ".x");
        }
        srv(nine, "c9.x", 60, 7, "t.x");
        AnswerRecords b = AnswerRecords.select(nine, name("q.x"), Type.SRV);
        assertTrue(b.isEmpty());
        assertEquals("a CNAME chain from q.x longer than 8 links", b.ignoredNote());
    }

    @Test
    void aChainThatDoesNotStartAtTheQuestionNameIsNotFollowed() {
        Message m = srv(cname(answer(), "elsewhere.x", 5, "t.x"), "t.x", 5, 9, "t.x");
        AnswerRecords a = AnswerRecords.select(m, name("q.x"), Type.SRV);
        assertTrue(a.isEmpty());
        assertEquals(Long.MAX_VALUE, a.ttl);
    }

    @Test
    void ttlsWithTheTopBitSetMeanZero() throws Exception {
        assertEquals(0x7fffffffL, AnswerRecords.ttl(withTtl(0x7fffffffL)));
        assertEquals(0, AnswerRecords.ttl(withTtl(1L << 31)));
        assertEquals(0, AnswerRecords.ttl(withTtl(0xffffffffL)));
    }

    /** An SRV record as parsed from the wire with this TTL (dnsjava builds none above 2^31 - 1). */
    private static Record withTtl(long ttl) throws Exception {
        Message m = srv(answer(), "q.x", Replies.TTL_MARKER, 1, "t.x");
        return new Message(Replies.patchTtl(m.toWire(), ttl)).getSection(Section.ANSWER).get(0);
    }
}

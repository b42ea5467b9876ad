package io.srvepmd.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Which received messages count as the answer to one question (items 5 and 7). */
class ReplyCheckTest {

    static final int ID = 0x1234;
    static final Record QUESTION = Record.newRecord(Replies.name("n0.svc.consul"), Type.SRV, DClass.IN);

    static Message reply(int rcode, Record... questions) {
        Message r = new Message(ID);
        r.getHeader().setFlag(Flags.QR);
        r.getHeader().setRcode(rcode);
        for (Record q : questions) {
            r.addRecord(q, Section.QUESTION);
        }
        return r;
    }

    static Message check(ReplyCheck c, Message m) {
        byte[] wire = m.toWire();
        return c.accept(wire, wire.length);
    }

    @Test
    void theAnswerToOurQuestionIsAcceptedWhateverTheCaseOfItsName() {
        ReplyCheck c = new ReplyCheck(ID, QUESTION);
        assertNotNull(check(c, reply(Rcode.NOERROR, QUESTION)));
        assertNotNull(check(c, reply(Rcode.NXDOMAIN, Record.newRecord(Replies.name("N0.Svc.CONSUL"), Type.SRV,
                DClass.IN))));
    }

    @Test
    void onlyErrorAnswersMayLeaveTheQuestionOut() {
        ReplyCheck c = new ReplyCheck(ID, QUESTION);
        assertNull(check(c, reply(Rcode.NOERROR)));
        assertEquals("a NOERROR answer without the question", c.ignored());
        assertNull(check(c, reply(Rcode.NXDOMAIN)));
        for (int rcode : new int[] {Rcode.SERVFAIL, Rcode.REFUSED, Rcode.FORMERR, Rcode.NOTIMP}) {
            assertNotNull(check(c, reply(rcode)), Rcode.string(rcode));
        }
    }

    @Test
    void everythingElseIsIgnoredWithAReason() {
        ReplyCheck c = new ReplyCheck(ID, QUESTION);
        Message other = reply(Rcode.NOERROR, Record.newRecord(Replies.name("n0.svc.consul"), Type.A, DClass.IN));
        assertNull(check(c, other));
        assertEquals("an answer to another question (n0.svc.consul. A)", c.ignored());
        assertNull(check(c, reply(Rcode.NOERROR, QUESTION, QUESTION)));
        Message query = reply(Rcode.NOERROR, QUESTION);
        query.getHeader().unsetFlag(Flags.QR);
        assertNull(check(c, query));
        assertEquals("a message that is not an answer to a query", c.ignored());
        Message notify = reply(Rcode.NOERROR, QUESTION);
        notify.getHeader().setOpcode(Opcode.NOTIFY);
        assertNull(check(c, notify));
        assertNull(new ReplyCheck(ID + 1, QUESTION).accept(reply(Rcode.NOERROR, QUESTION).toWire(), 30));
        byte[] shortOne = {0x12, 0x34, 0, 0};
        assertNull(c.accept(shortOne, shortOne.length));
        assertEquals("a malformed answer (4 bytes)", c.ignored());
    }
}

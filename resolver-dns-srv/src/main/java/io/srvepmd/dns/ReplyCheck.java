package io.srvepmd.dns;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Decides whether a received message is the answer to one question sent with
 * one ID (RFC 5452 section 9.1; the server's address and port are checked by
 * the connected socket). Anything else is ignored, not fatal: a late answer to
 * an earlier question, a forgery, or a datagram that does not decode must not
 * end the wait for the real answer (as Unbound and Go's resolver do).
 *
 * <p>A NOERROR or NXDOMAIN answer must repeat the question: without it, it
 * would be taken as the answer to whatever was asked. Other codes (SERVFAIL,
 * REFUSED, FORMERR, NOTIMP) may leave the question out, as servers that
 * cannot parse a question must; they only end an attempt, so a forged one
 * can at most move the question to the next server.
 *
 * <p>One instance per sent query; remembers why the last message was ignored,
 * so that a timeout can say what did arrive.
 */
final class ReplyCheck {

    private static final int HEADER_LENGTH = 12;

    private final int id;
    private final Record question;
    private String ignored;

    ReplyCheck(int id, Record question) {
        this.id = id;
        this.question = question;
    }

    /** @return whether {@code id} is the ID this query was sent with */
    boolean hasId(int id) {
        return this.id == id;
    }

    /** @return whether the first two bytes carry our ID, the cheap test before decoding */
    boolean hasOurId(byte[] buf, int length) {
        return length >= 2 && (((buf[0] & 0xff) << 8) | (buf[1] & 0xff)) == id;
    }

    /**
     * @return the decoded answer, or {@code null} if it is not the answer to
     *         our question (then {@link #ignored()} says why)
     */
    Message accept(byte[] buf, int length) {
        if (!hasOurId(buf, length)) {
            return ignore("an answer with another ID");
        }
        if (length < HEADER_LENGTH) {
            return ignore("a malformed answer (" + length + " bytes)");
        }
        Message m;
        try {
            m = new Message(ByteBuffer.wrap(buf, 0, length));
        } catch (IOException | RuntimeException e) {
            return ignore("a malformed answer (" + e.getMessage() + ")");
        }
        if (!m.getHeader().getFlag(Flags.QR) || m.getHeader().getOpcode() != Opcode.QUERY) {
            return ignore("a message that is not an answer to a query");
        }
        List<Record> questions = m.getSection(Section.QUESTION);
        int rcode = m.getRcode();
        if (questions.isEmpty()) {
            if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) {
                return ignore("a " + Rcode.string(rcode) + " answer without the question");
            }
            return m;
        }
        if (questions.size() != 1 || !questions.get(0).equals(question)) {
            return ignore("an answer to another question (" + questions.get(0).getName() + " "
                    + Type.string(questions.get(0).getType())
                    + (questions.size() == 1 ? "" : " and " + (questions.size() - 1) + " more") + ")");
        }
        return m;
    }

    private Message ignore(String why) {
        ignored = why;
        return null;
    }

    /** @return why the last message was ignored, such as "a malformed answer (...)", or {@code null} */
    String ignored() {
        return ignored;
    }
}

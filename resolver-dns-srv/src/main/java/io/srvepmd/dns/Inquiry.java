package io.srvepmd.dns;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Questions about one name asked together (the A and AAAA questions of one
 * target, or a lone SRV question), and what became of each: a usable answer
 * (NOERROR or NXDOMAIN) and its server, or the failures of its attempts.
 *
 * <p>Every attempt sends the questions still open to one server on one socket
 * (as the C library sends A and AAAA together), so one family's failure only
 * ever ends that family's question. Once one question has a definitive answer
 * (records of its type, or NXDOMAIN: RFC 8020, nothing exists at that name),
 * the others are waited for at most the resolution delay (RFC 8305 section 3),
 * not for the rest of the deadline: a silently dropped AAAA question then costs
 * that delay, not the lookup. A negative answer without records (NODATA) sets
 * no such limit, since the other family is then all that could help.
 *
 * <p>Not thread-safe: one instance per question group, used by one thread.
 */
final class Inquiry {

    private final Record[] questions;
    private final DnsTransport.Reply[] answers;
    /** Per question, what its failed attempts got; {@code null} until one fails. */
    private final List<String>[] failures;
    private final long settleNanos;
    private long cutoff;
    private int settledBy = -1;

    /**
     * @param questions the questions, in the order to send them
     * @param settleNanos how long the others are waited for once one has a definitive answer
     */
    @SuppressWarnings("unchecked") // an array of lists, each List<String>
    Inquiry(List<Record> questions, long settleNanos) {
        this.questions = questions.toArray(new Record[0]);
        this.answers = new DnsTransport.Reply[this.questions.length];
        this.failures = new List[this.questions.length];
        this.settleNanos = settleNanos;
    }

    int size() {
        return questions.length;
    }

    Record question(int i) {
        return questions[i];
    }

    /** @return whether question {@code i} still waits for a usable answer */
    boolean isOpen(int i) {
        return answers[i] == null;
    }

    /** @return whether any question still waits, and may still be waited for */
    boolean anyOpen() {
        if (settledBy >= 0 && System.nanoTime() - cutoff >= 0) {
            return false;
        }
        for (DnsTransport.Reply a : answers) {
            if (a == null) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param end when the current attempt ends, as a {@link System#nanoTime()}
     * @return when waiting must stop: the attempt's end, or earlier if the resolution delay runs out first
     */
    long stop(long end) {
        return settledBy >= 0 && cutoff - end < 0 ? cutoff : end;
    }

    /** Records question {@code i}'s usable answer (NOERROR or NXDOMAIN) from {@code server}. */
    void answered(int i, Message answer, InetSocketAddress server) {
        answers[i] = new DnsTransport.Reply(answer, server);
        if (settledBy < 0 && questions.length > 1 && definitive(questions[i], answer)) {
            settledBy = i;
            cutoff = System.nanoTime() + settleNanos;
        }
    }

    private static boolean definitive(Record question, Message answer) {
        return answer.getRcode() == Rcode.NXDOMAIN
                || !AnswerRecords.select(answer, question.getName(), question.getType()).isEmpty();
    }

    /** Records why an attempt at question {@code i} failed, such as {@code 127.0.0.1:53 SERVFAIL}. */
    void failed(int i, String why) {
        if (failures[i] == null) {
            failures[i] = new ArrayList<>(2);
        }
        failures[i].add(why);
    }

    /** @return question {@code i}'s answer, or {@code null} if it got none */
    DnsTransport.Reply reply(int i) {
        return answers[i];
    }

    /** @return what each failed attempt at question {@code i} got, for messages; empty if none failed */
    List<String> failures(int i) {
        return failures[i] == null ? List.of() : failures[i];
    }

    /**
     * @return for an open question given up on because another had answered, a note
     *         such as {@code "within dns.resolution-delay (50 ms) of the A answer"}; else {@code null}
     */
    String cutShort(int i) {
        if (answers[i] != null || settledBy < 0 || System.nanoTime() - cutoff < 0) {
            return null; // answered, or the deadline ended the wait before the delay did
        }
        return "within dns.resolution-delay (" + settleNanos / 1_000_000 + " ms) of the "
                + Type.string(questions[settledBy].getType()) + " answer";
    }
}

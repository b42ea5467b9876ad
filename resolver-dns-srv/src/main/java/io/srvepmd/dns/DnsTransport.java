package io.srvepmd.dns;

import io.srvepmd.spi.UnavailableException;
import java.net.InetSocketAddress;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Asks questions of the configured servers and returns the first usable
 * answer to each (NOERROR or NXDOMAIN), all within the caller's
 * {@link Deadline}: one question, or several about one name together.
 *
 * <p>The work is split in named parts: {@link UdpSockets} bounds how many
 * questions hold a socket and hands out pooled or fresh sockets;
 * {@link AttemptPlan} says which server each attempt goes to and for how
 * long; {@link Exchange} makes one attempt (UDP, TCP on truncation, plain DNS
 * after an EDNS FORMERR); {@link ReplyCheck} decides which received message
 * is the answer; {@link Inquiry} keeps what each question got. What counts inside an answer is {@link AnswerRecords}' job,
 * for the callers.
 *
 * <p>Thread-safe.
 */
final class DnsTransport implements AutoCloseable {

    private final List<InetSocketAddress> servers;
    private final UdpSockets sockets;
    private final Exchange exchange;
    private final DnsStats stats = new DnsStats();

    /** @param servers at least one server, in the order to ask them */
    DnsTransport(List<InetSocketAddress> servers) {
        this(servers, UdpSockets.MAX_IN_USE, false);
    }

    /**
     * @param maxInUse the bound on questions holding a socket at once
     * @param freshEverywhere tests only: no pooled sockets even for loopback servers
     */
    DnsTransport(List<InetSocketAddress> servers, int maxInUse, boolean freshEverywhere) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no DNS server");
        }
        this.servers = List.copyOf(servers);
        this.sockets = new UdpSockets(this.servers, maxInUse, freshEverywhere);
        this.exchange = new Exchange(sockets, stats);
    }

    List<InetSocketAddress> servers() {
        return servers;
    }

    /** How the questions went, for operators. */
    DnsStats stats() {
        return stats;
    }

    /** Tests: the socket source, for its counters. */
    UdpSockets sockets() {
        return sockets;
    }

    /** A usable answer (NOERROR or NXDOMAIN) and the server that gave it. */
    static final class Reply {
        final Message message;
        final InetSocketAddress server;

        Reply(Message message, InetSocketAddress server) {
            this.message = message;
            this.server = server;
        }

        int rcode() {
            return message.getRcode();
        }

        /** @return the server as {@code 127.0.0.1:53}, for messages */
        String from() {
            return Servers.format(server);
        }
    }

    /**
     * Asks one question. It first waits, within the deadline, for a turn to
     * hold a socket (see {@link UdpSockets}).
     *
     * @param name the name asked for
     * @param type the record type, such as {@code Type.SRV}
     * @param deadline the end of the whole resolution
     * @param what what is being asked and why, for the error message, such as
     *        {@code "SRV node-0.svc.service.consul for node node-0@svc.service.consul"}
     * @return an answer with code NOERROR or NXDOMAIN
     * @throws UnavailableException if no server gave such an answer in time;
     *         the message lists what each attempt got
     */
    Reply query(Name name, int type, Deadline deadline, String what) throws UnavailableException {
        Inquiry inquiry = queryTogether(List.of(Record.newRecord(name, type, DClass.IN)), deadline, 0, what);
        Reply reply = inquiry.reply(0);
        if (reply == null) {
            throw unanswered(inquiry, 0, what, deadline);
        }
        return reply;
    }

    /**
     * Asks several questions together: each attempt sends those still open to
     * one server at once, on one socket, so they take one turn and their round
     * trips overlap (see {@link Inquiry} for how long the rest is waited for
     * once one has a definitive answer).
     *
     * @param questions the questions, in the order to send them
     * @param settleNanos the resolution delay, for more than one question
     * @param what the questions, for the error when no socket comes free
     * @return the inquiry, with each question's answer or the failures of its attempts
     * @throws UnavailableException if no socket came free in time: then nothing was asked
     */
    Inquiry queryTogether(List<Record> questions, Deadline deadline, long settleNanos, String what)
            throws UnavailableException {
        stats.questions.add(questions.size());
        try {
            if (!sockets.awaitTurn(deadline.remainingNanos())) {
                throw unavailable(what, deadline, "no socket came free: " + sockets.maxInUse()
                        + " questions, the most that may hold one, were in flight");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(what, deadline, "interrupted while waiting for a socket");
        }
        try {
            Inquiry inquiry = new Inquiry(questions, settleNanos);
            AttemptPlan plan = new AttemptPlan(servers, deadline);
            while (inquiry.anyOpen() && plan.next()) {
                exchange.run(plan.server(), inquiry, plan.end());
            }
            for (int i = 0; i < inquiry.size(); i++) {
                if (inquiry.isOpen(i)) {
                    stats.unanswered.increment();
                }
            }
            return inquiry;
        } finally {
            sockets.endTurn();
        }
    }

    /**
     * @param i a question of the inquiry that got no usable answer
     * @param what that question, for the message, such as {@code "AAAA n.svc for node n@svc"}
     * @return the error: what each attempt got, and for how long it was waited for
     */
    UnavailableException unanswered(Inquiry inquiry, int i, String what, Deadline deadline) {
        List<String> failures = inquiry.failures(i);
        String why = failures.isEmpty() ? "no time left to ask " + Servers.format(servers)
                : String.join(", ", failures);
        String cut = inquiry.cutShort(i);
        return cut == null ? unavailable(what, deadline, why)
                : new UnavailableException(what + ": no usable answer " + cut + " (" + why + ")");
    }

    private static UnavailableException unavailable(String what, Deadline deadline, String why) {
        return new UnavailableException(what + ": no usable answer within " + deadline.elapsedMillis() + " ms ("
                + why + ")");
    }

    /** Closes the idle sockets; questions after this still work but keep no socket. */
    @Override
    public void close() {
        sockets.close();
    }
}

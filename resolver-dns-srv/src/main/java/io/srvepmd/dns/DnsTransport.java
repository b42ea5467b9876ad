package io.srvepmd.dns;

import io.srvepmd.spi.UnavailableException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/**
 * Asks one question of the configured servers and returns the first usable
 * answer (NOERROR or NXDOMAIN), all within the caller's {@link Deadline}.
 *
 * <p>The work is split in named parts: {@link UdpSockets} bounds how many
 * questions hold a socket and hands out pooled or fresh sockets;
 * {@link AttemptPlan} says which server each attempt goes to and for how
 * long; {@link Exchange} makes one attempt (UDP, TCP on truncation, plain DNS
 * after an EDNS FORMERR); {@link ReplyCheck} decides which received message
 * is the answer. What counts inside an answer is {@link AnswerRecords}' job,
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
        stats.questions.increment();
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
            return ask(Record.newRecord(name, type, DClass.IN), deadline, what);
        } finally {
            sockets.endTurn();
        }
    }

    private Reply ask(Record question, Deadline deadline, String what) throws UnavailableException {
        List<String> failures = new ArrayList<>();
        AttemptPlan plan = new AttemptPlan(servers, deadline);
        while (plan.next()) {
            InetSocketAddress server = plan.server();
            try {
                Message answer = exchange.run(server, question, plan.end());
                int rcode = answer.getRcode();
                stats.answered(rcode);
                if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) {
                    return new Reply(answer, server);
                }
                failures.add(Servers.format(server) + " " + Rcode.string(rcode));
            } catch (AttemptFailed e) {
                stats.failed(server, e);
                failures.add(Servers.format(server) + " " + e.getMessage());
            }
        }
        stats.unanswered.increment();
        throw unavailable(what, deadline, failures.isEmpty() ? "no time left to ask " + Servers.format(servers)
                : String.join(", ", failures));
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

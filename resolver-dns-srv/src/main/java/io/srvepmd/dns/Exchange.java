package io.srvepmd.dns;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * One attempt: the open questions of an {@link Inquiry} to one server, sent
 * together on one UDP socket and matched to their answers by ID and question
 * ({@link ReplyCheck}), as the C library sends A and AAAA; over TCP for a
 * question whose UDP answer was truncated (RFC 7766); once more without EDNS
 * for a question the server rejected with FORMERR for its EDNS (RFC 6891
 * section 7). Each query sent gets a new ID, distinct among those in flight on
 * the socket. What each question got goes to the inquiry: a usable answer
 * (NOERROR or NXDOMAIN), or why the attempt failed for it; one question's
 * failure never ends another's wait.
 *
 * <p>Only dnsjava's {@link Message} codec is used, over plain sockets: dnsjava's
 * own resolvers are far slower than a codec round trip (on loopback, ~450 us a
 * question through its SimpleResolver against ~10 us through the codec). No
 * thread is started: the caller's thread sends, waits and reads.
 * Stateless apart from the socket source; thread-safe.
 */
final class Exchange {

    private final UdpSockets sockets;
    private final DnsStats stats;

    Exchange(UdpSockets sockets, DnsStats stats) {
        this.stats = stats;
        this.sockets = sockets;
    }

    /** One query on the wire: question {@code index} of the inquiry, with its ID, with or without EDNS. */
    private static final class Sent {
        final int index;
        final boolean edns;
        final byte[] wire;
        final ReplyCheck check;
        /** The accepted UDP answer, or {@code null} if it was larger than advertised (only TCP gives it whole). */
        Message answer;

        Sent(int index, Record question, int id, boolean edns) {
            this.index = index;
            this.edns = edns;
            this.wire = wire(question, id, edns);
            this.check = new ReplyCheck(id, question);
        }
    }

    /**
     * Asks the inquiry's open questions of {@code server} until each has an
     * answer or a failure, or until {@code end} (earlier when the inquiry's
     * resolution delay runs out).
     *
     * @param end the {@link System#nanoTime()} at which the attempt gives up
     */
    void run(InetSocketAddress server, Inquiry inquiry, long end) {
        boolean loopback = SpoofResistance.isLoopback(server);
        List<Sent> pending = new ArrayList<>(inquiry.size());
        for (int i = 0; i < inquiry.size(); i++) {
            if (inquiry.isOpen(i)) {
                pending.add(new Sent(i, inquiry.question(i), freeId(loopback, pending), true));
            }
        }
        UdpSockets.Lease lease = null;
        boolean clean = false;
        try {
            lease = sockets.acquire(server);
            for (Sent s : pending) {
                send(lease, s);
            }
            while (!pending.isEmpty()) {
                Sent s = receive(lease, pending, inquiry.stop(end));
                if (s == null) {
                    failAll(server, inquiry, pending, null);
                    return;
                }
                pending.remove(s);
                Sent again = settle(server, inquiry, s, loopback, pending, inquiry.stop(end));
                if (again != null) {
                    pending.add(again);
                    send(lease, again);
                }
            }
            clean = true; // every query sent on the socket got its answer: no late one can come
        } catch (PortUnreachableException e) {
            failAll(server, inquiry, pending, new AttemptFailed("refused (ICMP port unreachable)"));
        } catch (IOException e) {
            failAll(server, inquiry, pending, new AttemptFailed("UDP error: " + e));
        } finally {
            if (lease != null) {
                sockets.release(lease, clean);
            }
        }
    }

    /** The query as sent: recursion desired, optionally with an EDNS(0) OPT record. */
    static byte[] wire(Record question, int id, boolean edns) {
        // new Message(id) rather than Message.newQuery: that would draw an ID from
        // dnsjava's own SecureRandom, seeding it (milliseconds) on a loopback-only setup.
        Message m = new Message(id);
        m.getHeader().setFlag(Flags.RD);
        m.addRecord(question, Section.QUESTION);
        if (edns) {
            m.addRecord(new OPTRecord(UdpSockets.EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
        }
        return m.toWire();
    }

    /** @return an ID that no other query in flight on the socket has, so that each answer finds its question */
    private static int freeId(boolean loopback, List<Sent> pending) {
        while (true) {
            int id = SpoofResistance.queryId(loopback);
            boolean taken = false;
            for (Sent s : pending) {
                taken |= s.check.hasId(id);
            }
            if (!taken) {
                return id;
            }
        }
    }

    private static void send(UdpSockets.Lease lease, Sent s) throws IOException {
        lease.socket.send(new DatagramPacket(s.wire, s.wire.length));
    }

    /**
     * Takes one query's UDP answer to its end: over TCP if it was truncated,
     * then into the inquiry as an answer or a failure.
     *
     * @return the same question to send again without EDNS, or {@code null}
     */
    private Sent settle(InetSocketAddress server, Inquiry inquiry, Sent s, boolean loopback, List<Sent> pending,
            long end) {
        Message answer = s.answer;
        String why = answer == null ? "oversize UDP answer (more than " + UdpSockets.EDNS_PAYLOAD + " bytes)"
                : answer.getHeader().getFlag(Flags.TC) ? "truncated UDP answer" : null;
        if (why != null) {
            // The full answer only travels over TCP (RFC 7766).
            stats.tcpFallbacks.increment();
            try {
                answer = tcp(server, s.wire, s.check, end);
            } catch (AttemptFailed e) {
                fail(server, inquiry, s.index, e.after(why));
                return null;
            }
        }
        if (s.edns && answer.getRcode() == Rcode.FORMERR && answer.getOPT() == null) {
            // A server that does not know EDNS rejects the OPT record with FORMERR and
            // sends none of its own: ask the plain question (RFC 6891 section 7). A
            // FORMERR with an OPT record came from a server that knows EDNS: it stands.
            return new Sent(s.index, inquiry.question(s.index), freeId(loopback, pending), false);
        }
        int rcode = answer.getRcode();
        stats.answered(rcode);
        if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) {
            inquiry.answered(s.index, answer, server);
        } else {
            inquiry.failed(s.index, Servers.format(server) + " " + Rcode.string(rcode));
        }
        return null;
    }

    /**
     * Waits for the answer to one of the pending queries until {@code stop},
     * ignoring everything else.
     *
     * @return the query answered, its {@link Sent#answer} set; {@code null} when time is up
     */
    private static Sent receive(UdpSockets.Lease lease, List<Sent> pending, long stop) throws IOException {
        byte[] buf = lease.buf;
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        while (true) {
            long left = stop - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            lease.socket.setSoTimeout(Deadline.toSocketTimeout(left));
            packet.setLength(buf.length);
            try {
                lease.socket.receive(packet);
            } catch (SocketTimeoutException e) {
                return null;
            }
            int length = packet.getLength();
            Sent s = owner(pending, buf, length);
            if (s == null) {
                for (Sent p : pending) {
                    p.check.accept(buf, length); // none has this ID: each notes what it ignored
                }
            } else if (length == buf.length) {
                s.answer = null; // larger than we advertised and cut by Java: only TCP gives it whole
                return s;
            } else {
                s.answer = s.check.accept(buf, length);
                if (s.answer != null) {
                    return s;
                }
            }
        }
    }

    /** @return the pending query whose ID the datagram carries, or {@code null} */
    private static Sent owner(List<Sent> pending, byte[] buf, int length) {
        for (Sent s : pending) {
            if (s.check.hasOurId(buf, length)) {
                return s;
            }
        }
        return null;
    }

    /** Every pending query failed; with {@code why} null, because time was up. */
    private void failAll(InetSocketAddress server, Inquiry inquiry, List<Sent> pending, AttemptFailed why) {
        for (Sent s : pending) {
            fail(server, inquiry, s.index, why != null ? why : timeout(s.check));
        }
        pending.clear();
    }

    private void fail(InetSocketAddress server, Inquiry inquiry, int index, AttemptFailed e) {
        stats.failed(server, e);
        inquiry.failed(index, Servers.format(server) + " " + e.getMessage());
    }

    private static AttemptFailed timeout(ReplyCheck check) {
        String ignored = check.ignored();
        return AttemptFailed.timeout(ignored == null ? "timeout" : "timeout (ignored " + ignored + ")");
    }

    private static Message tcp(InetSocketAddress server, byte[] wire, ReplyCheck check, long end)
            throws AttemptFailed {
        try (Socket socket = new Socket()) {
            socket.connect(server, timeoutFor(end, "TCP connect"));
            socket.setTcpNoDelay(true);
            byte[] framed = new byte[wire.length + 2];
            framed[0] = (byte) (wire.length >>> 8);
            framed[1] = (byte) wire.length;
            System.arraycopy(wire, 0, framed, 2, wire.length);
            OutputStream out = socket.getOutputStream();
            out.write(framed);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] prefix = new byte[2];
            readFully(socket, in, prefix, end);
            byte[] body = new byte[((prefix[0] & 0xff) << 8) | (prefix[1] & 0xff)];
            readFully(socket, in, body, end);
            // The connection carries only our answer: anything else ends the attempt.
            Message answer = check.accept(body, body.length);
            if (answer == null) {
                throw new AttemptFailed("TCP: " + check.ignored());
            }
            return answer;
        } catch (ConnectException e) {
            throw new AttemptFailed("TCP connection refused");
        } catch (SocketTimeoutException e) {
            throw AttemptFailed.timeout("TCP timeout");
        } catch (EOFException e) {
            throw new AttemptFailed("TCP connection closed before the answer was complete");
        } catch (IOException e) {
            throw new AttemptFailed("TCP error: " + e);
        }
    }

    /** Reads exactly {@code b.length} bytes, never past {@code end}: each read gets only the time left. */
    private static void readFully(Socket socket, InputStream in, byte[] b, long end)
            throws IOException, AttemptFailed {
        int off = 0;
        while (off < b.length) {
            socket.setSoTimeout(timeoutFor(end, "TCP read"));
            int n = in.read(b, off, b.length - off);
            if (n < 0) {
                throw new EOFException();
            }
            off += n;
        }
    }

    private static int timeoutFor(long end, String step) throws AttemptFailed {
        long left = end - System.nanoTime();
        if (left <= 0) {
            throw AttemptFailed.timeout(step + " timeout");
        }
        return Deadline.toSocketTimeout(left);
    }
}

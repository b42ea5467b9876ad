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
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * One attempt: one question to one server, over UDP, then over TCP when the
 * UDP answer was truncated (RFC 7766), and once more without EDNS when the
 * server rejects EDNS with FORMERR (RFC 6891 section 7). Each query sent gets a
 * new ID. Returns whatever answer was accepted, whatever its code: the
 * transport decides which codes are usable.
 *
 * <p>Only dnsjava's {@link Message} codec is used, over plain sockets: dnsjava's
 * own resolvers are far slower than a codec round trip (on loopback, ~450 us a
 * question through its SimpleResolver against ~10 us through the codec).
 * Stateless apart from the socket source; thread-safe.
 */
final class Exchange {

    private final UdpSockets sockets;
    private final DnsStats stats;

    Exchange(UdpSockets sockets, DnsStats stats) {
        this.stats = stats;
        this.sockets = sockets;
    }

    /**
     * @param end the {@link System#nanoTime()} at which the attempt gives up
     * @return an accepted answer to {@code question}
     * @throws AttemptFailed with a short reason, such as "timeout"
     */
    Message run(InetSocketAddress server, Record question, long end) throws AttemptFailed {
        Message answer = udpThenTcp(server, question, true, end);
        if (answer.getRcode() == Rcode.FORMERR && answer.getOPT() == null) {
            // A server that does not know EDNS rejects the OPT record with FORMERR and
            // sends none of its own: ask the plain question (RFC 6891 section 7). A
            // FORMERR with an OPT record came from a server that knows EDNS: it stands.
            answer = udpThenTcp(server, question, false, end);
        }
        return answer;
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

    private Message udpThenTcp(InetSocketAddress server, Record question, boolean edns, long end)
            throws AttemptFailed {
        int id = SpoofResistance.queryId(SpoofResistance.isLoopback(server));
        byte[] wire = wire(question, id, edns);
        ReplyCheck check = new ReplyCheck(id, question);
        Message answer = udp(server, wire, check, end);
        String why = answer == null ? "oversize UDP answer (more than " + UdpSockets.EDNS_PAYLOAD + " bytes)"
                : answer.getHeader().getFlag(Flags.TC) ? "truncated UDP answer" : null;
        if (why == null) {
            return answer;
        }
        // The full answer only travels over TCP (RFC 7766).
        stats.tcpFallbacks.increment();
        try {
            return tcp(server, wire, check, end);
        } catch (AttemptFailed e) {
            throw e.after(why);
        }
    }

    /** @return the accepted answer, or {@code null} if a datagram with our ID filled the buffer */
    private Message udp(InetSocketAddress server, byte[] wire, ReplyCheck check, long end) throws AttemptFailed {
        UdpSockets.Lease lease = null;
        boolean clean = false;
        try {
            lease = sockets.acquire(server);
            lease.socket.send(new DatagramPacket(wire, wire.length));
            Message answer = receive(lease, check, end);
            clean = true;
            return answer;
        } catch (PortUnreachableException e) {
            throw new AttemptFailed("refused (ICMP port unreachable)");
        } catch (IOException e) {
            throw new AttemptFailed("UDP error: " + e);
        } finally {
            if (lease != null) {
                sockets.release(lease, clean);
            }
        }
    }

    /** Waits for our answer until {@code end}, ignoring everything else. */
    private static Message receive(UdpSockets.Lease lease, ReplyCheck check, long end)
            throws IOException, AttemptFailed {
        byte[] buf = lease.buf;
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        while (true) {
            lease.socket.setSoTimeout(timeoutFor(end, check));
            packet.setLength(buf.length);
            try {
                lease.socket.receive(packet);
            } catch (SocketTimeoutException e) {
                throw timeout(check);
            }
            int length = packet.getLength();
            if (length == buf.length && check.hasOurId(buf, length)) {
                return null; // larger than we advertised and cut by Java: only TCP gives it whole
            }
            Message answer = check.accept(buf, length);
            if (answer != null) {
                return answer;
            }
        }
    }

    private static int timeoutFor(long end, ReplyCheck check) throws AttemptFailed {
        long left = end - System.nanoTime();
        if (left <= 0) {
            throw timeout(check);
        }
        return Deadline.toSocketTimeout(left);
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

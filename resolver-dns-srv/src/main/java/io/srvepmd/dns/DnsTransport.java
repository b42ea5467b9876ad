package io.srvepmd.dns;

import io.srvepmd.spi.UnavailableException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ThreadLocalRandom;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Sends one DNS question to the configured servers and returns the first
 * usable answer, all within the caller's {@link Deadline}.
 *
 * <p>dnsjava's own resolvers are far slower than a codec round trip (DESIGN.md
 * section 5), so this class uses only dnsjava's {@link Message} codec over a
 * plain connected UDP socket, with TCP when the UDP answer is truncated. The
 * servers are tried in turn, each at most {@link #ROUNDS} times; every attempt
 * gets an equal share of the time that is left, so a silent first server
 * leaves time for the second.
 *
 * <p>Thread-safe. UDP sockets, connected to one server each, are kept in a
 * small pool and reused after a clean exchange: opening a socket costs more
 * than the whole question on loopback. A socket whose attempt failed is
 * closed, so late answers do not linger; answers with an unexpected ID are
 * ignored in any case. TCP connections are not reused (only truncated answers
 * need them).
 */
final class DnsTransport implements AutoCloseable {

    /** The EDNS(0) UDP payload size recommended by DNS Flag Day 2020: no IP fragmentation. */
    static final int EDNS_PAYLOAD = 1232;
    /** How often each server is asked at most within one question. */
    static final int ROUNDS = 2;

    private static final int HEADER_LENGTH = 12;
    private static final int MAX_MESSAGE = 65535;

    /** Idle sockets kept per server; more concurrent questions than this open extra ones. */
    private static final int MAX_IDLE = 4;

    private final List<InetSocketAddress> servers;
    private final List<Deque<UdpSocket>> idle;
    private volatile boolean closed;

    /** @param servers at least one server, in the order to ask them */
    DnsTransport(List<InetSocketAddress> servers) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no DNS server");
        }
        this.servers = List.copyOf(servers);
        List<Deque<UdpSocket>> pools = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            pools.add(new ConcurrentLinkedDeque<>());
        }
        this.idle = List.copyOf(pools);
    }

    /** A UDP socket connected to one server, with its receive buffer. */
    private static final class UdpSocket {
        final DatagramSocket socket;
        final byte[] buf = new byte[MAX_MESSAGE];

        UdpSocket(InetSocketAddress server) throws IOException {
            socket = new DatagramSocket();
            try {
                // Connected: the kernel drops datagrams from anyone but the server, and
                // reports an ICMP "port unreachable" as PortUnreachableException.
                socket.connect(server);
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        }
    }

    List<InetSocketAddress> servers() {
        return servers;
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
     * Asks one question.
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
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        query.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
        List<String> failures = new ArrayList<>();
        int attemptsLeft = servers.size() * ROUNDS;
        for (int round = 0; round < ROUNDS; round++) {
            for (int index = 0; index < servers.size(); index++) {
                InetSocketAddress server = servers.get(index);
                long left = deadline.remainingNanos();
                if (left <= 0) {
                    break;
                }
                long share = left / attemptsLeft--;
                try {
                    Message answer = attempt(index, query, System.nanoTime() + share);
                    int rcode = answer.getRcode();
                    if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) {
                        return new Reply(answer, server);
                    }
                    failures.add(Servers.format(server) + " " + Rcode.string(rcode));
                } catch (AttemptFailed e) {
                    failures.add(Servers.format(server) + " " + e.getMessage());
                }
            }
        }
        throw new UnavailableException(what + ": no usable answer within " + deadline.elapsedMillis()
                + " ms (" + (failures.isEmpty() ? "no time left to ask " + Servers.format(servers)
                        : String.join(", ", failures)) + ")");
    }

    /** One server's failure to answer one attempt; the message is a short reason like "timeout". */
    static final class AttemptFailed extends Exception {
        private static final long serialVersionUID = 1L;

        AttemptFailed(String reason) {
            super(reason, null, false, false); // control flow, no stack trace needed
        }
    }

    private Message attempt(int index, Message query, long end) throws AttemptFailed {
        int id = ThreadLocalRandom.current().nextInt(0x10000);
        query.getHeader().setID(id);
        byte[] wire = query.toWire();
        InetSocketAddress server = servers.get(index);
        Message answer = udp(index, query, wire, id, end);
        if (!answer.getHeader().getFlag(Flags.TC)) {
            return answer;
        }
        // Truncated: the full answer only travels over TCP (RFC 7766).
        try {
            return tcp(server, query, wire, id, end);
        } catch (AttemptFailed e) {
            throw new AttemptFailed("truncated UDP answer, then " + e.getMessage());
        }
    }

    private Message udp(int index, Message query, byte[] wire, int id, long end) throws AttemptFailed {
        UdpSocket udp = idle.get(index).pollFirst();
        boolean clean = false;
        try {
            if (udp == null) {
                udp = new UdpSocket(servers.get(index));
            }
            DatagramSocket socket = udp.socket;
            byte[] buf = udp.buf;
            socket.send(new DatagramPacket(wire, wire.length));
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            while (true) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AttemptFailed("timeout");
                }
                socket.setSoTimeout(Deadline.toSocketTimeout(left));
                packet.setLength(buf.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    throw new AttemptFailed("timeout");
                }
                if (packet.getLength() >= 2 && readId(buf) != id) {
                    continue; // a late answer to an earlier question, or a forgery: keep waiting
                }
                Message answer = decode(buf, packet.getLength());
                if (answers(answer, query)) {
                    clean = true;
                    return answer;
                }
            }
        } catch (PortUnreachableException e) {
            throw new AttemptFailed("refused (ICMP port unreachable)");
        } catch (IOException e) {
            throw new AttemptFailed("UDP error: " + e);
        } finally {
            if (udp != null) {
                release(index, udp, clean);
            }
        }
    }

    private void release(int index, UdpSocket udp, boolean reusable) {
        Deque<UdpSocket> pool = idle.get(index);
        if (reusable && !closed && pool.size() < MAX_IDLE) {
            pool.offerFirst(udp);
            if (!closed) {
                return;
            }
            pool.remove(udp); // close() ran meanwhile: do not leave it behind
        }
        udp.socket.close();
    }

    /** Closes the idle sockets; questions after this still work but keep no socket. */
    @Override
    public void close() {
        closed = true;
        for (Deque<UdpSocket> pool : idle) {
            for (UdpSocket u = pool.pollFirst(); u != null; u = pool.pollFirst()) {
                u.socket.close();
            }
        }
    }

    private static Message tcp(InetSocketAddress server, Message query, byte[] wire, int id, long end)
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
            Message answer = decode(body, body.length);
            if (readId(body) != id || !answers(answer, query)) {
                throw new AttemptFailed("TCP answer to another question");
            }
            return answer;
        } catch (ConnectException e) {
            throw new AttemptFailed("TCP connection refused");
        } catch (SocketTimeoutException e) {
            throw new AttemptFailed("TCP timeout");
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
            throw new AttemptFailed(step + " timeout");
        }
        return Deadline.toSocketTimeout(left);
    }

    private static int readId(byte[] buf) {
        return ((buf[0] & 0xff) << 8) | (buf[1] & 0xff);
    }

    private static Message decode(byte[] buf, int length) throws AttemptFailed {
        if (length < HEADER_LENGTH) {
            throw new AttemptFailed("malformed answer (" + length + " bytes)");
        }
        try {
            return new Message(java.nio.ByteBuffer.wrap(buf, 0, length));
        } catch (IOException | RuntimeException e) {
            throw new AttemptFailed("malformed answer (" + e.getMessage() + ")");
        }
    }

    /**
     * Whether a decoded message is the response to our question. Error answers
     * may leave out the question section (RFC 1035 allows it); those count as ours.
     */
    private static boolean answers(Message answer, Message query) {
        if (!answer.getHeader().getFlag(Flags.QR)) {
            return false;
        }
        Record q = answer.getQuestion();
        return q == null || q.equals(query.getQuestion());
    }
}

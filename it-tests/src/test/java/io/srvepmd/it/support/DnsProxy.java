package io.srvepmd.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A UDP DNS forwarder on a free loopback port in front of a {@link DnsServer}:
 * it passes each question on and relays the answer, after an optional fixed
 * delay, and for the record types given a {@link Fault} it does what no real
 * server does on request: refuse, fail or drop the question (the authoritative
 * side of a caching resolver that fails one address family). The delay makes
 * "a question is in flight" last long enough that concurrent lookups surely
 * overlap it; the server's query log still counts every question that got
 * through. UDP only; each question is forwarded exactly once.
 */
public final class DnsProxy implements AutoCloseable, Nameserver {

    /** What the proxy does with the questions of one record type instead of passing them on. */
    public enum Fault {
        /** Answers REFUSED itself, as a server that will not serve the type. */
        REFUSED(5),
        /** Answers SERVFAIL itself. */
        SERVFAIL(2),
        /** Says nothing, as a middlebox that drops the question. */
        DROP(-1);

        final int rcode;

        Fault(int rcode) {
            this.rcode = rcode;
        }
    }

    private final DatagramSocket front;
    private final InetSocketAddress upstream;
    private final long delayMillis;
    private final Map<Integer, Fault> faults = new ConcurrentHashMap<>();
    private final AtomicInteger faulted = new AtomicInteger();
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dns-proxy-worker");
        t.setDaemon(true);
        return t;
    });
    private final Thread receiver;

    /** A proxy that passes questions on at once. */
    public DnsProxy(DnsServer server) {
        this(server, 0);
    }

    public DnsProxy(DnsServer server, long delayMillis) {
        this.upstream = new InetSocketAddress(FreePorts.loopback(), server.port());
        this.delayMillis = delayMillis;
        try {
            front = new DatagramSocket(new InetSocketAddress(FreePorts.loopback(), 0));
        } catch (SocketException e) {
            throw new UncheckedIOException("cannot bind a UDP port on 127.0.0.1", e);
        }
        receiver = new Thread(this::receive, "dns-proxy");
        receiver.setDaemon(true);
        receiver.start();
    }

    /** From now on, questions of record type {@code type} (28 for AAAA) meet {@code fault}. */
    public DnsProxy fault(int type, Fault fault) {
        faults.put(type, fault);
        return this;
    }

    /** How many questions met a fault so far. */
    public int faulted() {
        return faulted.get();
    }

    /** "127.0.0.1:PORT", the form {@code dns.servers} takes. */
    @Override
    public String address() {
        return "127.0.0.1:" + front.getLocalPort();
    }

    public int port() {
        return front.getLocalPort();
    }

    @Override
    public java.nio.file.Path erlangInetrc(java.nio.file.Path directory) {
        return Nameserver.writeInetrc(directory, "127.0.0.1", port());
    }

    private void receive() {
        while (!front.isClosed()) {
            DatagramPacket in = new DatagramPacket(new byte[4096], 4096);
            try {
                front.receive(in);
            } catch (IOException closed) {
                return;
            }
            byte[] question = Arrays.copyOf(in.getData(), in.getLength());
            SocketAddress client = in.getSocketAddress();
            Fault fault = faults.get(questionType(question));
            if (fault == null) {
                workers.execute(() -> forward(question, client));
            } else {
                faulted.incrementAndGet();
                if (fault != Fault.DROP) {
                    reply(error(question, fault.rcode), client);
                }
            }
        }
    }

    private void forward(byte[] question, SocketAddress client) {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(FreePorts.loopback(), 0))) {
            Thread.sleep(delayMillis);
            socket.setSoTimeout(5000);
            socket.send(new DatagramPacket(question, question.length, upstream));
            DatagramPacket answer = new DatagramPacket(new byte[65535], 65535);
            socket.receive(answer);
            reply(Arrays.copyOf(answer.getData(), answer.getLength()), client);
        } catch (IOException | InterruptedException e) {
            // the client times out; the test reports what it saw
        }
    }

    private void reply(byte[] answer, SocketAddress client) {
        try {
            front.send(new DatagramPacket(answer, answer.length, client));
        } catch (IOException closed) {
            // the proxy is closing
        }
    }

    /** @return the question's record type, or -1 if the message has no readable question */
    static int questionType(byte[] q) {
        int at = questionEnd(q);
        return at < 0 ? -1 : ((q[at - 4] & 0xff) << 8) | (q[at - 3] & 0xff);
    }

    /** @return the offset just past the first question (name, type, class), or -1 */
    private static int questionEnd(byte[] q) {
        if (q.length < 12 || ((q[4] & 0xff) << 8 | (q[5] & 0xff)) < 1) {
            return -1;
        }
        int at = 12;
        while (at < q.length && q[at] != 0) {
            if ((q[at] & 0xc0) != 0) {
                return -1; // a query's name is never compressed
            }
            at += (q[at] & 0xff) + 1;
        }
        return at + 5 <= q.length ? at + 5 : -1;
    }

    /** An answer with code {@code rcode} and no records: the query's header and question, QR set. */
    static byte[] error(byte[] q, int rcode) {
        byte[] r = Arrays.copyOf(q, questionEnd(q));
        r[2] = (byte) (0x80 | (q[2] & 0x01)); // QR, opcode QUERY, RD as asked
        r[3] = (byte) rcode;
        Arrays.fill(r, 6, 12, (byte) 0); // one question, no answer, authority or additional record
        return r;
    }

    @Override
    public void close() {
        front.close();
        workers.shutdownNow();
        try {
            receiver.join(2000);
            workers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

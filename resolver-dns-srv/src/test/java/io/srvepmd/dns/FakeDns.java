package io.srvepmd.dns;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.xbill.DNS.Message;

/**
 * A tiny in-process "DNS server" for what no real server does on request:
 * silence, wrong IDs, garbage, forged owner names, SERVFAIL. Each UDP question
 * is handed to a function that returns the datagrams to send back (none =
 * silence). Without a TCP function it has no TCP side, so a TCP retry to its
 * port is refused. It binds 127.0.0.1 unless told otherwise, and records each
 * question's source port. While {@link #hold held}, questions are queued
 * unanswered until {@link #release}.
 */
final class FakeDns implements AutoCloseable {

    private final DatagramSocket socket;
    private final ServerSocket tcp;
    private final Function<Message, List<byte[]>> answer;
    private final Function<Message, byte[]> tcpAnswer;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger questions = new AtomicInteger();
    private final AtomicInteger tcpQuestions = new AtomicInteger();
    private final List<Integer> sourcePorts = new ArrayList<>();
    private final List<Message> received = new ArrayList<>();
    private final List<Object[]> held = new ArrayList<>();
    private boolean holding;
    private int batch;
    private int lastQuestion;

    FakeDns(Function<Message, List<byte[]>> answer) throws IOException {
        this(Servers.v4("127.0.0.1"), answer, null);
    }

    /**
     * @param bind the local address to listen on
     * @param tcpAnswer the answer to a question over TCP, or {@code null} for no TCP side
     */
    FakeDns(InetAddress bind, Function<Message, List<byte[]>> answer, Function<Message, byte[]> tcpAnswer)
            throws IOException {
        this.answer = answer;
        this.tcpAnswer = tcpAnswer;
        DatagramSocket udp;
        ServerSocket stream = null;
        for (int attempt = 0;; attempt++) {
            udp = new DatagramSocket(new InetSocketAddress(bind, 0));
            if (tcpAnswer == null) {
                break;
            }
            try {
                stream = new ServerSocket(udp.getLocalPort(), 50, bind);
                break;
            } catch (BindException taken) { // that port is taken for TCP: try another pair
                udp.close();
                if (attempt == 20) {
                    throw taken;
                }
            }
        }
        socket = udp;
        tcp = stream;
        start(new Thread(() -> serve(), "fake-dns-" + socket.getLocalPort()));
        if (tcp != null) {
            start(new Thread(() -> serveTcp(), "fake-dns-tcp-" + socket.getLocalPort()));
        }
    }

    private void start(Thread t) {
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void serve() {
        byte[] buf = new byte[65535];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
                Message q = new Message(Arrays.copyOf(buf, p.getLength()));
                synchronized (this) {
                    questions.incrementAndGet();
                    sourcePorts.add(p.getPort());
                    received.add(q);
                    if (holding || batch > 0) {
                        held.add(new Object[] {q, p.getSocketAddress()});
                    }
                    if (batch > 0 && (held.size() >= batch || questions.get() >= lastQuestion)) {
                        answerHeld();
                    }
                    if (holding || batch > 0) {
                        continue;
                    }
                }
                send(q, p.getSocketAddress());
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void send(Message q, SocketAddress to) throws IOException {
        for (byte[] out : answer.apply(q)) {
            socket.send(new DatagramPacket(out, out.length, to));
        }
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            try (Socket s = tcp.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] q = new byte[in.readUnsignedShort()];
                in.readFully(q);
                tcpQuestions.incrementAndGet();
                byte[] out = tcpAnswer.apply(new Message(q));
                OutputStream o = s.getOutputStream();
                o.write(new byte[] {(byte) (out.length >>> 8), (byte) out.length});
                o.write(out);
                o.flush();
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** From now on, queue questions unanswered. */
    synchronized void hold() {
        holding = true;
    }

    /** Answers the queued questions, and the following ones at once. */
    void release() throws IOException {
        synchronized (this) {
            holding = false;
            answerHeld();
        }
    }

    /**
     * From now on, answer in batches: queue questions until {@code size} wait,
     * or until question number {@code last} arrived, then answer all queued.
     * So at least {@code size} questions are in flight at once whenever that
     * many could be.
     */
    synchronized void batches(int size, int last) {
        batch = size;
        lastQuestion = last;
    }

    private synchronized void answerHeld() throws IOException {
        for (Object[] h : held) {
            send((Message) h[0], (SocketAddress) h[1]);
        }
        held.clear();
    }

    /** @return how many questions wait unanswered while held */
    synchronized int held() {
        return held.size();
    }

    /** @return {@code 127.0.0.1:port} (or the bound address), as a {@code dns.servers} entry */
    String server() {
        return Servers.format((InetSocketAddress) socket.getLocalSocketAddress());
    }

    /** @return how many datagrams it received */
    int questions() {
        return questions.get();
    }

    /** @return how many questions came over TCP */
    int tcpQuestions() {
        return tcpQuestions.get();
    }

    /** @return the source port of every datagram received, in order */
    synchronized List<Integer> sourcePorts() {
        return new ArrayList<>(sourcePorts);
    }

    /** @return every question received over UDP, in order */
    synchronized List<Message> received() {
        return new ArrayList<>(received);
    }

    @Override
    public void close() throws InterruptedException, IOException {
        socket.close();
        if (tcp != null) {
            tcp.close();
        }
        for (Thread t : threads) {
            t.join(5000);
        }
    }
}

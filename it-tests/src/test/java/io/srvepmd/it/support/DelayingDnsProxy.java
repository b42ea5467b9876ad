package io.srvepmd.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A UDP DNS forwarder on a free loopback port that holds every question for a
 * fixed delay before passing it to a {@link DnsServer} and relaying the answer.
 * It makes "a question is in flight" last long enough that concurrent lookups
 * surely overlap it; the server's query log still counts every question that
 * got through. UDP only; each question is forwarded exactly once.
 */
public final class DelayingDnsProxy implements AutoCloseable {

    private final DatagramSocket front;
    private final InetSocketAddress upstream;
    private final long delayMillis;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dns-proxy-worker");
        t.setDaemon(true);
        return t;
    });
    private final Thread receiver;

    public DelayingDnsProxy(DnsServer server, long delayMillis) {
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

    /** "127.0.0.1:PORT", the form {@code dns.servers} takes. */
    public String address() {
        return "127.0.0.1:" + front.getLocalPort();
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
            workers.execute(() -> forward(question, client));
        }
    }

    private void forward(byte[] question, SocketAddress client) {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(FreePorts.loopback(), 0))) {
            Thread.sleep(delayMillis);
            socket.setSoTimeout(5000);
            socket.send(new DatagramPacket(question, question.length, upstream));
            DatagramPacket answer = new DatagramPacket(new byte[65535], 65535);
            socket.receive(answer);
            front.send(new DatagramPacket(answer.getData(), answer.getLength(), client));
        } catch (IOException | InterruptedException e) {
            // the client times out; the test reports what it saw
        }
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

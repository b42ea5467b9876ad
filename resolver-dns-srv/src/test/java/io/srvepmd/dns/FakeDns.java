package io.srvepmd.dns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.xbill.DNS.Message;

/**
 * A tiny in-process UDP "DNS server" on 127.0.0.1 for what no real server does
 * on request: silence, wrong IDs, garbage, SERVFAIL. Each question is handed
 * to a function that returns the datagrams to send back (none = silence).
 * It has no TCP side, so a TCP retry to its port is refused.
 */
final class FakeDns implements AutoCloseable {

    private final DatagramSocket socket;
    private final Thread thread;
    private final AtomicInteger questions = new AtomicInteger();

    FakeDns(Function<Message, List<byte[]>> answer) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(Servers.v4("127.0.0.1"), 0));
        thread = new Thread(() -> serve(answer), "fake-dns-" + socket.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    private void serve(Function<Message, List<byte[]>> answer) {
        byte[] buf = new byte[65535];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
                questions.incrementAndGet();
                Message q = new Message(java.util.Arrays.copyOf(buf, p.getLength()));
                for (byte[] out : answer.apply(q)) {
                    socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
                }
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** @return {@code 127.0.0.1:port}, as a {@code dns.servers} entry */
    String server() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    /** @return how many datagrams it received */
    int questions() {
        return questions.get();
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(5000);
    }
}

package io.srvepmd.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * A loopback port where DNS questions go unanswered: UDP datagrams are
 * received by nobody, TCP connections queue in the backlog and are never
 * accepted. For timeouts and failover.
 */
public final class BlackholeDns implements AutoCloseable {

    private final DatagramSocket udp;
    private final ServerSocket tcp;

    public BlackholeDns() {
        int port = FreePorts.tcpAndUdp();
        try {
            udp = new DatagramSocket(new InetSocketAddress(FreePorts.loopback(), port));
            tcp = new ServerSocket();
            tcp.bind(new InetSocketAddress(FreePorts.loopback(), port));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hold port " + port, e);
        }
    }

    /** "127.0.0.1:PORT". */
    public String address() {
        return "127.0.0.1:" + udp.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        udp.close();
        tcp.close();
    }
}

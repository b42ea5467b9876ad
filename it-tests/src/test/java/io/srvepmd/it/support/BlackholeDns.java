package io.srvepmd.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
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
        this(FreePorts.loopback(), FreePorts.tcpAndUdp());
    }

    /** A blackhole at {@code address}:{@code port}, such as another loopback address on port 53. */
    public BlackholeDns(InetAddress address, int port) {
        try {
            udp = new DatagramSocket(new InetSocketAddress(address, port));
            tcp = new ServerSocket();
            tcp.bind(new InetSocketAddress(address, port));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hold " + address.getHostAddress() + ":" + port, e);
        }
    }

    /** "IP:PORT". */
    public String address() {
        return udp.getLocalAddress().getHostAddress() + ":" + udp.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        udp.close();
        tcp.close();
    }
}

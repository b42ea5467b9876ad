package io.srvepmd.it.support;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where stock JInterface goes for epmd, made visible: a loopback TCP listener
 * on a free port, handed to a child JVM as {@code ERL_EPMD_PORT} (JInterface's
 * {@code OtpEpmd} reads that variable, else uses 4369). It records each request
 * (the epmd protocol: a 2-byte length, then the request) and answers none: it
 * closes the connection, so a stock {@code new OtpNode(...)} fails at once with
 * "Nameserver not responding". No epmd runs (the tests' epmd watch stays
 * quiet), nothing listens on 4369. An in-process stand-in because a real epmd
 * is exactly what the tests must never start.
 */
public final class EpmdRecorder implements AutoCloseable {

    private static final int ALIVE2_REQ = 120;
    private static final int PORT_PLEASE2_REQ = 122;

    private final ServerSocket server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private EpmdRecorder(ServerSocket server) {
        this.server = server;
        this.acceptor = new Thread(this::serve, "epmd-recorder-" + server.getLocalPort());
        acceptor.setDaemon(true);
    }

    public static EpmdRecorder start() {
        try {
            EpmdRecorder r = new EpmdRecorder(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
            r.acceptor.start();
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on loopback", e);
        }
    }

    /** The value for {@code ERL_EPMD_PORT}. */
    public int port() {
        return server.getLocalPort();
    }

    /**
     * Every request so far, decoded: {@code ALIVE2_REQ name=N type=T protocol=P versions=H..L extra=E}
     * (publishing a node; its listen port, which differs from run to run, left out), {@code PORT_PLEASE2_REQ
     * name=N} (looking a node up), or {@code tag T} for others. A request is recorded before its connection
     * closes, so every request of a child that has exited is here.
     */
    public List<String> requests() {
        return new ArrayList<>(requests);
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] request = new byte[in.readUnsignedShort()];
                in.readFully(request);
                requests.add(decode(new DataInputStream(new ByteArrayInputStream(request))));
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
                requests.add("unreadable request: " + e);
            }
        }
    }

    private static String decode(DataInputStream r) throws IOException {
        int tag = r.readUnsignedByte();
        if (tag == ALIVE2_REQ) {
            r.readUnsignedShort(); // the node's listen port
            int type = r.readUnsignedByte();
            int protocol = r.readUnsignedByte();
            int highest = r.readUnsignedShort();
            int lowest = r.readUnsignedShort();
            String name = string(r);
            return "ALIVE2_REQ name=" + name + " type=" + type + " protocol=" + protocol + " versions=" + highest
                    + ".." + lowest + " extra=" + string(r);
        }
        if (tag == PORT_PLEASE2_REQ) {
            return "PORT_PLEASE2_REQ name=" + new String(r.readAllBytes(), StandardCharsets.UTF_8);
        }
        return "tag " + tag;
    }

    private static String string(DataInputStream r) throws IOException {
        byte[] b = new byte[r.readUnsignedShort()];
        r.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        server.close();
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

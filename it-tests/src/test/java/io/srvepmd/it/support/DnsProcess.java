package io.srvepmd.it.support;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.IntFunction;

/**
 * The process of a DNS server a test runs (dnsmasq, Unbound) on one loopback
 * address: started on a free port, or on the port it had before it was
 * killed, so that its clients keep their address; ready once it answers a
 * real query; stopped by pid.
 */
final class DnsProcess {

    private final InetAddress listen;
    private final Path log;
    private int port;
    private ChildProcess process;

    /** @param log the server's log, shown when it does not start */
    DnsProcess(InetAddress listen, Path log) {
        this.listen = listen;
        this.log = log;
    }

    /** Starts on {@code port} rather than a free one. */
    void fixPort(int port) {
        this.port = port;
    }

    /**
     * Starts the server, on its port or else a free one (three tries), and waits until it answers.
     *
     * @param launch starts the process listening on the given port
     */
    void start(IntFunction<ChildProcess> launch) {
        if (process != null) {
            throw new IllegalStateException("already started");
        }
        int fixed = port;
        AssertionError last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            port = fixed != 0 ? fixed : FreePorts.tcpAndUdp();
            try {
                process = launch.apply(port);
                awaitAnswer(process, new InetSocketAddress(listen, port), Duration.ofSeconds(10), log);
                return;
            } catch (AssertionError e) {
                last = e;
                stop();
                if (fixed != 0) {
                    break;
                }
            }
        }
        throw last;
    }

    /** Stops the process (by pid), keeping its port for the next {@link #start}. */
    void kill() {
        int keep = port;
        stop();
        port = keep;
    }

    /** Stops the process (by pid) and forgets its port. */
    void stop() {
        if (process != null) {
            process.close();
            process = null;
        }
        port = 0;
    }

    boolean started() {
        return process != null;
    }

    /** The port it listens on, or will listen on again after {@link #kill()}. */
    int port() {
        return port;
    }

    ChildProcess process() {
        return process;
    }

    /**
     * Sends a real UDP query to {@code server} until it answers (any answer code will do); fails if
     * {@code process} exits first or nothing answers within {@code timeout}, showing {@code log}.
     */
    static void awaitAnswer(ChildProcess process, InetSocketAddress server, Duration timeout, Path log) {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] query = DnsServer.query(0x5eed, "readiness.probe.invalid", 1);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(FreePorts.loopback(), 0))) {
            socket.setSoTimeout(100);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new AssertionError(process.label() + " exited at start: " + process.describe()
                            + "\n  log:\n" + ChildProcess.read(log));
                }
                socket.send(new DatagramPacket(query, query.length, server));
                DatagramPacket reply = new DatagramPacket(new byte[512], 512);
                try {
                    socket.receive(reply);
                    if (reply.getLength() >= 12 && reply.getData()[0] == query[0] && reply.getData()[1] == query[1]) {
                        return;
                    }
                } catch (SocketTimeoutException notYet) {
                    // poll again
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot probe " + process.label() + " at " + server + ": " + e, e);
        }
        throw new AssertionError(process.label() + " did not answer within " + timeout + ": " + process.describe());
    }

}

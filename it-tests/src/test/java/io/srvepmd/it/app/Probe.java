package io.srvepmd.it.app;

import com.ericsson.otp.erlang.OtpConnection;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpPeer;
import com.ericsson.otp.erlang.OtpSelf;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A connection as a JInterface program makes one when it wants to know at once whether it can reach a
 * node: a fresh helper-named {@link OtpSelf} ({@code rpc-probe-N@probe.test}, ephemeral port) connects
 * to the peer, calls {@code erlang:node()} there, and closes. Unlike {@code OtpNode.ping}, whose message
 * to a node it cannot reach is dropped silently (the ping then waits out its timeout), a failure shows
 * at once. Prints {@code CONNECT PEER ok MS} or {@code CONNECT PEER failed MS class: message <- causes}.
 */
final class Probe {

    private static final AtomicInteger SELVES = new AtomicInteger();

    private Probe() {
    }

    static boolean connect(String cookie, String peer) {
        long start = System.nanoTime();
        try {
            OtpSelf self = new OtpSelf("rpc-probe-" + SELVES.incrementAndGet() + "@probe.test", cookie);
            OtpConnection connection = self.connect(new OtpPeer(peer));
            try {
                connection.sendRPC("erlang", "node", new OtpErlangList());
                String node = connection.receiveRPC().toString();
                if (!node.equals("'" + peer + "'") && !node.equals(peer)) {
                    throw new IllegalStateException("connected to " + node + ", not " + peer);
                }
            } finally {
                connection.close();
            }
            Out.line("CONNECT " + peer + " ok " + millis(start));
            return true;
        } catch (Exception e) {
            // JInterface wraps transport failures in "Cannot connect to peer node": show the causes too.
            StringBuilder chain = new StringBuilder(e.getClass().getName() + ": " + e.getMessage());
            for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
                chain.append(" <- ").append(c.getClass().getName()).append(": ").append(c.getMessage());
            }
            Out.line("CONNECT " + peer + " failed " + millis(start) + " " + chain);
            return false;
        }
    }

    private static long millis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}

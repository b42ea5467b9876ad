package io.srvepmd.agent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Opens the distribution connection to a resolved node, trying its endpoints
 * in order until one accepts (RFC 2782 failover), so the program sees a single
 * connect that either works or fails with every attempt named. When the
 * distribution handshake on an accepted connection fails, the same
 * {@link ConnectAttempts} comes back here for the next endpoint.
 *
 * <p>JInterface holds the node's connection lock while it connects, so every
 * send to every peer waits for this: the whole failover is bounded by
 * {@code connect.total-timeout} and {@code connect.max-attempts}, and each
 * attempt by {@code connect.timeout}: the TCP connect, and, on a socket the
 * agent made, the distribution handshake's reads too. As Go's dialer does,
 * each attempt gets an equal share of the time left, but no less than
 * {@link #MIN_ATTEMPT_MILLIS} (while that much is left): one blackholed
 * endpoint cannot eat the budget of the others, and a handful of slow ones
 * still each get a fair try.
 */
final class Connector {

    static final int MIN_ATTEMPT_MILLIS = 1000;

    /** One connection attempt to one endpoint, bounded by {@code timeoutMillis}. */
    interface Dialer {
        Dialed connect(Object peer, InetSocketAddress to, int timeoutMillis) throws IOException;
    }

    /**
     * A JInterface transport, and the socket under it when the agent made it:
     * its reads time out after the attempt's bound until the handshake is over.
     */
    static final class Dialed {
        final Object transport;
        final Socket socket;

        Dialed(Object transport, Socket socket) {
            this.transport = transport;
            this.socket = socket;
        }
    }

    private final Dialer dialer;
    private final Telemetry telemetry;
    private final Clock clock;
    private final long attemptMillis;
    private final long totalMillis;
    private final int maxAttempts;

    Connector(Dialer dialer, Telemetry telemetry, Clock clock, long attemptMillis, long totalMillis,
            int maxAttempts) {
        this.dialer = dialer;
        this.telemetry = telemetry;
        this.clock = clock;
        this.attemptMillis = attemptMillis;
        this.totalMillis = totalMillis;
        this.maxAttempts = maxAttempts;
    }

    /**
     * @param peer the JInterface peer whose transport factory is used
     * @param attempts the connection's endpoints and what was tried so far
     * @return the transport of the next endpoint that accepted
     * @throws IOException naming every endpoint tried and why it failed, and what was not tried
     */
    Object connect(Object peer, ConnectAttempts attempts) throws IOException {
        IOException last = null;
        while (canTryMore(attempts)) {
            long left = millisLeft(attempts);
            InetSocketAddress endpoint = attempts.take();
            int timeout = (int) attemptTimeout(left, plannedAttempts(attempts) - attempts.attempted() + 1);
            Object event = telemetry.beginConnect();
            long attemptStart = System.nanoTime();
            try {
                Dialed dialed = dialer.connect(peer, endpoint, timeout);
                telemetry.connectAttempt(event, attempts.node.toString(), endpoint, attempts.attempted(),
                        attemptStart, null);
                attempts.connected(endpoint, dialed.socket);
                return dialed.transport;
            } catch (IOException e) {
                telemetry.connectAttempt(event, attempts.node.toString(), endpoint, attempts.attempted(),
                        attemptStart, e.toString());
                last = e;
                attempts.failed(endpoint, e.getMessage());
            }
        }
        throw failure(attempts, last);
    }

    /** @return whether another endpoint may be tried: one is left, within the attempts and the time allowed */
    boolean canTryMore(ConnectAttempts attempts) {
        return attempts.hasUntried() && attempts.attempted() < maxAttempts && millisLeft(attempts) > 0;
    }

    /** @return the error for a connection whose every attempt failed, naming them and what was not tried */
    IOException failure(ConnectAttempts attempts, Throwable last) {
        int notTried = attempts.endpoints.size() - attempts.attempted();
        return new IOException("srv-epmd: cannot connect to node " + attempts.node + ": tried " + attempts.tried()
                + notTried(notTried, attempts.attempted() < maxAttempts) + "; check that the node runs and listens"
                + " on the port its DNS record publishes", last);
    }

    private long millisLeft(ConnectAttempts attempts) {
        return totalMillis - (clock.nanoTime() - attempts.startNanos) / 1_000_000;
    }

    private int plannedAttempts(ConnectAttempts attempts) {
        return Math.min(attempts.endpoints.size(), maxAttempts);
    }

    /** The bound of one attempt when {@code left} ms remain for {@code remaining} attempts. */
    long attemptTimeout(long left, int remaining) {
        long share = left / Math.max(1, remaining);
        if (share < MIN_ATTEMPT_MILLIS) {
            share = Math.min(left, MIN_ATTEMPT_MILLIS);
        }
        return Math.max(1, Math.min(share, attemptMillis));
    }

    private String notTried(int count, boolean outOfTime) {
        if (count == 0) {
            return "";
        }
        return "; " + count + " more not tried (" + (outOfTime ? "connect.total-timeout=" + totalMillis
                + "ms used up" : "connect.max-attempts=" + maxAttempts) + ")";
    }

    static String literal(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}

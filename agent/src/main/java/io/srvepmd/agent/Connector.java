package io.srvepmd.agent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Opens the distribution connection to a resolved node, trying its endpoints
 * in order until one accepts (RFC 2782 failover), so the program sees a single
 * connect that either works or fails with every attempt named.
 *
 * <p>JInterface holds the node's connection lock while it connects, so every
 * send to every peer waits for this: the whole failover is bounded by
 * {@code connect.total-timeout} and {@code connect.max-attempts}, and each
 * attempt by {@code connect.timeout}. As Go's dialer does, each attempt gets an
 * equal share of the time left, but no less than {@link #MIN_ATTEMPT_MILLIS}
 * (while that much is left): one blackholed endpoint cannot eat the budget of
 * the others, and a handful of slow ones still each get a fair try.
 */
final class Connector {

    static final int MIN_ATTEMPT_MILLIS = 1000;

    /** One connection attempt to one endpoint, bounded by {@code timeoutMillis}. */
    interface Dialer {
        Object connect(Object peer, InetSocketAddress to, int timeoutMillis) throws IOException;
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
     * @param node the node's name, for the message
     * @param endpoints where to try, in order; never empty
     * @return the transport of the first endpoint that accepted
     * @throws IOException naming every endpoint tried and why it failed, and what was not tried
     */
    Object connect(Object peer, String node, List<InetSocketAddress> endpoints) throws IOException {
        long start = clock.nanoTime();
        int attempts = Math.min(endpoints.size(), maxAttempts);
        StringBuilder tried = new StringBuilder();
        IOException last = null;
        int i = 0;
        for (; i < attempts; i++) {
            long left = totalMillis - (clock.nanoTime() - start) / 1_000_000;
            if (left <= 0) {
                break;
            }
            InetSocketAddress endpoint = endpoints.get(i);
            int timeout = (int) attemptTimeout(left, attempts - i);
            Object event = telemetry.beginConnect();
            long attemptStart = System.nanoTime();
            try {
                Object transport = dialer.connect(peer, endpoint, timeout);
                telemetry.connectAttempt(event, node, endpoint, i + 1, attemptStart, null);
                return transport;
            } catch (IOException e) {
                telemetry.connectAttempt(event, node, endpoint, i + 1, attemptStart, e.toString());
                last = e;
                tried.append(tried.length() == 0 ? "" : ", ").append(literal(endpoint))
                        .append(" (").append(e.getMessage()).append(')');
            }
        }
        throw new IOException("srv-epmd: cannot connect to node " + node + ": tried " + tried
                + notTried(endpoints.size() - i, i < attempts) + "; check that the node runs and listens on the"
                + " port its DNS record publishes", last);
    }

    /** The bound of one attempt when {@code left} ms remain for {@code remaining} attempts. */
    long attemptTimeout(long left, int remaining) {
        long share = left / remaining;
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

package io.srvepmd.agent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Opens the distribution connection to a resolved node, trying its endpoints
 * in order until one accepts (RFC 2782 failover), so the program sees a single
 * connect that either works or fails with every attempt named.
 */
final class Connector {

    private final JInterfaceAccess access;
    private final int timeoutMillis;

    Connector(JInterfaceAccess access, int timeoutMillis) {
        this.access = access;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * @param peer the JInterface peer whose transport factory is used
     * @param node the node's name, for the message
     * @param endpoints where to try, in order; never empty
     * @return the transport of the first endpoint that accepted
     * @throws IOException naming every endpoint tried and why it failed
     */
    public Object connect(Object peer, String node, List<InetSocketAddress> endpoints) throws IOException {
        StringBuilder tried = new StringBuilder();
        IOException last = null;
        for (InetSocketAddress endpoint : endpoints) {
            try {
                return access.connect(peer, endpoint, timeoutMillis);
            } catch (IOException e) {
                last = e;
                tried.append(tried.length() == 0 ? "" : ", ").append(literal(endpoint))
                        .append(" (").append(e.getMessage()).append(')');
            }
        }
        throw new IOException("srv-epmd: cannot connect to node " + node + ": tried " + tried
                + "; check that the node runs and listens on the port its DNS record publishes", last);
    }

    static String literal(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}

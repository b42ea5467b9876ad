package io.srvepmd.staticmap;

import io.srvepmd.spi.NodeName;
import java.net.InetAddress;
import java.util.Objects;

/**
 * One {@code NODE=ADDRESS:PORT} entry: which nodes it is for, where they
 * listen, and where the entry was written (for messages).
 *
 * <p>The address is one of three kinds: an IP literal (already an
 * {@link InetAddress}, never looked up), a host name (looked up with the
 * system resolver at each resolution), or absent, in which case the node's own
 * host part is looked up (the OTP 23 epmd-less convention: the node name says
 * the host, the configuration says the port).
 */
final class StaticEntry {

    private final String text;
    private final String origin;
    private final NodePattern nodes;
    private final InetAddress literal;
    private final String hostName;
    private final int port;

    private StaticEntry(String text, String origin, NodePattern nodes, InetAddress literal, String hostName,
            int port) {
        this.text = Objects.requireNonNull(text, "text");
        this.origin = Objects.requireNonNull(origin, "origin");
        this.nodes = Objects.requireNonNull(nodes, "nodes");
        this.literal = literal;
        this.hostName = hostName;
        this.port = port;
    }

    static StaticEntry literal(String text, String origin, NodePattern nodes, InetAddress address, int port) {
        return new StaticEntry(text, origin, nodes, Objects.requireNonNull(address, "address"), null, port);
    }

    static StaticEntry hostName(String text, String origin, NodePattern nodes, String hostName, int port) {
        return new StaticEntry(text, origin, nodes, null, Objects.requireNonNull(hostName, "hostName"), port);
    }

    static StaticEntry nodeHost(String text, String origin, NodePattern nodes, int port) {
        return new StaticEntry(text, origin, nodes, null, null, port);
    }

    /** @return the nodes this entry is for */
    NodePattern nodes() {
        return nodes;
    }

    /** @return the IP literal, or {@code null} if the address needs a lookup */
    InetAddress literal() {
        return literal;
    }

    /**
     * @param node a node this entry matches
     * @return the host name to look up for it: the entry's host name, or the
     *         node's host when the entry's address is empty; {@code null} for a literal
     */
    String hostToResolve(NodeName node) {
        if (literal != null) {
            return null;
        }
        return hostName != null ? hostName : node.host();
    }

    /** @return the distribution port, 1-65535 */
    int port() {
        return port;
    }

    /** @return for example {@code static entry '*@*.svc=:4370' (static.nodes)} */
    String source() {
        return "static entry '" + text + "' (" + origin + ")";
    }

    @Override
    public String toString() {
        return source();
    }
}

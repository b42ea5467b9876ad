package io.srvepmd.spi;

import java.util.Objects;

/** One line of a node listing: a node and the port it listens on. Immutable. */
public final class NodeEntry {

    private final NodeName node;
    private final int port;

    private NodeEntry(NodeName node, int port) {
        this.node = node;
        this.port = port;
    }

    /**
     * @param node the node
     * @param port its distribution port, 1-65535
     * @return the entry
     * @throws IllegalArgumentException if the port is out of range
     */
    public static NodeEntry of(NodeName node, int port) {
        Objects.requireNonNull(node, "node");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " of " + node + " is out of range 1-65535");
        }
        return new NodeEntry(node, port);
    }

    /** @return the node */
    public NodeName node() {
        return node;
    }

    /** @return the distribution port */
    public int port() {
        return port;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeEntry && ((NodeEntry) o).node.equals(node) && ((NodeEntry) o).port == port;
    }

    @Override
    public int hashCode() {
        return node.hashCode() * 31 + port;
    }

    /** @return for example {@code node-0@svc:4370} */
    @Override
    public String toString() {
        return node + ":" + port;
    }
}

package io.srvepmd.spi;

import java.util.Objects;

/** One line of a node listing: a node and the port it listens on. */
public final class NodeEntry {

    private final NodeName node;
    private final int port;

    /**
     * @param node the node
     * @param port its distribution port, 1-65535
     */
    public NodeEntry(NodeName node, int port) {
        this.node = Objects.requireNonNull(node, "node");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " of " + node + " is out of range 1-65535");
        }
        this.port = port;
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

    @Override
    public String toString() {
        return node + ":" + port;
    }
}

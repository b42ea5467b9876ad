package io.srvepmd.agent;

import io.srvepmd.spi.NodeEntry;
import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.Resolution;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What each hooked JInterface method does, in plain Java: the hooks hand over
 * the JInterface objects, this class decides, {@link JInterfaceNodes} reads
 * and writes them.
 */
final class AgentCore {

    private final NodeResolver resolver;
    private final LocalNodes localNodes;
    private final ListenPorts listenPorts;
    private final JInterfaceNodes nodes;
    private final NodeListing listing;

    /**
     * The endpoints {@code lookupPort} chose, for the {@code createTransport}
     * that JInterface calls next on the same thread with only host and port.
     */
    private final ThreadLocal<PendingConnect> pending = new ThreadLocal<>();

    AgentCore(NodeResolver resolver, NodeListing listing, LocalNodes localNodes, ListenPorts listenPorts,
              JInterfaceNodes nodes) {
        this.resolver = resolver;
        this.listing = listing;
        this.localNodes = localNodes;
        this.listenPorts = listenPorts;
        this.nodes = nodes;
    }

    /** {@code OtpEpmd.publishPort}: no daemon; remember the node for self-lookups; give it a creation. */
    boolean publish(Object localNode) throws IOException {
        NodeName name = parse(nodes.name(localNode), "publish");
        localNodes.publish(name, nodes.listenPort(localNode));
        nodes.assignCreation(localNode, name.toString());
        nodes.markPublished(localNode);
        return true;
    }

    /** {@code OtpEpmd.unPublishPort}: forget the node; nothing goes on the network. */
    void unpublish(Object localNode) throws IOException {
        localNodes.unpublish(parse(nodes.name(localNode), "unpublish"));
    }

    /** {@code OtpEpmd.lookupPort}: resolve, order the candidates, leave epmd's answer fields on the peer. */
    int lookupPort(Object peer) throws IOException {
        NodeName name = parse(nodes.name(peer), "look up");
        Resolution r = resolver.resolve(name);
        List<InetSocketAddress> endpoints = CandidateOrder.endpoints(r.candidates(), ThreadLocalRandom.current());
        pending.set(new PendingConnect(name, endpoints));
        nodes.setPeerVersions(peer);
        return endpoints.get(0).getPort();
    }

    /**
     * {@code AbstractNode.createTransport(host, port)}: after our lookup, connect to the
     * resolved endpoints (not to the host part of the node name); otherwise behave as stock.
     */
    Object connect(Object peer, String host, int port) throws IOException {
        PendingConnect p = pending.get();
        String node = nodes.name(peer);
        if (p == null || !p.node.toString().equals(node)) {
            return nodes.connect(peer, host, port);
        }
        pending.remove();
        try {
            return nodes.connect(peer, node, p.endpoints);
        } catch (IOException e) {
            resolver.invalidate(p.node); // it may have moved: ask again next time
            throw e;
        }
    }

    /** {@code AbstractNode.createServerTransport(port)}: port 0 becomes ERL_DIST_PORT (not for helpers). */
    Object listen(Object localNode, int requested) throws IOException {
        String node = nodes.name(localNode);
        int port = listenPorts.choose(node, nodes.alive(localNode), requested);
        try {
            return nodes.listen(localNode, port);
        } catch (BindException e) {
            throw new IOException("srv-epmd: node " + node + " cannot listen on port " + port + ": "
                    + e.getMessage() + (requested == 0 && port != 0
                    ? " (port from dist.port/ERL_DIST_PORT; each node in a JVM needs its own port)" : ""), e);
        }
    }

    /** {@code OtpEpmd.lookupNames}: epmd's NAMES lines, from resolvers that can list. */
    String[] names() throws IOException {
        List<NodeEntry> entries = listing.list();
        String[] lines = new String[entries.size()];
        for (int i = 0; i < lines.length; i++) {
            NodeEntry e = entries.get(i);
            lines[i] = "name " + e.node().alive() + " at port " + e.port();
        }
        return lines;
    }

    private static NodeName parse(String node, String action) throws IOException {
        try {
            return NodeName.parse(node);
        } catch (IllegalArgumentException e) {
            throw new IOException("srv-epmd: cannot " + action + " node: " + e.getMessage(), e);
        }
    }

    private static final class PendingConnect {
        final NodeName node;
        final List<InetSocketAddress> endpoints;

        PendingConnect(NodeName node, List<InetSocketAddress> endpoints) {
            this.node = node;
            this.endpoints = endpoints;
        }
    }
}

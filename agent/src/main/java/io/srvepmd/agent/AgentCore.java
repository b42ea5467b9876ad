package io.srvepmd.agent;

import io.srvepmd.spi.NodeEntry;
import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.NodeNotFoundException;
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

    private final Telemetry telemetry;

    /**
     * The connection {@code lookupPortToConnect} resolved, for the
     * {@code connectPort} and {@code createTransport} that JInterface calls
     * next on the same thread (the latter with only host and port).
     */
    private final ThreadLocal<ConnectAttempts> pending = new ThreadLocal<>();

    AgentCore(NodeResolver resolver, NodeListing listing, LocalNodes localNodes, ListenPorts listenPorts,
              JInterfaceNodes nodes, Telemetry telemetry) {
        this.telemetry = telemetry;
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

    /**
     * {@code OtpEpmd.lookupPort} called directly: JInterface's contract, 0 for
     * a node that does not exist ("not registered"; the reason goes to the JFR
     * event and the DEBUG log), an exception when the resolvers could not find
     * out. Leaves epmd's answer fields on the peer.
     */
    int lookupPort(Object peer) throws IOException {
        NodeName name = parse(nodes.name(peer), "look up");
        Resolution r;
        try {
            r = resolver.resolve(name);
        } catch (NodeNotFoundException notRegistered) {
            return 0;
        }
        nodes.setPeerVersions(peer);
        return CandidateOrder.endpoints(r.candidates(), ThreadLocalRandom.current()).get(0).getPort();
    }

    /**
     * The lookup of {@code new AbstractConnection(self, peer)}: resolves, orders
     * the candidates for the connect that follows on this thread, and leaves
     * epmd's answer fields on the peer. A node that does not exist throws,
     * with the resolver's reason.
     */
    int lookupPortToConnect(Object peer) throws IOException {
        NodeName name = parse(nodes.name(peer), "connect to");
        Resolution r = resolver.resolve(name);
        List<InetSocketAddress> endpoints = CandidateOrder.endpoints(r.candidates(), ThreadLocalRandom.current());
        pending.set(new ConnectAttempts(name, endpoints, System.nanoTime()));
        nodes.setPeerVersions(peer);
        return endpoints.get(0).getPort();
    }

    /**
     * {@code AbstractNode.createTransport(host, port)}: within a connection the
     * agent resolved, connect to its next endpoints (not to the host part of the
     * node name); otherwise behave as stock.
     */
    Object connect(Object peer, String host, int port) throws IOException {
        ConnectAttempts attempts = pending.get();
        if (attempts == null || !attempts.node.toString().equals(nodes.name(peer))) {
            return nodes.connect(peer, host, port);
        }
        try {
            return nodes.connect(peer, attempts);
        } catch (IOException e) {
            resolver.invalidate(attempts.node); // it may have moved: ask again next time
            attempts.transportFailed(e);
            throw e;
        }
    }

    /**
     * The connect and distribution handshake of {@code new AbstractConnection(self, peer)}
     * (JInterface's {@code doPortConnect}). When an endpoint accepts but the handshake
     * fails, whatever answered is not the node: the cached answer is dropped and the
     * next endpoint is tried, within the same connect budget.
     */
    void connectPort(Object connection, int port) throws Exception {
        ConnectAttempts attempts = pending.get();
        if (attempts == null) {
            nodes.portConnect(connection, port);
            return;
        }
        try {
            while (true) {
                try {
                    nodes.portConnect(connection, port);
                    attempts.handshakeSucceeded();
                    return;
                } catch (Exception e) {
                    if (!attempts.handshaking()) {
                        IOException transport = attempts.transportFailure();
                        throw transport != null ? transport : e;
                    }
                    handshakeFailed(attempts, e);
                    if (!nodes.connector().canTryMore(attempts)) {
                        // A wrong cookie on the only endpoint stays JInterface's OtpAuthException.
                        throw attempts.attempted() == 1 && JInterfaceAccess.isAuthException(e) ? e
                                : nodes.connector().failure(attempts, e);
                    }
                    nodes.reopen(connection);
                }
            }
        } finally {
            pending.remove();
        }
    }

    private void handshakeFailed(ConnectAttempts attempts, Exception e) {
        String why = rootCause(e);
        InetSocketAddress endpoint = attempts.handshakeFailed(why);
        telemetry.handshakeFailed(attempts.node.toString(), endpoint, attempts.attempted(), why);
        resolver.invalidate(attempts.node);
    }

    /** @return the innermost cause, as {@code Type: message} (JInterface wraps it in "Cannot connect to peer node") */
    static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String type = t.getClass().getName();
        String simple = type.substring(type.lastIndexOf('.') + 1);
        return t.getMessage() == null ? simple : simple + ": " + t.getMessage();
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

}

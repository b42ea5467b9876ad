package io.srvepmd.agent;

import java.io.IOException;
import java.time.Duration;

/**
 * The JInterface operations the agent core needs, on nodes it receives as
 * plain objects: names, ports, creations, epmd's answer fields, and
 * transports (with failover across endpoints).
 */
final class JInterfaceNodes {

    private final JInterfaceAccess access;
    private final Creations creations = new Creations();
    private final Connector connector;

    /** @param tls mutual-TLS distribution, or null for plain TCP */
    JInterfaceNodes(Telemetry telemetry, Duration attemptTimeout, Duration totalTimeout, int maxAttempts,
            TlsTransports tls) {
        this.access = new JInterfaceAccess(tls);
        this.connector = new Connector(access, telemetry, Clock.SYSTEM, attemptTimeout.toMillis(),
                totalTimeout.toMillis(), maxAttempts);
    }

    public String name(Object node) throws IOException {
        return access.node(node);
    }

    public String alive(Object node) throws IOException {
        return access.alive(node);
    }

    public int listenPort(Object localNode) throws IOException {
        return access.localPort(localNode);
    }

    /** Leaves the node looking published, as a successful epmd registration would. */
    public void markPublished(Object localNode) throws IOException {
        access.markPublished(localNode);
    }

    /** Gives a local node a creation that differs from its previous incarnation. */
    public void assignCreation(Object localNode, String name) throws IOException {
        access.setCreation(localNode, creations.next(name, access.bigCreation(localNode)));
    }

    /** Leaves on a peer what epmd's PORT2 answer would have: node type, protocol and version range. */
    public void setPeerVersions(Object peer) throws IOException {
        access.setPeerVersions(peer);
    }

    /** Connects to the next endpoint that accepts; the message names every failed one. */
    public Object connect(Object peer, ConnectAttempts attempts) throws IOException {
        return connector.connect(peer, attempts);
    }

    Connector connector() {
        return connector;
    }

    /** Runs JInterface's own connect and handshake on a new connection; see {@link JInterfaceAccess#portConnect}. */
    public void portConnect(Object connection, int port) throws Exception {
        access.portConnect(connection, port);
    }

    /** Readies a connection whose handshake failed for another attempt. */
    public void reopen(Object connection) throws IOException {
        access.reopen(connection);
    }

    /** The stock behaviour of {@code createTransport(host, port)}. */
    public Object connect(Object peer, String host, int port) throws IOException {
        return access.connect(peer, host, port);
    }

    /** The stock behaviour of {@code createServerTransport(port)}. */
    public Object listen(Object localNode, int port) throws IOException {
        return access.listen(localNode, port);
    }
}

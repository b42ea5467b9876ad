package io.srvepmd.agent;

import io.srvepmd.spi.NodeName;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;

/**
 * One connection to a resolved node, across its attempts: the endpoints in the
 * order to try them, which one is next, when the connection began (one budget,
 * {@code connect.total-timeout}, covers every attempt), what each failed
 * attempt said, and the endpoint whose distribution handshake is under way.
 *
 * <p>An attempt fails when the TCP connect fails, and also when the connect
 * succeeds but the distribution handshake then fails: whatever accepted the
 * connection (another node now at that address and port, a proxy that accepts
 * everything, another service) is not the node. Both move on to the next
 * endpoint. Used by one thread, the one connecting.
 */
final class ConnectAttempts {

    final NodeName node;
    final List<InetSocketAddress> endpoints;
    final long startNanos;
    private final StringBuilder tried = new StringBuilder();
    private int next;
    private InetSocketAddress handshaking;
    private Socket handshakeSocket;
    private IOException transportFailure;

    ConnectAttempts(NodeName node, List<InetSocketAddress> endpoints, long startNanos) {
        this.node = node;
        this.endpoints = endpoints;
        this.startNanos = startNanos;
    }

    /** @return how many endpoints were tried */
    int attempted() {
        return next;
    }

    boolean hasUntried() {
        return next < endpoints.size();
    }

    /** @return the next endpoint to try, counted as tried */
    InetSocketAddress take() {
        return endpoints.get(next++);
    }

    /** A TCP connection to {@code endpoint} is open; its socket, if the agent made it, bounds the handshake. */
    void connected(InetSocketAddress endpoint, Socket socket) {
        handshaking = endpoint;
        handshakeSocket = socket;
    }

    /** @return whether a connection is open and its handshake not yet judged */
    boolean handshaking() {
        return handshaking != null;
    }

    /**
     * The handshake succeeded: the connection is JInterface's from now on, with
     * blocking reads without a timeout, as stock.
     */
    void handshakeSucceeded() throws SocketException {
        Socket s = handshakeSocket;
        handshaking = null;
        handshakeSocket = null;
        if (s != null) {
            s.setSoTimeout(0);
        }
    }

    /** @return the endpoint whose handshake failed, now recorded as a failed attempt */
    InetSocketAddress handshakeFailed(String why) {
        InetSocketAddress endpoint = handshaking;
        failed(endpoint, "distribution handshake failed: " + why);
        handshaking = null;
        handshakeSocket = null;
        return endpoint;
    }

    void failed(InetSocketAddress endpoint, String why) {
        tried.append(tried.length() == 0 ? "" : ", ").append(Connector.literal(endpoint)).append(" (").append(why)
                .append(')');
    }

    /** @return the attempts so far, for example {@code 10.0.0.7:4370 (Connection refused), ...} */
    String tried() {
        return tried.toString();
    }

    /** No endpoint accepted: the connector's error, for the constructor to throw rather than JInterface's. */
    void transportFailed(IOException e) {
        transportFailure = e;
    }

    IOException transportFailure() {
        return transportFailure;
    }
}

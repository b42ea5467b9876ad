package io.srvepmd.agent;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The listening side of TLS distribution, as JInterface's
 * {@code OtpServerTransport} (a {@link Proxy} of that interface from the
 * node's own class loader: the agent cannot link against JInterface types).
 *
 * <p>{@code accept()} never fails because of TLS: if it throws once,
 * JInterface's acceptor thread ends and the node stops accepting for good. It
 * only accepts TCP and wraps the socket; the TLS handshake, which requires a
 * client certificate ({@code need}, as OTP's {@code fail_if_no_peer_cert}), runs
 * on the connection's first read, bounded by {@code connect.timeout}, and a
 * failure there ends that connection only. Only a failure of the listening
 * socket itself (closed by the node) leaves {@code accept()}.
 */
final class TlsServerTransport implements InvocationHandler {

    private final ServerSocket server;
    private final JInterfaceBridge bridge;
    private final TlsSettings settings;
    private final TlsContexts contexts;
    private final TlsStats stats;

    private TlsServerTransport(ServerSocket server, JInterfaceBridge bridge, TlsSettings settings,
            TlsContexts contexts, TlsStats stats) {
        this.server = server;
        this.bridge = bridge;
        this.settings = settings;
        this.contexts = contexts;
        this.stats = stats;
    }

    /**
     * @param serverTransport JInterface's {@code OtpServerTransport} interface, from the node's class loader
     * @param bridge the same JInterface's bridge, which wraps accepted sockets in {@code OtpSocketTransport}
     * @param port the port to listen on, 0 for any, bound as JInterface's own {@code new ServerSocket(port)}
     */
    static Object listen(Class<?> serverTransport, JInterfaceBridge bridge, int port, TlsSettings settings,
            TlsContexts contexts, TlsStats stats) throws IOException {
        ServerSocket server = new ServerSocket(port);
        return Proxy.newProxyInstance(serverTransport.getClassLoader(), new Class<?>[] {serverTransport},
                new TlsServerTransport(server, bridge, settings, contexts, stats));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws IOException {
        switch (method.getName()) {
            case "accept":
                return accept();
            case "getLocalPort":
                return server.getLocalPort();
            case "close":
                server.close();
                return null;
            case "hashCode":
                return System.identityHashCode(proxy);
            case "equals":
                return proxy == args[0];
            case "toString":
                return "srv-epmd TLS listener on " + server.getLocalSocketAddress();
            default:
                throw new UnsupportedOperationException(method.toString());
        }
    }

    private Object accept() throws IOException {
        while (true) {
            Socket s = server.accept(); // the only failure that may leave: the listener itself
            try {
                return bridge.socketTransport(wrap(s));
            } catch (Throwable t) { // whatever it is, it concerns this connection only
                close(s);
                AgentLog.warn("cannot set up TLS for the connection from " + s.getRemoteSocketAddress()
                        + ", closed it: " + t);
            }
        }
    }

    private DistTlsSocket wrap(Socket s) throws IOException {
        s.setTcpNoDelay(true);
        InetSocketAddress from = (InetSocketAddress) s.getRemoteSocketAddress();
        TlsMaterial m = contexts.forNewConnection();
        SSLSocket ssl = (SSLSocket) m.context.getSocketFactory().createSocket(s, from.getHostString(),
                from.getPort(), true);
        ssl.setUseClientMode(false);
        SSLParameters p = ssl.getSSLParameters();
        TlsDialer.common(p, settings);
        p.setNeedClientAuth(true);
        ssl.setSSLParameters(p);
        return new DistTlsSocket(ssl, new DistTlsSocket.Peer(false, Connector.literal(from)), stats,
                settings.acceptHandshakeMillis);
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // it is being dropped anyway
        }
    }
}

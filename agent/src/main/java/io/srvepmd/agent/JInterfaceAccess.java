package io.srvepmd.agent;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Reads and writes the JInterface state the hooks need, through the {@link JInterfaceBridge} of
 * the object's own JInterface copy.
 *
 * <p>The agent is loaded by the bootstrap (or system) class loader and JInterface may live in any
 * loader below it (a fat-jar launcher's, say), so the agent cannot link against JInterface types;
 * it receives them as {@code Object}s, and each copy gets its own bridge, written into that copy's
 * package and loader once ({@link ClassValue}). Bridges work with 1.6.1 (a package-private
 * {@code creation} field, {@code doConnect}) and 1.13+ ({@code setCreation}, {@code doPortConnect}).
 */
final class JInterfaceAccess implements Connector.Dialer {

    static final String PACKAGE = "com.ericsson.otp.erlang.";
    static final int NTYPE_R6 = 110;

    /**
     * The distribution versions epmd reports for a node of OTP 23 or later
     * (5-6). JInterface 1.13+ picks its version before the lookup and learns
     * the peer's range in the handshake, so it ignores these; 1.6.1 checks them
     * against its own 5-5 right after the lookup, and 5-6 overlaps it. A
     * setting for them would change nothing a user can observe.
     */
    static final int DIST_LOW = 5;
    static final int DIST_HIGH = 6;

    /** The copy of a JInterface node class (OtpPeer, OtpSelf, OtpNode, the program's subclasses). */
    private static final ClassValue<Copy> NODE_COPIES = new ClassValue<>() {
        @Override
        protected Copy computeValue(Class<?> type) {
            return Copy.of(superclass(type, "AbstractNode"));
        }
    };

    /** The copy of a JInterface connection class. */
    private static final ClassValue<Copy> CONNECTION_COPIES = new ClassValue<>() {
        @Override
        protected Copy computeValue(Class<?> type) {
            return Copy.of(superclass(type, "AbstractConnection"));
        }
    };

    /** Mutual-TLS distribution, or null: plain TCP, and no TLS class loaded. */
    private final TlsTransports tls;

    JInterfaceAccess() {
        this(null);
    }

    JInterfaceAccess(TlsTransports tls) {
        this.tls = tls;
    }

    /** @return the full name ({@code alive@host}) of a JInterface node */
    public String node(Object node) {
        return bridge(node).node(node);
    }

    /** @return the alive part of a JInterface node's name */
    public String alive(Object node) {
        return bridge(node).alive(node);
    }

    /** @return the listen port of an {@code OtpLocalNode} */
    public int localPort(Object localNode) {
        return bridge(localNode).port(localNode);
    }

    /** @return whether this JInterface uses 32-bit creations (1.13+: OTP 23 and later) */
    public boolean bigCreation(Object node) {
        return bridge(node).bigCreation();
    }

    /** Gives a local node the creation epmd would have handed out. */
    public void setCreation(Object localNode, int creation) throws IOException {
        try {
            bridge(localNode).setCreation(localNode, creation);
        } catch (Exception e) { // 1.13+'s OtpErlangDecodeException: a creation out of range
            throw new IOException("srv-epmd: cannot give " + localNode + " the creation " + creation + ": " + e, e);
        }
    }

    /**
     * Gives a local node the stand-in for an epmd connection that a
     * successful publish leaves: {@code OtpSelf.publishPort()} reports success
     * by checking it, and closing the node closes it. It holds no socket.
     */
    public void markPublished(Object localNode) {
        JInterfaceBridge b = bridge(localNode);
        b.setEpmd(localNode, b.socketTransport(new Socket()));
    }

    /** Leaves on a peer what epmd's PORT2 answer would have: node type, protocol and version range. */
    public void setPeerVersions(Object peer) {
        bridge(peer).setPeerVersions(peer, NTYPE_R6, 0, DIST_HIGH, DIST_LOW);
    }

    /**
     * Connects within {@code timeoutMillis}: over TLS when it is on (its socket bounds the TLS and
     * distribution handshakes itself); else through the node's transport factory: the stock socket
     * factory's connect is ours, with a timeout, and the socket's reads bounded by it too until the
     * handshake is over (see {@link ConnectAttempts#handshakeSucceeded}); a factory of the program's
     * own gets the peer's host name with the resolved address, and is abandoned at the timeout.
     */
    @Override
    public Connector.Dialed connect(Object node, InetSocketAddress to, int timeoutMillis) throws IOException {
        Copy copy = copy(node);
        JInterfaceBridge b = copy.bridge;
        Object factory = b.transportFactory(node);
        boolean stock = factory.getClass() == copy.socketFactory;
        if (tls != null) {
            if (!stock) {
                tls.replacingFactory(b.node(node), factory);
            }
            return new Connector.Dialed(wrap(b, tls.connect(b.host(node), to, timeoutMillis), to), null);
        }
        if (stock) {
            return socketTransport(b, to, timeoutMillis);
        }
        InetAddress named = InetAddress.getByAddress(b.host(node), to.getAddress().getAddress());
        return new Connector.Dialed(FactoryDial.connect(b, factory, named, to.getPort(), timeoutMillis), null);
    }

    /**
     * Runs the connection's {@code doPortConnect(port)} ({@code doConnect(port)}
     * in 1.6.1): the transport, then the distribution handshake. JInterface's
     * {@code OtpAuthException} comes out as itself.
     */
    public void portConnect(Object connection, int port) throws Exception {
        try {
            CONNECTION_COPIES.get(connection.getClass()).bridge.portConnect(connection, port);
        } catch (Error e) {
            throw new IOException("srv-epmd: connect failed: " + e, e);
        }
    }

    /**
     * Readies a connection whose handshake failed for another attempt:
     * JInterface's {@code close()} marked it done, which would end its reader
     * thread as soon as it started.
     */
    public void reopen(Object connection) throws IOException {
        DoneFlag.clear(superclass(connection.getClass(), "AbstractConnection"), connection);
    }

    /** @return whether {@code t} is JInterface's {@code OtpAuthException} (of any copy) */
    static boolean isAuthException(Throwable t) {
        return t != null && t.getClass().getName().equals(PACKAGE + "OtpAuthException");
    }

    /** What the unmodified {@code createTransport(host, port)} does: ask the factory. */
    public Object connect(Object node, String host, int port) throws IOException {
        JInterfaceBridge b = bridge(node);
        try {
            return b.createTransport(b.transportFactory(node), host, port);
        } catch (RuntimeException e) {
            throw new IOException("srv-epmd: createTransport failed: " + e, e);
        }
    }

    /** What the unmodified {@code createServerTransport(port)} does: ask the factory; over TLS when it is on. */
    public Object listen(Object node, int port) throws IOException {
        Copy copy = copy(node);
        JInterfaceBridge b = copy.bridge;
        Object factory = b.transportFactory(node);
        if (tls != null) {
            if (factory.getClass() != copy.socketFactory) {
                tls.replacingFactory(b.node(node), factory);
            }
            return tls.listen(copy.serverTransport(), b, port);
        }
        try {
            return b.createServerTransport(factory, port);
        } catch (RuntimeException e) {
            throw new IOException("srv-epmd: createServerTransport failed: " + e, e);
        }
    }

    /** Like the stock {@code OtpSocketTransport(InetAddress, int)}, plus a connect and handshake timeout. */
    private static Connector.Dialed socketTransport(JInterfaceBridge b, InetSocketAddress to, int timeoutMillis)
            throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(to, timeoutMillis);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(timeoutMillis);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return new Connector.Dialed(wrap(b, socket, to), socket);
    }

    /** A connected socket as JInterface's {@code OtpSocketTransport}. */
    private static Object wrap(JInterfaceBridge b, Socket socket, InetSocketAddress to) throws IOException {
        try {
            return b.socketTransport(socket);
        } catch (RuntimeException | LinkageError e) {
            socket.close();
            throw new IOException("srv-epmd: cannot wrap the socket to " + to + " in OtpSocketTransport: " + e, e);
        }
    }

    /** @return the bridge of the copy {@code abstractNode} (its {@code AbstractNode}) belongs to */
    static JInterfaceBridge bridgeFor(Class<?> abstractNode) {
        return JInterfaceBridge.of(abstractNode);
    }

    private static Copy copy(Object node) {
        return NODE_COPIES.get(node.getClass());
    }

    private static JInterfaceBridge bridge(Object node) {
        return copy(node).bridge;
    }

    private static Class<?> superclass(Class<?> type, String simpleName) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(PACKAGE + simpleName)) {
                return c;
            }
        }
        throw new IllegalArgumentException(type.getName() + " is not a JInterface " + simpleName);
    }

    /** One JInterface copy: its bridge, and the classes the agent compares with or hands to TLS. */
    private static final class Copy {
        final JInterfaceBridge bridge;
        final Class<?> socketFactory;
        private final ClassLoader loader;

        private Copy(JInterfaceBridge bridge, Class<?> socketFactory, ClassLoader loader) {
            this.bridge = bridge;
            this.socketFactory = socketFactory;
            this.loader = loader;
        }

        /** @param jinterfaceClass {@code AbstractNode} or {@code AbstractConnection} of the copy */
        static Copy of(Class<?> jinterfaceClass) {
            ClassLoader loader = jinterfaceClass.getClassLoader();
            try {
                Class<?> abstractNode = Class.forName(PACKAGE + "AbstractNode", false, loader);
                return new Copy(JInterfaceBridge.of(abstractNode),
                        Class.forName(PACKAGE + "OtpSocketTransportFactory", false, loader), loader);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("unsupported JInterface version: " + e, e);
            }
        }

        /** @return JInterface's {@code OtpServerTransport} interface (TLS makes a proxy of it) */
        Class<?> serverTransport() throws IOException {
            try {
                return Class.forName(PACKAGE + "OtpServerTransport", false, loader);
            } catch (ClassNotFoundException e) {
                throw new IOException("srv-epmd: unsupported JInterface version: " + e, e);
            }
        }
    }

}

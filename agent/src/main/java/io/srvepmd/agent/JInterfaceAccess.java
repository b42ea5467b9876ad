package io.srvepmd.agent;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Reads and writes the JInterface state the hooks need, by reflection.
 *
 * <p>The agent is loaded by the system class loader and JInterface may live in
 * any loader below it (a fat-jar launcher's, say), so the agent cannot link
 * against JInterface types; it receives them as {@code Object}s and reaches
 * their members through the classes of that very object. Members are looked
 * up once per JInterface copy ({@link ClassValue}) and work with 1.6.1 (a
 * package-private {@code creation} field) and 1.13+ ({@code setCreation}).
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

    private static final ClassValue<Members> MEMBERS = new ClassValue<>() {
        @Override
        protected Members computeValue(Class<?> type) {
            return new Members(abstractNode(type));
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
    public String node(Object node) throws IOException {
        return (String) invoke(members(node).node, node);
    }

    /** @return the alive part of a JInterface node's name */
    public String alive(Object node) throws IOException {
        return (String) invoke(members(node).alive, node);
    }

    /** @return the listen port of an {@code OtpLocalNode} */
    public int localPort(Object localNode) throws IOException {
        Method port = method(localNode.getClass(), "port");
        return (Integer) invoke(port, localNode);
    }

    /** @return whether this JInterface uses 32-bit creations (1.13+: OTP 23 and later) */
    public boolean bigCreation(Object node) {
        return members(node).setCreation != null;
    }

    /** Gives a local node the creation epmd would have handed out. */
    public void setCreation(Object localNode, int creation) throws IOException {
        Members m = members(localNode);
        if (m.setCreation != null) {
            invoke(m.setCreation, localNode, creation);
        } else {
            setInt(m.creation, localNode, creation);
        }
    }

    /**
     * Gives a local node the stand-in for an epmd connection that a
     * successful publish leaves: {@code OtpSelf.publishPort()} reports success
     * by checking it, and closing the node closes it. It holds no socket.
     */
    public void markPublished(Object localNode) throws IOException {
        Members m = members(localNode);
        try {
            Object placeholder = m.socketTransport.newInstance(new Socket());
            invoke(m.setEpmd, localNode, placeholder);
        } catch (ReflectiveOperationException e) {
            throw new IOException("srv-epmd: cannot mark " + localNode + " published: " + e, e);
        }
    }

    /** Leaves on a peer what epmd's PORT2 answer would have: node type, protocol and version range. */
    public void setPeerVersions(Object peer) throws IOException {
        Members m = members(peer);
        setInt(m.ntype, peer, NTYPE_R6);
        setInt(m.proto, peer, 0);
        setInt(m.distHigh, peer, DIST_HIGH);
        setInt(m.distLow, peer, DIST_LOW);
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
        Members m = members(node);
        Object factory = get(m.transportFactory, node);
        boolean stock = factory.getClass() == m.socketFactoryClass;
        if (tls != null) {
            if (!stock) {
                tls.replacingFactory((String) invoke(m.node, node), factory);
            }
            return new Connector.Dialed(wrap(m, tls.connect((String) invoke(m.host, node), to, timeoutMillis), to),
                    null);
        }
        if (stock) {
            return socketTransport(m, to, timeoutMillis);
        }
        InetAddress named = InetAddress.getByAddress((String) invoke(m.host, node), to.getAddress().getAddress());
        return new Connector.Dialed(FactoryDial.connect(factory, m.createTransportByAddress, m.closeTransport, named,
                to.getPort(), timeoutMillis), null);
    }

    /**
     * Runs the connection's {@code doPortConnect(port)} ({@code doConnect(port)}
     * in 1.6.1): the transport, then the distribution handshake. JInterface's
     * {@code OtpAuthException} comes out as itself.
     */
    public void portConnect(Object connection, int port) throws Exception {
        try {
            CONNECTIONS.get(connection.getClass()).portConnect.invoke(connection, port);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception) {
                throw (Exception) cause;
            }
            throw new IOException("srv-epmd: connect failed: " + cause, cause);
        }
    }

    /**
     * Readies a connection whose handshake failed for another attempt:
     * JInterface's {@code close()} marked it done, which would end its reader
     * thread as soon as it started.
     */
    public void reopen(Object connection) throws IOException {
        Field done = CONNECTIONS.get(connection.getClass()).done;
        try {
            done.setBoolean(connection, false);
        } catch (IllegalAccessException e) {
            throw new IOException("srv-epmd: cannot write " + done + ": " + e, e);
        }
    }

    /** @return whether {@code t} is JInterface's {@code OtpAuthException} (of any copy) */
    static boolean isAuthException(Throwable t) {
        return t != null && t.getClass().getName().equals(PACKAGE + "OtpAuthException");
    }

    /** What the unmodified {@code createTransport(host, port)} does: ask the factory. */
    public Object connect(Object node, String host, int port) throws IOException {
        Members m = members(node);
        return invoke(m.createTransportByHost, get(m.transportFactory, node), host, port);
    }

    /** What the unmodified {@code createServerTransport(port)} does: ask the factory; over TLS when it is on. */
    public Object listen(Object node, int port) throws IOException {
        Members m = members(node);
        Object factory = get(m.transportFactory, node);
        if (tls != null) {
            if (factory.getClass() != m.socketFactoryClass) {
                tls.replacingFactory((String) invoke(m.node, node), factory);
            }
            return tls.listen(m.serverTransport, m.socketTransport, port);
        }
        return invoke(m.createServerTransport, factory, port);
    }

    /** Like the stock {@code OtpSocketTransport(InetAddress, int)}, plus a connect and handshake timeout. */
    private static Connector.Dialed socketTransport(Members m, InetSocketAddress to, int timeoutMillis)
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
        return new Connector.Dialed(wrap(m, socket, to), socket);
    }

    /** A connected socket as JInterface's {@code OtpSocketTransport}. */
    private static Object wrap(Members m, Socket socket, InetSocketAddress to) throws IOException {
        try {
            return m.socketTransport.newInstance(socket);
        } catch (ReflectiveOperationException | RuntimeException e) {
            socket.close();
            throw new IOException("srv-epmd: cannot wrap the socket to " + to + " in OtpSocketTransport: " + e, e);
        }
    }

    private static final ClassValue<ConnectionMembers> CONNECTIONS = new ClassValue<>() {
        @Override
        protected ConnectionMembers computeValue(Class<?> type) {
            return new ConnectionMembers(superclass(type, "AbstractConnection"));
        }
    };

    private static Members members(Object node) {
        return MEMBERS.get(node.getClass());
    }

    private static Class<?> abstractNode(Class<?> type) {
        return superclass(type, "AbstractNode");
    }

    private static Class<?> superclass(Class<?> type, String simpleName) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(PACKAGE + simpleName)) {
                return c;
            }
        }
        throw new IllegalArgumentException(type.getName() + " is not a JInterface " + simpleName);
    }

    private static Method method(Class<?> type, String name, Class<?>... params) {
        try {
            Method m = type.getMethod(name, params);
            m.setAccessible(true); // public members of a possibly non-public subclass
            return m;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("JInterface without " + type.getName() + "." + name, e);
        }
    }

    private static Object invoke(Method m, Object target, Object... args) throws IOException {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            throw new IOException("srv-epmd: " + m.getName() + " failed: " + cause, cause);
        } catch (IllegalAccessException e) {
            throw new IOException("srv-epmd: cannot call " + m + ": " + e, e);
        }
    }

    private static Object get(Field f, Object target) throws IOException {
        try {
            return f.get(target);
        } catch (IllegalAccessException e) {
            throw new IOException("srv-epmd: cannot read " + f + ": " + e, e);
        }
    }

    private static void setInt(Field f, Object target, int value) throws IOException {
        try {
            f.setInt(target, value);
        } catch (IllegalAccessException e) {
            throw new IOException("srv-epmd: cannot write " + f + ": " + e, e);
        }
    }

    /**
     * The members of {@code AbstractConnection} the connect hook needs: the
     * method that connects and shakes hands ({@code doPortConnect(int)} from
     * 1.13, {@code doConnect(int)} before) and the flag {@code close()} sets.
     */
    private static final class ConnectionMembers {
        final Method portConnect;
        final Field done;

        ConnectionMembers(Class<?> abstractConnection) {
            Method m = Members.optionalDeclared(abstractConnection, "doPortConnect", int.class);
            if (m == null) {
                m = Members.optionalDeclared(abstractConnection, "doConnect", int.class);
            }
            if (m == null) {
                throw new IllegalStateException("unsupported JInterface version: " + abstractConnection.getName()
                        + " has neither doPortConnect(int) nor doConnect(int)");
            }
            portConnect = m;
            try {
                done = Members.field(abstractConnection, "done");
            } catch (NoSuchFieldException e) {
                throw new IllegalStateException("unsupported JInterface version: " + e, e);
            }
        }
    }

    /** The members of one JInterface copy, resolved through its own class loader. */
    private static final class Members {
        final Method node;
        final Method host;
        final Method alive;
        final Method setCreation;
        final Field creation;
        final Field ntype;
        final Field proto;
        final Field distHigh;
        final Field distLow;
        final Field transportFactory;
        final Method createTransportByHost;
        final Method createTransportByAddress;
        final Method createServerTransport;
        final Class<?> serverTransport;
        final Method closeTransport;
        final Class<?> socketFactoryClass;
        final Constructor<?> socketTransport;
        final Method setEpmd;

        Members(Class<?> abstractNode) {
            try {
                ClassLoader loader = abstractNode.getClassLoader();
                node = method(abstractNode, "node");
                host = method(abstractNode, "host");
                alive = method(abstractNode, "alive");
                setCreation = optionalDeclared(abstractNode, "setCreation", int.class);
                creation = setCreation == null ? field(abstractNode, "creation") : null;
                ntype = field(abstractNode, "ntype");
                proto = field(abstractNode, "proto");
                distHigh = field(abstractNode, "distHigh");
                distLow = field(abstractNode, "distLow");
                transportFactory = field(abstractNode, "transportFactory");
                Class<?> factory = Class.forName(PACKAGE + "OtpTransportFactory", false, loader);
                createTransportByHost = method(factory, "createTransport", String.class, int.class);
                createTransportByAddress = method(factory, "createTransport", InetAddress.class, int.class);
                createServerTransport = method(factory, "createServerTransport", int.class);
                serverTransport = Class.forName(PACKAGE + "OtpServerTransport", false, loader);
                socketFactoryClass = Class.forName(PACKAGE + "OtpSocketTransportFactory", false, loader);
                socketTransport = Class.forName(PACKAGE + "OtpSocketTransport", false, loader)
                        .getConstructor(Socket.class);
                Class<?> transport = Class.forName(PACKAGE + "OtpTransport", false, loader);
                closeTransport = method(transport, "close");
                setEpmd = Class.forName(PACKAGE + "OtpLocalNode", false, loader)
                        .getDeclaredMethod("setEpmd", transport);
                setEpmd.setAccessible(true);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("unsupported JInterface version: " + e, e);
            }
        }

        static Method optionalDeclared(Class<?> type, String name, Class<?>... params) {
            try {
                Method m = type.getDeclaredMethod(name, params);
                m.setAccessible(true);
                return m;
            } catch (NoSuchMethodException e) {
                return null;
            }
        }

        static Field field(Class<?> type, String name) throws NoSuchFieldException {
            Field f = type.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        }
    }
}

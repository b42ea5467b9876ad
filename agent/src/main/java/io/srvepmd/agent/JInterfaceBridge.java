package io.srvepmd.agent;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.net.InetAddress;
import java.net.Socket;

/**
 * The agent's calls into one JInterface copy, as plain method calls: {@link BridgeWriter} writes a
 * subclass into JInterface's own package and class loader, whose methods cast their arguments to
 * the JInterface types and call their members directly (package-private ones included).
 *
 * <p>Why not reflection: since JDK 18, {@code Method.invoke} and {@code Field.get}/{@code set} run
 * on method handles, and the first call of each shape makes the JVM generate classes (lambda forms,
 * bound-method-handle species). A first contact made some 20 of them on JDK 25 — about 25 ms of CPU
 * and 6 MiB of peak memory (A/B against {@code -Djdk.reflect.useNativeAccessorOnly=true}). Defining
 * this one class costs well under a millisecond.
 *
 * <p>Public only because the generated subclass lives in another package; not an API.
 */
public abstract class JInterfaceBridge {

    /** The instance the class being defined hands over from its static initialiser. */
    private static JInterfaceBridge handedOver;

    /**
     * One slot per JInterface copy ({@code AbstractNode} class), filled once under the class lock:
     * threads racing to a copy's first use all get the one bridge. Held by the class itself, so a
     * class loader that goes away takes its bridge along.
     */
    private static final ClassValue<JInterfaceBridge[]> SLOTS = new ClassValue<>() {
        @Override
        protected JInterfaceBridge[] computeValue(Class<?> abstractNode) {
            return new JInterfaceBridge[1];
        }
    };

    protected JInterfaceBridge() {
    }

    /**
     * Called by the static initialiser of the generated class only, while {@link #of} holds the
     * lock: the way to get an instance without a reflective constructor call.
     *
     * @param bridge the generated class's instance
     */
    public static void handOver(JInterfaceBridge bridge) {
        synchronized (JInterfaceBridge.class) {
            handedOver = bridge;
        }
    }

    /**
     * @param abstractNode a JInterface copy's {@code com.ericsson.otp.erlang.AbstractNode}
     * @return that copy's bridge, defined on first use
     * @throws IllegalStateException when the bridge cannot be defined
     */
    static JInterfaceBridge of(Class<?> abstractNode) {
        JInterfaceBridge[] slot = SLOTS.get(abstractNode);
        synchronized (JInterfaceBridge.class) {
            if (slot[0] == null) {
                slot[0] = define(abstractNode);
            }
            return slot[0];
        }
    }

    /** Defines a bridge class in {@code abstractNode}'s package; the caller holds the class lock. */
    private static JInterfaceBridge define(Class<?> abstractNode) {
        LinkageError taken = null;
        // A name another copy of the agent took in this loader gets a successor.
        for (int n = 0; n < 10; n++) {
            try {
                byte[] bytes = BridgeWriter.write(abstractNode, n);
                Class<?> bridge = MethodHandles.privateLookupIn(abstractNode, MethodHandles.lookup()).defineClass(bytes);
                handedOver = null;
                Class.forName(bridge.getName(), true, bridge.getClassLoader()); // runs handOver
                JInterfaceBridge b = handedOver;
                handedOver = null;
                if (b == null) {
                    throw new IllegalStateException(bridge.getName() + " handed nothing over");
                }
                return b;
            } catch (LinkageError e) {
                if (e.getClass() != LinkageError.class) { // a VerifyError, a class the loader cannot see
                    throw new IllegalStateException("cannot define the agent's bridge into "
                            + abstractNode.getName() + "'s package: " + e, e);
                }
                taken = e; // a duplicate class definition
            } catch (IllegalAccessException | ClassNotFoundException e) {
                throw new IllegalStateException("cannot define the agent's bridge into " + abstractNode.getName()
                        + "'s package: " + e, e);
            }
        }
        throw new IllegalStateException("cannot define the agent's bridge into " + abstractNode.getName()
                + "'s package: " + taken, taken);
    }

    /** @return {@code AbstractNode.node()}: the full name, {@code alive@host} */
    public abstract String node(Object node);

    /** @return {@code AbstractNode.host()} */
    public abstract String host(Object node);

    /** @return {@code AbstractNode.alive()} */
    public abstract String alive(Object node);

    /** @return {@code OtpLocalNode.port()}: the listen port */
    public abstract int port(Object localNode);

    /** @return whether this JInterface has 32-bit creations (1.13+: OTP 23 and later) */
    public abstract boolean bigCreation();

    /** {@code setCreation(int)} (1.13+), or the package-private {@code creation} field (1.6.1). */
    public abstract void setCreation(Object localNode, int creation) throws Exception;

    /** Writes the fields epmd's PORT2 answer sets on a peer. */
    public abstract void setPeerVersions(Object node, int ntype, int proto, int distHigh, int distLow);

    /** @return the node's {@code transportFactory} */
    public abstract Object transportFactory(Object node);

    /** @return {@code OtpTransportFactory.createTransport(String, int)} */
    public abstract Object createTransport(Object factory, String host, int port) throws IOException;

    /** @return {@code OtpTransportFactory.createTransport(InetAddress, int)} */
    public abstract Object createTransport(Object factory, InetAddress address, int port) throws IOException;

    /** @return {@code OtpTransportFactory.createServerTransport(int)} */
    public abstract Object createServerTransport(Object factory, int port) throws IOException;

    /** {@code OtpTransport.close()}. */
    public abstract void close(Object transport) throws IOException;

    /** @return {@code new OtpSocketTransport(socket)} */
    public abstract Object socketTransport(Socket socket);

    /** {@code OtpLocalNode.setEpmd(transport)}. */
    public abstract void setEpmd(Object localNode, Object transport);

    /**
     * {@code AbstractConnection.doPortConnect(port)} ({@code doConnect(port)} in 1.6.1): connect and
     * shake hands. Throws what it throws, JInterface's {@code OtpAuthException} included.
     */
    public abstract void portConnect(Object connection, int port) throws Exception;
}

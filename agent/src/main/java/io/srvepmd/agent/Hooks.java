package io.srvepmd.agent;

import java.io.IOException;

/**
 * The static entry points the rewritten JInterface methods call; each is the
 * whole body of one JInterface method. They only guard the host program:
 * whatever goes wrong reaches it as the {@link IOException} JInterface
 * declares, never as a RuntimeException or Error. The work is in
 * {@link AgentCore}.
 *
 * <p>Public because the rewritten classes may live in any class loader; the
 * agent jar is on the system class path, which every ordinary loader reaches.
 */
public final class Hooks {

    private static volatile AgentCore core;
    /** Set when JInterface could be hooked only in part: every hook then fails with it. */
    private static volatile String refusal;

    private Hooks() {
    }

    static void install(AgentCore installed) {
        core = installed;
    }

    static void refuse(String message) {
        refusal = message;
    }

    /** Body of {@code OtpEpmd.publishPort(OtpLocalNode)}. */
    public static boolean publishPort(Object localNode) throws IOException {
        try {
            return core().publish(localNode);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw internal("publishPort", t);
        }
    }

    /** Body of {@code OtpEpmd.unPublishPort(OtpLocalNode)}; like the original, it never throws. */
    public static void unPublishPort(Object localNode) {
        try {
            core().unpublish(localNode);
        } catch (Throwable t) {
            // The original ignores failures too: closing a node must not fail.
        }
    }

    /**
     * Body of {@code OtpEpmd.lookupPort(AbstractNode)}, for its direct callers:
     * as stock, 0 means "not registered" and an exception means "could not ask".
     */
    public static int lookupPort(Object peer) throws IOException {
        try {
            return core().lookupPort(peer);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw internal("lookupPort", t);
        }
    }

    /**
     * Replaces the {@code OtpEpmd.lookupPort} call of the constructor
     * {@code AbstractConnection(OtpLocalNode, OtpPeer)}: "no such node" throws,
     * naming the resolver and what it said, rather than JInterface's
     * "No remote node found".
     */
    public static int lookupPortToConnect(Object peer) throws IOException {
        try {
            return core().lookupPortToConnect(peer);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw internal("lookupPort", t);
        }
    }

    /**
     * Replaces the {@code doPortConnect(int)} ({@code doConnect(int)} in 1.6.1)
     * call of that constructor: the connect and distribution handshake, tried
     * on the node's next candidate when the handshake fails. JInterface's
     * {@code OtpAuthException} passes through unchanged, though it is not
     * declared here (the agent cannot name JInterface's types).
     */
    public static void connectPort(Object connection, int port) throws IOException {
        try {
            core().connectPort(connection, port);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            if (JInterfaceAccess.isAuthException(t)) {
                throw Sneaky.<RuntimeException>raise(t);
            }
            throw internal("connect", t);
        }
    }

    /** Body of every {@code OtpEpmd.lookupNames(..)} overload. */
    public static String[] lookupNames() throws IOException {
        try {
            return core().names();
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw internal("lookupNames", t);
        }
    }

    /** Body of {@code AbstractNode.createTransport(String, int)}. */
    public static Object createTransport(Object node, String host, int port) throws IOException {
        try {
            return core().connect(node, host, port);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw internal("createTransport", t);
        }
    }

    /** Body of {@code AbstractNode.createServerTransport(int)}. */
    public static Object createServerTransport(Object node, int port) throws IOException {
        try {
            return core().listen(node, port);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw internal("createServerTransport", t);
        }
    }

    private static AgentCore core() throws IOException {
        String refused = refusal;
        if (refused != null) {
            throw new IOException(refused);
        }
        AgentCore c = core;
        if (c == null) {
            throw new IOException("srv-epmd: the agent did not finish starting; see the message it printed");
        }
        return c;
    }

    private static IOException internal(String hook, Throwable t) {
        return new IOException("srv-epmd: internal error in " + hook + ": " + t, t);
    }
}

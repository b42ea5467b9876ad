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

    /** Body of {@code OtpEpmd.lookupPort(AbstractNode)}. */
    public static int lookupPort(Object peer) throws IOException {
        try {
            return core().lookupPort(peer);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw internal("lookupPort", t);
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

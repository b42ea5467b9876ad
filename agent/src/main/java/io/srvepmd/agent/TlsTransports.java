package io.srvepmd.agent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mutual-TLS distribution ({@code tls.enabled=true}): what the two JInterface
 * seams call, the dialer for connections this node makes and the listener for
 * those it accepts, over one set of settings, material and counters. Created
 * only when TLS is on: with it off, no TLS class of the agent is loaded.
 */
final class TlsTransports {

    final TlsSettings settings;
    final TlsStats stats;
    final TlsContexts contexts;
    private final TlsDialer dialer;
    /** Transport factories already named in the log. */
    private final Set<String> factoriesNamed = ConcurrentHashMap.newKeySet();

    private TlsTransports(TlsSettings settings, TlsStats stats, TlsContexts contexts) {
        this.settings = settings;
        this.stats = stats;
        this.contexts = contexts;
        this.dialer = new TlsDialer(settings, contexts, stats);
    }

    /** Reads and checks the settings and files: any problem is a configuration error (one line, exit 78). */
    static TlsTransports start(Settings settings, CoreSettings core) throws ConfigException {
        TlsSettings s = TlsSettings.from(settings, core.connectTimeout().toMillis());
        TlsStats stats = new TlsStats();
        return new TlsTransports(s, stats, TlsContexts.start(s, stats));
    }

    /** A connection this node makes: TCP, then TLS, within {@code timeoutMillis}. */
    Socket connect(String peerHost, InetSocketAddress to, int timeoutMillis) throws IOException {
        return dialer.connect(peerHost, to, timeoutMillis);
    }

    /** The listener of a node: a JInterface {@code OtpServerTransport} that speaks TLS. */
    Object listen(Class<?> serverTransport, JInterfaceBridge bridge, int port) throws IOException {
        return TlsServerTransport.listen(serverTransport, bridge, port, settings, contexts, stats);
    }

    /**
     * Says once per factory class that TLS replaces a transport factory the program set itself: with
     * {@code tls.enabled=true} every distribution connection is TLS, so the agent's transport wins.
     */
    void replacingFactory(String node, Object factory) {
        String name = factory.getClass().getName();
        if (factoriesNamed.add(name)) {
            AgentLog.warn("node " + node + " was created with its own transport factory " + name + "; with"
                    + " tls.enabled=true the agent's TLS transport replaces it for every distribution connection"
                    + " (set tls.enabled=false to let " + name + " make them)");
        }
    }
}

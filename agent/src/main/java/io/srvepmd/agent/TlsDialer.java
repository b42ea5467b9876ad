package io.srvepmd.agent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Makes one distribution connection over TLS, as OTP's {@code inet_tls_dist}
 * client does: TCP to the resolved endpoint, then a TLS client handshake that
 * presents this node's certificate, sends SNI equal to the host part of the
 * node name dialled, and checks the server's certificate against that name
 * (not the SRV target or the address, which only say where to connect). The
 * whole attempt, TCP, TLS and the distribution handshake after it, stays
 * within the attempt's bound.
 */
final class TlsDialer {

    private final TlsSettings settings;
    private final TlsContexts contexts;
    private final TlsStats stats;

    TlsDialer(TlsSettings settings, TlsContexts contexts, TlsStats stats) {
        this.settings = settings;
        this.contexts = contexts;
        this.stats = stats;
    }

    /**
     * @param peerHost the host part of the peer's node name: SNI and the name its certificate must carry
     * @return the connection after a completed TLS handshake
     * @throws IOException if TCP or TLS failed; a TLS failure's message names its reason
     */
    DistTlsSocket connect(String peerHost, InetSocketAddress to, int timeoutMillis) throws IOException {
        long start = System.nanoTime();
        Socket tcp = new Socket();
        try {
            tcp.connect(to, timeoutMillis);
            tcp.setTcpNoDelay(true);
            long left = timeoutMillis - (System.nanoTime() - start) / 1_000_000;
            if (left <= 0) {
                throw new SocketTimeoutException("connected after the attempt's " + timeoutMillis + " ms");
            }
            String host = hostName(peerHost);
            TlsMaterial m = contexts.forNewConnection();
            SSLSocket ssl = (SSLSocket) m.context.getSocketFactory().createSocket(tcp, host, to.getPort(), true);
            ssl.setUseClientMode(true);
            ssl.setSSLParameters(clientParameters(ssl.getSSLParameters(), host));
            DistTlsSocket s = new DistTlsSocket(ssl, new DistTlsSocket.Peer(true, host + " at "
                    + Connector.literal(to)), stats, left);
            s.handshake();
            return s;
        } catch (IOException | RuntimeException e) {
            tcp.close();
            throw e;
        }
    }

    /** A node name's host part as a TLS name: without the trailing dot a fully qualified name may have. */
    static String hostName(String host) {
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    SSLParameters clientParameters(SSLParameters p, String host) {
        common(p, settings);
        if (settings.hostnameCheck) {
            p.setEndpointIdentificationAlgorithm("HTTPS"); // RFC 2818/6125 host-name matching
        }
        if (!isAddressLiteral(host)) {
            try {
                p.setServerNames(List.<SNIServerName>of(new SNIHostName(host)));
            } catch (IllegalArgumentException notADnsName) {
                p.setServerNames(List.<SNIServerName>of()); // e.g. a short name with '_': no SNI, as OTP
            }
        }
        return p;
    }

    /** What both roles share: the versions and, if set, the cipher suites. */
    static void common(SSLParameters p, TlsSettings settings) {
        p.setProtocols(settings.versions.toArray(new String[0]));
        if (!settings.ciphers.isEmpty()) {
            p.setCipherSuites(settings.ciphers.toArray(new String[0]));
        }
    }

    static boolean isAddressLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }
}

package io.srvepmd.agent;

import javax.net.ssl.SSLSession;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JFR event {@code io.srvepmd.TlsHandshake}: one TLS handshake of a distribution connection. */
@Name("io.srvepmd.TlsHandshake")
@Label("Distribution TLS Handshake")
@Category("srv-epmd")
@Description("One TLS handshake of a distribution connection the srv-epmd agent made or accepted")
@StackTrace(false)
final class TlsHandshakeEvent extends jdk.jfr.Event {

    @Label("Role")
    @Description("client (a connection this node made) or server (one it accepted)")
    String role;

    @Label("Peer")
    @Description("The node's host and endpoint (client), or the peer's address (server)")
    String peer;

    @Label("Outcome")
    @Description("ok, or the reason it failed (untrusted-peer, timeout, not-tls, ...)")
    String outcome;

    @Label("Detail")
    @Description("The JDK's words for a failure")
    String detail;

    @Label("Protocol")
    String protocol;

    @Label("Cipher Suite")
    String cipherSuite;

    @Label("Peer Certificate")
    @Description("The subject of the peer's certificate")
    String peerCertificate;

    /** @return a started event, or null if no recording could see it (the JFR classes load only then) */
    static Object start() {
        if (!Telemetry.flightRecorderRunning()) {
            return null;
        }
        TlsHandshakeEvent e = new TlsHandshakeEvent();
        if (!e.isEnabled()) {
            return null;
        }
        e.begin();
        return e;
    }

    /** Ends and commits {@code started} (from {@link #start()}; null: nothing to do). */
    static void end(Object started, DistTlsSocket.Peer peer, TlsFailure failure, String detail, SSLSession session) {
        if (started == null) {
            return;
        }
        TlsHandshakeEvent e = (TlsHandshakeEvent) started;
        e.end();
        if (!e.shouldCommit()) {
            return;
        }
        e.role = peer.client ? "client" : "server";
        e.peer = peer.name;
        e.outcome = failure == null ? "ok" : failure.label;
        e.detail = detail;
        if (session != null) {
            e.protocol = session.getProtocol();
            e.cipherSuite = session.getCipherSuite();
            try {
                e.peerCertificate = session.getPeerPrincipal().getName();
            } catch (javax.net.ssl.SSLPeerUnverifiedException unverified) {
                e.peerCertificate = null;
            }
        }
        e.commit();
    }
}

package io.srvepmd.agent;

import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLSession;

/**
 * What operators see of TLS: handshakes by outcome and reason (JMX
 * {@code io.srvepmd:type=Tls}, JFR {@code io.srvepmd.TlsHandshake}, the log),
 * reloads of the files, and this node's certificate.
 *
 * <p>A refused handshake is logged at WARNING: the first of each reason at
 * once, then at most one line per reason per {@value #WARN_INTERVAL_SECONDS} s
 * with the count left out meanwhile, so a port scanner cannot flood the
 * host's log. Every failure is logged at DEBUG.
 */
final class TlsStats {

    static final long WARN_INTERVAL_SECONDS = 60;

    final LongAdder handshakes = new LongAdder();
    final LongAdder failedHandshakes = new LongAdder();
    private final LongAdder[] byReason = new LongAdder[TlsFailure.values().length];
    private final long[] lastWarned = new long[TlsFailure.values().length];
    private final long[] unwarned = new long[TlsFailure.values().length];
    final LongAdder reloads = new LongAdder();
    final LongAdder reloadFailures = new LongAdder();
    volatile String lastReloadFailure;
    private volatile X509Certificate certificate;

    TlsStats() {
        for (int i = 0; i < byReason.length; i++) {
            byReason[i] = new LongAdder();
            lastWarned[i] = System.nanoTime() - WARN_INTERVAL_SECONDS * 1_000_000_000L;
        }
    }

    /**
     * One handshake ended: {@code failure} null when it succeeded (then {@code session} is its session).
     *
     * @param jfr the event {@link TlsHandshakeEvent#start()} returned when it began
     */
    void handshake(Object jfr, DistTlsSocket.Peer peer, TlsFailure failure, String detail, SSLSession session) {
        handshakes.increment();
        if (failure != null) {
            failedHandshakes.increment();
            byReason[failure.ordinal()].increment();
            log(peer, failure, detail);
        }
        TlsHandshakeEvent.end(jfr, peer, failure, detail, session);
    }

    private void log(DistTlsSocket.Peer peer, TlsFailure failure, String detail) {
        String line = "TLS handshake " + (peer.client ? "with " : "from ") + peer.name + " refused: " + failure.label
                + ": " + failure.meaning + " (" + detail + ")";
        if (AgentLog.debugging()) {
            AgentLog.debug(line);
        }
        int i = failure.ordinal();
        long more;
        synchronized (lastWarned) {
            long now = System.nanoTime();
            if (now - lastWarned[i] < WARN_INTERVAL_SECONDS * 1_000_000_000L) {
                unwarned[i]++;
                return;
            }
            lastWarned[i] = now;
            more = unwarned[i];
            unwarned[i] = 0;
        }
        AgentLog.warn(line + (more == 0 ? "" : "; " + more + " more refused for this reason since the last such"
                + " line"));
    }

    long failures(TlsFailure reason) {
        return byReason[reason.ordinal()].sum();
    }

    void material(TlsMaterial m) {
        certificate = m.certificate();
    }

    void reloaded(TlsMaterial m) {
        reloads.increment();
        material(m);
    }

    void reloadFailed(String why) {
        reloadFailures.increment();
        lastReloadFailure = why;
    }

    X509Certificate certificate() {
        return certificate;
    }

    /** Days (fractional) until this node's certificate expires; negative once it has. */
    double expiryDays(long nowMillis) {
        X509Certificate c = certificate;
        return c == null ? Double.NaN : (c.getNotAfter().getTime() - nowMillis) / 86_400_000.0;
    }
}

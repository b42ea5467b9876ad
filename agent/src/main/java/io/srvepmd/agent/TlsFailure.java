package io.srvepmd.agent;

import java.io.EOFException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import javax.net.ssl.SSLHandshakeException;

/**
 * Why a TLS handshake failed, as operators count and read it: a fixed set of
 * reasons (JMX has one counter each, JFR and the log carry the name and the
 * JDK's own words).
 */
enum TlsFailure {
    /** The peer accepted TCP but did not finish the handshake in time. */
    TIMEOUT("timeout", "the peer did not complete the TLS handshake in time (is it a TLS node?)"),
    /** The peer sent something that is not TLS: a plain-TCP distribution node, most likely. */
    NOT_TLS("not-tls", "the peer does not speak TLS (a node without -proto_dist inet_tls, or tls.enabled=false)"),
    /** The peer closed the connection during the handshake without an alert. */
    CLOSED("closed", "the peer closed the connection during the TLS handshake (it may refuse our certificate,"
            + " or not speak TLS)"),
    /** The peer's certificate does not chain to a CA of tls.cacertfile. */
    UNTRUSTED_PEER("untrusted-peer", "the peer's certificate is not issued by a CA in tls.cacertfile"),
    /** A client presented no certificate. */
    NO_PEER_CERTIFICATE("no-peer-certificate", "the peer presented no certificate (client certificates are"
            + " required)"),
    /** The peer's certificate has expired or is not yet valid. */
    PEER_CERTIFICATE_EXPIRED("peer-certificate-expired", "the peer's certificate has expired or is not yet valid"),
    /** The server's certificate does not name the host of the node name dialled. */
    HOSTNAME_MISMATCH("hostname-mismatch", "the peer's certificate does not name the host part of its node name"),
    /** The peer's certificate is revoked, or its revocation could not be checked. */
    PEER_REVOKED("peer-revoked", "the peer's certificate is revoked, or tls.crlfile has no CRL of its issuer"),
    /** The peer sent a fatal alert: it refused us (our certificate, most likely). */
    REFUSED_BY_PEER("refused-by-peer", "the peer refused the handshake"),
    /** No protocol version or cipher suite in common. */
    NO_COMMON_PROTOCOL("no-common-protocol", "no TLS version or cipher suite in common (tls.versions,"
            + " tls.ciphers)"),
    /** Anything else (an I/O error, a reset). */
    OTHER("other", "the TLS handshake failed");

    final String label;
    final String meaning;

    TlsFailure(String label, String meaning) {
        this.label = label;
        this.meaning = meaning;
    }

    /** The reason for a failed handshake, from the exception the JDK threw. */
    static TlsFailure of(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return TIMEOUT;
            }
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
                return PEER_CERTIFICATE_EXPIRED;
            }
            if (t instanceof CertPathValidatorException) {
                CertPathValidatorException.Reason r = ((CertPathValidatorException) t).getReason();
                if (r == CertPathValidatorException.BasicReason.REVOKED
                        || r == CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS) {
                    return PEER_REVOKED;
                }
                if (r == CertPathValidatorException.BasicReason.EXPIRED
                        || r == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                    return PEER_CERTIFICATE_EXPIRED;
                }
            }
        }
        String m = messages(e);
        if (m.contains("received fatal alert")) {
            return m.contains("protocol_version") ? NO_COMMON_PROTOCOL : REFUSED_BY_PEER;
        }
        if (m.contains("unsupported or unrecognized ssl message") || m.contains("plaintext connection")) {
            return NOT_TLS;
        }
        if (m.contains("no subject alternative") || m.contains("no name matching")) {
            return HOSTNAME_MISMATCH;
        }
        if (m.contains("empty client certificate chain") || m.contains("empty server certificate chain")) {
            return NO_PEER_CERTIFICATE;
        }
        if (m.contains("pkix path") || m.contains("unable to find valid certification path")
                || m.contains("no trusted certificate") || m.contains("path does not chain")) {
            return UNTRUSTED_PEER;
        }
        if (m.contains("no appropriate protocol") || m.contains("no negotiable cipher") || m.contains("not accepted by"
                + " server preferences")
                || m.contains("client requested protocol") || m.contains("no cipher suites in common")) {
            return NO_COMMON_PROTOCOL;
        }
        if (e instanceof EOFException || m.contains("remote host terminated") || m.contains("connection reset")
                || m.contains("socket closed") || m.contains("broken pipe")
                || e instanceof SSLHandshakeException && e.getCause() instanceof EOFException) {
            return CLOSED;
        }
        return e instanceof SocketException ? CLOSED : OTHER;
    }

    private static String messages(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            b.append(t.getMessage()).append(" | ");
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }

    /** The JDK's words for it: the innermost message that says something. */
    static String detail(Throwable e) {
        String detail = String.valueOf(e.getMessage());
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isEmpty()) {
                detail = t.getMessage();
            }
        }
        return detail;
    }
}

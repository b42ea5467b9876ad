package io.srvepmd.agent;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.management.AttributeNotFoundException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;

/**
 * JMX MBean {@code io.srvepmd:type=Tls}, registered when {@code tls.enabled=true}:
 * TLS handshakes by outcome (a counter per failure reason), reloads of the
 * files, and this node's certificate with the days until it expires.
 */
final class TlsMBean extends ReadOnlyMBean {

    static final String OBJECT_NAME = "io.srvepmd:type=Tls";

    private final TlsTransports tls;

    TlsMBean(TlsTransports tls) {
        this.tls = tls;
    }

    /** The attribute of a failure reason: {@code FailedUntrustedPeer} for {@code untrusted-peer}. */
    static String attribute(TlsFailure reason) {
        StringBuilder b = new StringBuilder("Failed");
        for (String word : reason.label.split("-")) {
            b.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
        }
        return b.toString();
    }

    @Override
    public Object getAttribute(String name) throws AttributeNotFoundException {
        TlsStats s = tls.stats;
        X509Certificate c = s.certificate();
        switch (name) {
            case "Handshakes":
                return s.handshakes.sum();
            case "FailedHandshakes":
                return s.failedHandshakes.sum();
            case "Reloads":
                return s.reloads.sum();
            case "ReloadFailures":
                return s.reloadFailures.sum();
            case "LastReloadFailure":
                return s.lastReloadFailure == null ? "" : s.lastReloadFailure;
            case "CertificateExpiryDays":
                return s.expiryDays(System.currentTimeMillis());
            case "CertificateSubject":
                return c.getSubjectX500Principal().getName();
            case "CertificateIssuer":
                return c.getIssuerX500Principal().getName();
            case "CertificateNotAfter":
                return TlsMaterial.date(c.getNotAfter());
            case "Versions":
                return tls.settings.versionsText();
            default:
                for (TlsFailure f : TlsFailure.values()) {
                    if (attribute(f).equals(name)) {
                        return s.failures(f);
                    }
                }
                throw new AttributeNotFoundException(name);
        }
    }

    @Override
    public Object invoke(String operation, Object[] params, String[] signature) {
        throw new UnsupportedOperationException(operation);
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        List<MBeanAttributeInfo> a = new ArrayList<>();
        a.add(counter("Handshakes", "TLS handshakes of distribution connections, made and accepted"));
        a.add(counter("FailedHandshakes", "TLS handshakes that failed, every reason"));
        for (TlsFailure f : TlsFailure.values()) {
            a.add(counter(attribute(f), "TLS handshakes that failed: " + f.label + ": " + f.meaning));
        }
        a.add(counter("Reloads", "Times changed TLS files were loaded for new connections"));
        a.add(counter("ReloadFailures", "Times changed TLS files could not be used (the previous ones stay)"));
        a.add(text("LastReloadFailure", "Why the TLS files last could not be used; empty if never"));
        a.add(new MBeanAttributeInfo("CertificateExpiryDays", "double", "Days until this node's certificate"
                + " expires (a gauge; negative once it has)", true, false, false));
        a.add(text("CertificateSubject", "Subject of this node's certificate"));
        a.add(text("CertificateIssuer", "Issuer of this node's certificate"));
        a.add(text("CertificateNotAfter", "When this node's certificate expires"));
        a.add(text("Versions", "TLS versions offered"));
        return new MBeanInfo(TlsMBean.class.getName(), "The srv-epmd agent's TLS distribution",
                a.toArray(new MBeanAttributeInfo[0]), null, new MBeanOperationInfo[0], null);
    }

    private static MBeanAttributeInfo counter(String name, String description) {
        return new MBeanAttributeInfo(name, "long", description, true, false, false);
    }

    private static MBeanAttributeInfo text(String name, String description) {
        return new MBeanAttributeInfo(name, "java.lang.String", description, true, false, false);
    }
}

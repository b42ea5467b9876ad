package io.srvepmd.agent;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code tls.*} settings, read and checked once at start-up. Named after
 * the options of OTP's {@code ssl_dist.conf} ({@code certfile}, {@code keyfile},
 * {@code cacertfile}, {@code password}, {@code versions}, {@code ciphers}) and,
 * where unset, with OTP's defaults: both TLS 1.2 and 1.3 offered, the JDK's
 * default cipher suites, no revocation check, and the server's host name
 * checked by a client.
 *
 * <p>Loaded only when {@code tls.enabled=true}: the key names are compile-time
 * constants, so {@link CoreSettings#KEYS} names them without loading this class.
 */
final class TlsSettings {

    static final String ENABLED = "tls.enabled";
    static final String CERTFILE = "tls.certfile";
    static final String KEYFILE = "tls.keyfile";
    static final String CACERTFILE = "tls.cacertfile";
    static final String PASSWORD = "tls.password";
    static final String VERSIONS = "tls.versions";
    static final String CIPHERS = "tls.ciphers";
    static final String CRLFILE = "tls.crlfile";
    static final String HOSTNAME_CHECK = "tls.hostname-check";

    /** OTP's names for the versions JSSE and OTP share, with the JSSE name of each. */
    private static final String[][] VERSION_NAMES = {{"tlsv1.3", "TLSv1.3"}, {"tlsv1.2", "TLSv1.2"}};

    final Path certfile;
    final Path keyfile;
    final Path cacertfile;
    final Optional<Path> crlfile;
    final char[] password;
    /** JSSE protocol names, e.g. {@code TLSv1.3}. */
    final List<String> versions;
    /** JSSE cipher suite names; empty means the JDK's defaults. */
    final List<String> ciphers;
    final boolean hostnameCheck;
    /** How long an accepted connection may take for TLS and the distribution handshake. */
    final long acceptHandshakeMillis;
    private final Settings settings;

    private TlsSettings(Settings s, long acceptHandshakeMillis) throws ConfigException {
        this.settings = s;
        this.acceptHandshakeMillis = acceptHandshakeMillis;
        try {
            keyfile = path(s, KEYFILE);
            certfile = s.get(CERTFILE).isPresent() ? path(s, CERTFILE) : null;
            cacertfile = path(s, CACERTFILE);
            crlfile = s.get(CRLFILE).isPresent() ? Optional.of(path(s, CRLFILE)) : Optional.empty();
            password = s.get(PASSWORD).isPresent() ? s.get(PASSWORD).get().toCharArray() : null;
            versions = versions(s);
            ciphers = s.getList(CIPHERS, List.of());
            hostnameCheck = s.getBoolean(HOSTNAME_CHECK, true);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /**
     * @param acceptHandshakeMillis the bound of an accepted connection's handshakes ({@code connect.timeout})
     */
    static TlsSettings from(Settings s, long acceptHandshakeMillis) throws ConfigException {
        return new TlsSettings(s, acceptHandshakeMillis);
    }

    private static Path path(Settings s, String key) {
        String value = s.require(key);
        try {
            return Paths.get(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(s.describe(key) + "='" + value + "' is not a file path: "
                    + e.getMessage());
        }
    }

    private static List<String> versions(Settings s) {
        List<String> given = s.getList(VERSIONS, List.of("tlsv1.3", "tlsv1.2"));
        List<String> out = new ArrayList<>();
        for (String v : given) {
            String jsse = jsseVersion(v);
            if (jsse == null) {
                throw new IllegalArgumentException(s.describe(VERSIONS) + " has '" + v + "'; use tlsv1.2 and/or"
                        + " tlsv1.3 (OTP's names; older versions are refused by OTP and the JDK alike)");
            }
            if (!out.contains(jsse)) {
                out.add(jsse);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(s.describe(VERSIONS) + " is empty; name tlsv1.2, tlsv1.3 or both");
        }
        return out;
    }

    private static String jsseVersion(String v) {
        String lower = v.toLowerCase(Locale.ROOT).replace("'", "");
        for (String[] n : VERSION_NAMES) {
            if (n[0].equals(lower)) {
                return n[1];
            }
        }
        return null;
    }

    /** Which setting names a file, for messages: {@code agent argument tls.keyfile=/etc/tls/key.pem}. */
    String describe(String key, Path file) {
        return settings.describe(key) + "=" + file;
    }

    /** The certificate chain's file: {@code tls.certfile}, or the key file when that is a PKCS#12 store. */
    Path certificateFile() {
        return certfile != null ? certfile : keyfile;
    }

    /** Every file the TLS material comes from, in a fixed order, for change detection. */
    List<Path> files() {
        List<Path> files = new ArrayList<>(Arrays.asList(keyfile, certificateFile(), cacertfile));
        if (crlfile.isPresent()) {
            files.add(crlfile.get());
        }
        return files;
    }

    /** The versions as OTP writes them, for messages and status. */
    String versionsText() {
        List<String> names = new ArrayList<>();
        for (String v : versions) {
            names.add(v.toLowerCase(Locale.ROOT));
        }
        return String.join(",", names);
    }
}

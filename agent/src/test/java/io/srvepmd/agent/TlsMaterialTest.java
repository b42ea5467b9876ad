package io.srvepmd.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up checks of the TLS settings and files: every refusal is one line naming the setting, the file
 * and the fix; a certificate no CA of the bundle issued is accepted with a warning.
 */
class TlsMaterialTest {

    private static TlsMaterial load(String agentArgs) throws ConfigException {
        TlsSettings s = TestPki.tlsSettings(agentArgs);
        return TlsMaterial.load(s, TlsContexts.Snapshot.read(s.files()), new Date());
    }

    private static void assertRefused(String agentArgs, String... parts) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(agentArgs));
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
        }
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void aGoodIdentityLoadsWithoutWarnings() throws ConfigException {
        TlsMaterial m = load(TestPki.args("rsa.pem", "rsa.key", "ca.pem", ""));
        assertEquals("CN=node rsa", m.certificate().getSubjectX500Principal().getName());
        assertEquals(List.of(), m.warnings);
        assertEquals("TLS", m.context.getProtocol());
    }

    @Test
    void theLeafGoesFirstWhateverTheFileOrder(@TempDir Path dir) throws Exception {
        Path reversed = dir.resolve("reversed.pem");
        Files.writeString(reversed, Files.readString(TestPki.file("int.pem"))
                + Files.readString(TestPki.file("chain-leaf.pem")));
        TlsMaterial m = load("tls.enabled=true,tls.certfile=" + reversed + ",tls.keyfile=" + TestPki.file("chain.key")
                + ",tls.cacertfile=" + TestPki.file("ca.pem"));
        assertEquals("CN=node chain", m.certificate().getSubjectX500Principal().getName());
        assertEquals(2, m.chain.size());
        assertEquals(List.of(), m.warnings, "the intermediate completes the chain to the root");
    }

    @Test
    void aPkcs12KeyFileNeedsNoCertFile() throws ConfigException {
        TlsMaterial m = load("tls.enabled=true,tls.keyfile=" + TestPki.file("rsa.p12") + ",tls.password=s3cret,"
                + "tls.cacertfile=" + TestPki.file("ca.pem"));
        assertEquals("PKCS#12", m.keyFormat);
        assertEquals("CN=node rsa", m.certificate().getSubjectX500Principal().getName());
    }

    @Test
    void everyCaOfTheBundleIsAnAnchor(@TempDir Path dir) throws Exception {
        Path bundle = dir.resolve("bundle.pem");
        Files.writeString(bundle, Files.readString(TestPki.file("other-ca.pem")) + Files.readString(TestPki.file(
                "ca.pem")));
        TlsMaterial m = load(TestPki.args("rsa.pem", "rsa.key", "ca.pem", "").replace(
                TestPki.file("ca.pem").toString(), bundle.toString()));
        assertEquals(2, m.cas.size());
        assertEquals(List.of(), m.warnings, "the second CA of the bundle issued our certificate");
    }

    @Test
    void notIssuedByABundleCaIsAWarningNotARefusal() throws ConfigException {
        TlsMaterial m = load(TestPki.args("other.pem", "other.key", "ca.pem", ""));
        assertEquals(1, m.warnings.size(), m.warnings.toString());
        assertTrue(m.warnings.get(0).contains("does not chain to a CA in agent argument tls.cacertfile="
                + TestPki.file("ca.pem")), m.warnings.get(0));
    }

    @Test
    void missingAndUnreadableFiles() {
        assertRefused(TestPki.args("rsa.pem", "nope.key", "ca.pem", ""), "agent argument tls.keyfile=",
                "nope.key does not exist; check the path");
        assertRefused(TestPki.args("rsa.pem", "rsa.key", "ca.pem", "").replace(TestPki.file("ca.pem").toString(),
                TestPki.dir().toString()), "tls.cacertfile=" + TestPki.dir(), "a directory");
        assertRefused("tls.enabled=true,tls.certfile=" + TestPki.file("rsa.pem") + ",tls.cacertfile="
                + TestPki.file("ca.pem"), "setting tls.keyfile is not set; set it with -Dsrvepmd.tls.keyfile=");
    }

    @Test
    void filesOfTheWrongKind() {
        assertRefused(TestPki.args("rsa.key", "rsa.key", "ca.pem", ""), "tls.certfile=", "holds no certificate"
                + " (found: PRIVATE KEY)", "give a PEM file of X.509 certificates");
        assertRefused(TestPki.args("rsa.pem", "rsa.pem", "ca.pem", ""), "tls.keyfile=", "holds no private key");
        assertRefused(TestPki.args("rsa.pem", "rsa.key", "rsa.key", ""), "tls.cacertfile=", "holds no certificate");
        assertRefused(TestPki.args("rsa.pem", "rsa.key", "ca.pem", "tls.crlfile=" + TestPki.file("ca.pem")),
                "tls.crlfile=", "holds no certificate revocation list");
    }

    @Test
    void aKeyThatIsNotTheCertificates() {
        assertRefused(TestPki.args("rsa.pem", "ec.key", "ca.pem", ""), "tls.keyfile=", "(PKCS#8 EC) is not the key"
                + " of the certificate in agent argument tls.certfile=", "'CN=node rsa'", "give the key");
        assertRefused(TestPki.args("rsa.pem", "other.key", "ca.pem", ""), "is not the key of the certificate");
    }

    @Test
    void ourOwnCertificateOutOfItsValidity() {
        assertRefused(TestPki.args("expired.pem", "rsa.key", "ca.pem", ""), "tls.certfile=",
                "the certificate 'CN=node expired' expired on 2020-01-02 00:00:00 UTC; install a renewed certificate");
        assertRefused(TestPki.args("future.pem", "rsa.key", "ca.pem", ""), "'CN=node future' is not valid before"
                + " 2099-01-01 00:00:00 UTC; check this host's clock");
    }

    @Test
    void settingsValues() {
        assertRefused(TestPki.args("rsa.pem", "rsa.key", "ca.pem", "tls.versions=tlsv1.1"),
                "agent argument tls.versions has 'tlsv1.1'; use tlsv1.2 and/or tlsv1.3");
        assertRefused(TestPki.args("rsa.pem", "rsa.key", "ca.pem", "tls.hostname-check=maybe"),
                "tls.hostname-check");
    }

    @Test
    void versionsInOtpsNames() throws ConfigException {
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), TestPki.tlsSettings(TestPki.args("rsa.pem", "rsa.key",
                "ca.pem", "")).versions);
        assertEquals(List.of("TLSv1.2"), TestPki.tlsSettings(TestPki.args("rsa.pem", "rsa.key", "ca.pem",
                "tls.versions='tlsv1.2'")).versions);
    }

    @Test
    void thePasswordIsNeverShown() throws ConfigException {
        Settings s = TestPki.settings(TestPki.args("rsa.pem", "rsa-enc.key", "ca.pem", "tls.password=s3cret"));
        assertTrue(s.explicitSettings().contains("tls.password=(hidden)  (agent argument tls.password)"),
                s.explicitSettings().toString());
        assertTrue(!String.join(" ", s.explicitSettings()).contains("s3cret"));
    }
}

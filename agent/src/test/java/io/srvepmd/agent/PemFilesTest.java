package io.srvepmd.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every key format users have, as openssl writes it, read with the JDK and matched to its certificate. */
class PemFilesTest {

    private static final char[] PASSWORD = "s3cret".toCharArray();

    private static PublicKey certKey(String cert) throws Exception {
        return PemFiles.certificates(TestPki.bytes(cert)).get(0).getPublicKey();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "rsa.key, rsa.pem, PKCS#8, RSA",
        "rsa-pkcs1.key, rsa.pem, PKCS#1 RSA, RSA",
        "rsa-enc.key, rsa.pem, encrypted PKCS#8, RSA",
        "rsa.p12, rsa.pem, PKCS#12, RSA",
        "ec-sec1.key, ec.pem, SEC1 EC, EC",
        "ec.key, ec.pem, PKCS#8, EC",
    })
    void everyFormatReadsAndMatchesItsCertificate(String key, String cert, String format, String algorithm)
            throws Exception {
        PemFiles.KeyAndChain k = PemFiles.privateKey(TestPki.bytes(key), PASSWORD);
        assertEquals(format, k.format);
        assertEquals(algorithm, k.key.getAlgorithm());
        assertTrue(TlsMaterial.matches(k.key, certKey(cert)), key + " is the key of " + cert);
        assertTrue(!TlsMaterial.matches(k.key, certKey("other.pem")), key + " is not the key of other.pem");
    }

    @Test
    void aPkcs12StoreBringsItsChain() throws Exception {
        PemFiles.KeyAndChain k = PemFiles.privateKey(TestPki.bytes("rsa.p12"), PASSWORD);
        assertEquals(1, k.chain.size());
        assertEquals("CN=node rsa", k.chain.get(0).getSubjectX500Principal().getName());
    }

    @Test
    void ed25519FromPkcs8(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("ed.key");
        Process p = new ProcessBuilder("openssl", "genpkey", "-algorithm", "ed25519", "-out", key.toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl genpkey ed25519");
        assertEquals("EdDSA", PemFiles.privateKey(Files.readAllBytes(key), null).key.getAlgorithm());
    }

    @Test
    void aKeyBesideItsCertificateInOneFile() throws Exception {
        byte[] both = (Files.readString(TestPki.file("rsa.pem")) + Files.readString(TestPki.file("rsa-pkcs1.key")))
                .getBytes(StandardCharsets.US_ASCII);
        assertEquals("PKCS#1 RSA", PemFiles.privateKey(both, null).format);
        assertEquals(1, PemFiles.certificates(both).size());
    }

    @Test
    void theWholeChainInFileOrder() throws Exception {
        List<X509Certificate> chain = PemFiles.certificates(TestPki.bytes("chain.pem"));
        assertEquals(2, chain.size());
        assertEquals("CN=node chain", chain.get(0).getSubjectX500Principal().getName());
        assertEquals("CN=srv-epmd test intermediate CA", chain.get(1).getSubjectX500Principal().getName());
    }

    @Test
    void crls() throws Exception {
        assertEquals(1, PemFiles.crls(TestPki.bytes("crl.pem")).size());
    }

    @Test
    void wrongKinds() throws Exception {
        assertProblem(() -> PemFiles.privateKey(TestPki.bytes("rsa.pem"), null),
                "holds no private key (found: CERTIFICATE)");
        assertProblem(() -> PemFiles.certificates(TestPki.bytes("rsa.key")),
                "holds no certificate (found: PRIVATE KEY)");
        assertProblem(() -> PemFiles.crls(TestPki.bytes("ca.pem")), "holds no certificate revocation list");
        assertProblem(() -> PemFiles.privateKey("not a key".getBytes(StandardCharsets.US_ASCII), null),
                "is neither PEM nor a PKCS#12 store");
    }

    @Test
    void passwords() throws Exception {
        assertProblem(() -> PemFiles.privateKey(TestPki.bytes("rsa-enc.key"), null), "tls.password is not set");
        assertProblem(() -> PemFiles.privateKey(TestPki.bytes("rsa-enc.key"), "wrong".toCharArray()),
                "wrong password?");
        assertProblem(() -> PemFiles.privateKey(TestPki.bytes("rsa.p12"), "wrong".toCharArray()),
                "cannot be opened with tls.password (wrong password?)");
    }

    @Test
    void traditionallyEncryptedKeysAreRefusedWithTheConversion(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("legacy.key");
        Process p = new ProcessBuilder("openssl", "rsa", "-in", TestPki.file("rsa.key").toString(), "-traditional",
                "-aes256", "-passout", "pass:s3cret", "-out", key.toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl rsa -traditional -aes256");
        PemFiles.Problem e = assertProblem(() -> PemFiles.privateKey(Files.readAllBytes(key), PASSWORD),
                "traditional form");
        assertTrue(e.fix.contains("openssl pkcs8 -topk8"), e.fix);
    }

    interface Read {
        Object run() throws Exception;
    }

    private static PemFiles.Problem assertProblem(Read read, String text) {
        PemFiles.Problem e = assertThrows(PemFiles.Problem.class, read::run);
        assertTrue(e.getMessage().contains(text), "expected '" + text + "' in: " + e.getMessage());
        return e;
    }
}

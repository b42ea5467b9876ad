package io.srvepmd.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ericsson.otp.erlang.AbstractNode;
import com.ericsson.otp.erlang.OtpServerTransport;
import com.ericsson.otp.erlang.OtpTransport;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dialer and the listener against each other in one JVM, real JSSE on both ends (JInterface
 * 1.6.1's transport types stand in for the node's): mutual authentication, the framing end to end,
 * every refusal named and counted on the side that refuses, bounds, accept() surviving failures, and
 * rotation of the files under a running listener.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsHandshakeTest {

    private static final String HOST = "svc.test";
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private OtpServerTransport listener;

    @AfterEach
    void stop() throws IOException {
        if (listener != null) {
            listener.close();
        }
        pool.shutdownNow();
    }

    private static TlsTransports tls(String agentArgs) throws ConfigException {
        Settings s = TestPki.settings(agentArgs);
        return TlsTransports.start(s, CoreSettings.from(s));
    }

    private int listen(TlsTransports server) throws Exception {
        listener = (OtpServerTransport) server.listen(OtpServerTransport.class,
                JInterfaceAccess.bridgeFor(AbstractNode.class), 0);
        return listener.getLocalPort();
    }

    private InetSocketAddress at(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** Accepts one connection and reads one 2-byte-framed handshake message from it (this runs TLS). */
    private Future<byte[]> acceptOneMessage() {
        return pool.submit(() -> {
            OtpTransport t = listener.accept();
            try {
                DataInputStream in = new DataInputStream(t.getInputStream());
                byte[] m = new byte[in.readUnsignedShort()];
                in.readFully(m);
                return m;
            } finally {
                t.close();
            }
        });
    }

    private static void send(Socket s, byte... message) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(new byte[] {0, (byte) message.length});
        out.write(message);
    }

    /** Connects with {@code client}, sends one handshake message and asserts that the listener got it. */
    private void assertAMessageGetsThrough(TlsTransports client, int port) throws Exception {
        Future<byte[]> got = acceptOneMessage();
        try (Socket s = client.connect(HOST, at(port), 5000)) {
            send(s, (byte) 'N');
            assertArrayEquals(new byte[] {'N'}, got.get(30, TimeUnit.SECONDS));
        }
    }

    private static String cause(Future<?> f) {
        try {
            f.get(30, TimeUnit.SECONDS);
            return "no failure";
        } catch (Exception e) {
            return String.valueOf(e.getCause());
        }
    }

    @Test
    void mutualHandshakeThenTheHandshakeMessagesArriveAsJInterfaceFramesThem() throws Exception {
        TlsTransports server = tls(TestPki.args("rsa.pem", "rsa.key", "ca.pem", ""));
        TlsTransports client = tls(TestPki.args("chain.pem", "chain.key", "ca.pem", ""));
        int port = listen(server);
        Future<byte[]> got = acceptOneMessage();
        try (DistTlsSocket s = (DistTlsSocket) client.connect(HOST, at(port), 5000)) {
            assertEquals("CN=node rsa", ((X509Certificate) s.ssl().getSession().getPeerCertificates()[0])
                    .getSubjectX500Principal().getName());
            assertEquals("TLSv1.3", s.protocol()); // two agents with the default tls.versions
            send(s, (byte) 'N', (byte) 1, (byte) 2);
            assertArrayEquals(new byte[] {'N', 1, 2}, got.get(30, TimeUnit.SECONDS));
        }
        assertEquals(0, client.stats.failedHandshakes.sum());
        assertEquals(1, server.stats.handshakes.sum());
        assertEquals(0, server.stats.failedHandshakes.sum());
    }

    @Test
    void bothVersionsAsOfferedAndAsLimited() throws Exception {
        TlsTransports server = tls(TestPki.args("rsa.pem", "rsa.key", "ca.pem", "tls.versions=tlsv1.2"));
        TlsTransports client = tls(TestPki.args("rsa.pem", "rsa.key", "ca.pem", ""));
        int port = listen(server);
        Future<byte[]> got = acceptOneMessage();
        try (DistTlsSocket s = (DistTlsSocket) client.connect(HOST, at(port), 5000)) {
            assertEquals("TLSv1.2", s.protocol());
            send(s, (byte) 'N');
            got.get(30, TimeUnit.SECONDS);
        }
        TlsTransports only13 = tls(TestPki.args("rsa.pem", "rsa.key", "ca.pem", "tls.versions=tlsv1.3"));
        Future<byte[]> refused = acceptOneMessage();
        IOException e = assertThrows(IOException.class, () -> only13.connect(HOST, at(port), 5000));
        assertTrue(e.getMessage().contains("no-common-protocol") || e.getMessage().contains("refused-by-peer"),
                e.getMessage());
        assertTrue(cause(refused).contains("no-common-protocol"), cause(refused));
    }

    /**
     * A refusal of our certificate reaches us as the peer's alert, or, when the peer closes while our
     * last handshake records are still on their way, as a closed connection (TCP answers those with a
     * reset): both are named, either may happen.
     */
    private static void assertRefusedByPeer(String message) {
        assertTrue(message.contains("failed: refused-by-peer") || message.contains("failed: closed: the peer"
                + " closed the connection during the TLS handshake (it may refuse our certificate"), message);
    }

    @Test
    void aClientOfAnotherCaIsRefusedByTheListenerThatNamesWhy() throws Exception {
        TlsTransports server = tls(TestPki.args("rsa.pem", "rsa.key", "ca.pem", "tls.versions=tlsv1.2"));
        TlsTransports stranger = tls(TestPki.args("other.pem", "other.key", "ca.pem", ""));
        int port = listen(server);
        Future<byte[]> got = acceptOneMessage();
        IOException e = assertThrows(IOException.class, () -> stranger.connect(HOST, at(port), 5000));
        assertTrue(e.getMessage().startsWith("TLS handshake with svc.test at 127.0.0.1:" + port + " failed: "),
                e.getMessage());
        assertRefusedByPeer(e.getMessage());
        assertTrue(cause(got).contains("untrusted-peer"), cause(got));
        assertEquals(1, server.stats.failures(TlsFailure.UNTRUSTED_PEER));
        assertEquals(1, stranger.stats.failedHandshakes.sum());
    }

    @Test
    void inTls13ARefusalOfOurCertificateArrivesOnTheFirstReadAndIsNamedThere() throws Exception {
        TlsTransports server = tls(TestPki.args("rsa.pem", "rsa.key", "ca.pem", "tls.versions=tlsv1.3"));
        TlsTransports stranger = tls(TestPki.args("other.pem", "other.key", "ca.pem", ""));
        int port = listen(server);
        Future<byte[]> got = acceptOneMessage();
        IOException e = assertThrows(IOException.class, () -> {
            try (Socket s = stranger.connect(HOST, at(port), 5000)) { // in TLS 1.3 the client may finish first
                send(s, (byte) 'N');
                s.getInputStream().read();
            }
        });
        assertRefusedByPeer(e.getMessage());
        assertTrue(cause(got).contains("untrusted-peer"), cause(got));
        assertEquals(1, stranger.stats.handshakes.sum());
        assertEquals(1, stranger.stats.failedHandshakes.sum(), "counted as refused, never as good");
    }

    /**
     * A refusal after our TLS 1.3 handshake has finished, met on a write: the peer (plain JSSE here, so
     * that it refuses only once both sides have finished, every time) drops the connection, and our
     * writes end in a reset. JInterface writes its name first, so a node meets the refusal this way
     * as often as on a read; the reason must be named either way. The writes repeat until the kernel
     * has seen the reset: a bounded wait for a condition.
     */
    @Test
    void inTls13ARefusalAfterOurHandshakeMetOnAWriteIsNamedThere() throws Exception {
        SSLContext peerContext = TlsContexts.start(TestPki.tlsSettings(TestPki.args("rsa.pem", "rsa.key", "ca.pem",
                "")), new TlsStats()).current().context;
        try (SSLServerSocket peer = (SSLServerSocket) peerContext.getServerSocketFactory().createServerSocket(0, 1,
                InetAddress.getLoopbackAddress())) {
            peer.setEnabledProtocols(new String[] {"TLSv1.3"});
            Future<?> dropped = pool.submit(() -> {
                try (SSLSocket c = (SSLSocket) peer.accept()) {
                    c.startHandshake(); // returns once our Finished has arrived: our handshake is over
                    c.setSoLinger(true, 0); // then a reset, as a refusing peer's close may be
                }
                return null;
            });
            TlsTransports client = tls(TestPki.args("rsa.pem", "rsa.key", "ca.pem", ""));
            try (Socket s = client.connect(HOST, at(peer.getLocalPort()), 5000)) {
                dropped.get(30, TimeUnit.SECONDS);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                IOException e = assertThrows(IOException.class, () -> {
                    while (System.nanoTime() < deadline) {
                        send(s, (byte) 'N');
                    }
                });
                assertRefusedByPeer(e.getMessage());
            }
            assertEquals(1, client.stats.handshakes.sum());
            assertEquals(1, client.stats.failedHandshakes.sum(), "counted as refused, never as good");
        }
    }

    @Test
    void aServerOfAnotherCaIsRefusedByTheDialer() throws Exception {
        TlsTransports server = tls(TestPki.args("other.pem", "other.key", "other-ca.pem", ""));
        TlsTransports client = tls(TestPki.args("rsa.pem", "rsa.key", "ca.pem", ""));
        int port = listen(server);
        acceptOneMessage();
        IOException e = assertThrows(IOException.class, () -> client.connect(HOST, at(port), 5000));
        assertTrue(e.getMessage().contains("failed: untrusted-peer: the peer's certificate is not issued by a CA in"
                + " tls.cacertfile"), e.getMessage());
    }

    @Test
    void theServersCertificateMustNameTheNodesHost() throws Exception {
        TlsTransports server = tls(TestPki.args("wronghost.pem", "rsa.key", "ca.pem", ""));
        int port = listen(server);
        acceptOneMessage();
        TlsTransports client = tls(TestPki.args("rsa.pem", "rsa.key", "ca.pem", ""));
        IOException e = assertThrows(IOException.class, () -> client.connect("svc.test.", at(port), 5000));
        assertTrue(e.getMessage().contains("failed: hostname-mismatch"), e.getMessage());
        assertEquals(1, client.stats.failures(TlsFailure.HOSTNAME_MISMATCH));

        assertAMessageGetsThrough(tls(TestPki.args("rsa.pem", "rsa.key", "ca.pem", "tls.hostname-check=false")), port);
    }

    /** As an Erlang server by default: the client's chain is verified, no host name in it is checked. */
    @Test
    void aServerChecksNoHostNameOfItsClients() throws Exception {
        TlsTransports server = tls(TestPki.args("rsa.pem", "rsa.key", "ca.pem", ""));
        int port = listen(server);
        assertAMessageGetsThrough(tls(TestPki.args("wronghost.pem", "rsa.key", "ca.pem", "")), port); // other.test only
        assertEquals(0, server.stats.failedHandshakes.sum());
    }

    @Test
    void aRevokedPeerIsRefusedWithACrl() throws Exception {
        TlsTransports server = tls(TestPki.args("revoked.pem", "revoked.key", "ca.pem", ""));
        int port = listen(server);
        acceptOneMessage();
        TlsTransports client = tls(TestPki.args("rsa.pem", "rsa.key", "ca.pem", "tls.crlfile="
                + TestPki.file("crl.pem")));
        IOException e = assertThrows(IOException.class, () -> client.connect(HOST, at(port), 5000));
        assertTrue(e.getMessage().contains("failed: peer-revoked"), e.getMessage());

        // without tls.crlfile, no revocation check (OTP's default)
        assertAMessageGetsThrough(tls(TestPki.args("rsa.pem", "rsa.key", "ca.pem", "")), port);
    }

    @Test
    void aClientWithoutACertificateIsRefused() throws Exception {
        TlsTransports server = tls(TestPki.args("rsa.pem", "rsa.key", "ca.pem", ""));
        int port = listen(server);
        Future<byte[]> got = acceptOneMessage();
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", PemFiles.certificates(TestPki.bytes("ca.pem")).get(0));
        tmf.init(trust);
        SSLContext anonymous = SSLContext.getInstance("TLS");
        anonymous.init(null, tmf.getTrustManagers(), null);
        try (SSLSocket s = (SSLSocket) anonymous.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                port)) {
            assertThrows(IOException.class, () -> {
                s.startHandshake();
                s.getOutputStream().write(new byte[] {0, 0, 0, 1, 'N'});
                s.getInputStream().read();
            });
        }
        assertTrue(cause(got).contains("no-peer-certificate"), cause(got));
        assertEquals(1, server.stats.failures(TlsFailure.NO_PEER_CERTIFICATE));
    }

    @Test
    void aPlainTcpPeerIsNamedAndAcceptKeepsServingGoodPeers() throws Exception {
        TlsTransports server = tls(TestPki.args("rsa.pem", "rsa.key", "ca.pem", ""));
        int port = listen(server);
        Future<byte[]> plain = acceptOneMessage();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            send(s, (byte) 'N', (byte) 0, (byte) 0, (byte) 0, (byte) 0, (byte) 0); // a plain distribution name
            assertEquals(-1, readOrEnd(s.getInputStream()));
        }
        assertTrue(cause(plain).contains("not-tls"), cause(plain));
        assertAMessageGetsThrough(tls(TestPki.args("rsa.pem", "rsa.key", "ca.pem", "")), port);
        assertEquals(1, server.stats.failures(TlsFailure.NOT_TLS));
    }

    private static int readOrEnd(InputStream in) {
        try {
            while (in.read() >= 0) {
                // the alert, if any
            }
            return -1;
        } catch (IOException reset) {
            return -1;
        }
    }

    @Test
    void aPeerThatAcceptsTcpAndNeverSpeaksTlsCostsTheAttemptsBoundOnly() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            TlsTransports client = tls(TestPki.args("rsa.pem", "rsa.key", "ca.pem", ""));
            IOException e = assertThrows(IOException.class, () -> client.connect(HOST,
                    at(silent.getLocalPort()), 300));
            assertTrue(e.getMessage().contains("failed: timeout: the peer did not complete the TLS handshake in time"),
                    e.getMessage());
        }
    }

    @Test
    void anAcceptedPeerThatNeverSpeaksIsDroppedAtTheBound() throws Exception {
        Settings s = TestPki.settings(TestPki.args("rsa.pem", "rsa.key", "ca.pem", "connect.timeout=300ms"));
        TlsTransports server = TlsTransports.start(s, CoreSettings.from(s));
        int port = listen(server);
        Future<byte[]> got = acceptOneMessage();
        try (Socket idle = new Socket(InetAddress.getLoopbackAddress(), port)) {
            assertTrue(cause(got).contains("timeout"), cause(got));
        }
        assertEquals(1, server.stats.failures(TlsFailure.TIMEOUT));
    }

    @Test
    void replacedFilesServeNewConnectionsAndABrokenSetKeepsThePrevious(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("node.pem");
        Path key = dir.resolve("node.key");
        Files.copy(TestPki.file("rsa.pem"), cert);
        Files.copy(TestPki.file("rsa.key"), key);
        TlsTransports server = tls("tls.enabled=true,tls.certfile=" + cert + ",tls.keyfile=" + key
                + ",tls.cacertfile=" + TestPki.file("ca.pem"));
        TlsTransports client = tls(TestPki.args("rsa.pem", "rsa.key", "ca.pem", ""));
        int port = listen(server);
        assertEquals("CN=node rsa", serverSubject(client, port));

        replace(TestPki.file("ec.key"), key);
        replace(TestPki.file("ec.pem"), cert);
        assertEquals("CN=node ec", serverSubject(client, port));
        assertEquals(1, server.stats.reloads.sum());

        try (CapturedWarnings warnings = new CapturedWarnings()) {
            replace(TestPki.file("rsa.key"), key); // the key of another certificate: refused, the previous stays
            assertEquals("CN=node ec", serverSubject(client, port));
            assertEquals("CN=node ec", serverSubject(client, port));
            assertEquals(1, server.stats.reloadFailures.sum(), "one attempt per distinct set of files");
            assertEquals(1, warnings.mentioning("the TLS files changed but cannot be used"), warnings.messages()
                    .toString());
        }
    }

    private static void replace(Path from, Path to) throws IOException {
        Path tmp = to.resolveSibling(to.getFileName() + ".new");
        Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private String serverSubject(TlsTransports client, int port) throws Exception {
        Future<byte[]> got = acceptOneMessage();
        try (DistTlsSocket s = (DistTlsSocket) client.connect(HOST, at(port), 5000)) {
            send(s, (byte) 'N');
            got.get(30, TimeUnit.SECONDS);
            return ((X509Certificate) s.ssl().getSession().getPeerCertificates()[0]).getSubjectX500Principal()
                    .getName();
        }
    }
}

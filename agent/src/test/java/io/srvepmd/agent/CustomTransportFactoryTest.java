package io.srvepmd.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ericsson.otp.erlang.OtpPeer;
import com.ericsson.otp.erlang.OtpServerTransport;
import com.ericsson.otp.erlang.OtpTransport;
import com.ericsson.otp.erlang.OtpTransportFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A transport factory the program set itself: it gets the peer's host name with the resolved address
 * (no lookup of its own needed), its connect is abandoned at the attempt's bound, and with TLS on the
 * agent's TLS replaces it and says so once.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CustomTransportFactoryTest {

    /** Records what it was asked; blocks until released when told to. */
    static final class Factory implements OtpTransportFactory {
        volatile InetAddress asked;
        final CountDownLatch release = new CountDownLatch(1);
        final boolean block;

        Factory(boolean block) {
            this.block = block;
        }

        @Override
        public OtpTransport createTransport(String host, int port) throws IOException {
            throw new IOException("not by name");
        }

        @Override
        public OtpTransport createTransport(InetAddress addr, int port) throws IOException {
            asked = addr;
            if (block) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            throw new IOException("refused by the test factory");
        }

        @Override
        public OtpServerTransport createServerTransport(int port) throws IOException {
            throw new IOException("not here");
        }
    }

    private static final InetSocketAddress TO = new InetSocketAddress(InetAddress.getLoopbackAddress(), 4370);

    @Test
    void theFactoryGetsThePeersHostNameWithTheResolvedAddress() {
        Factory f = new Factory(false);
        IOException e = assertThrows(IOException.class,
                () -> new JInterfaceAccess().connect(new OtpPeer("erl@svc.example", f), TO, 2000));
        assertEquals("refused by the test factory", e.getMessage());
        assertEquals("svc.example", f.asked.getHostName());
        assertArrayEquals(new byte[] {127, 0, 0, 1}, f.asked.getAddress());
    }

    @Test
    void aFactoryThatNeverReturnsIsAbandonedAtTheBound() {
        Factory f = new Factory(true);
        try {
            IOException e = assertThrows(IOException.class,
                    () -> new JInterfaceAccess().connect(new OtpPeer("erl@svc.example", f), TO, 200));
            assertTrue(e.getMessage().contains("transport factory " + Factory.class.getName()
                    + " did not connect to 127.0.0.1:4370 within 200 ms"), e.getMessage());
        } finally {
            f.release.countDown();
        }
    }

    @Test
    void withTlsOnTheAgentsTransportReplacesItAndSaysSoOnce() throws Exception {
        Settings s = TestPki.settings(TestPki.args("rsa.pem", "rsa.key", "ca.pem", ""));
        JInterfaceAccess access = new JInterfaceAccess(TlsTransports.start(s, CoreSettings.from(s)));
        Factory f = new Factory(false);
        try (CapturedWarnings warnings = new CapturedWarnings();
                java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
            InetSocketAddress nobody = new InetSocketAddress(InetAddress.getLoopbackAddress(), closed.getLocalPort());
            closed.close();
            assertThrows(IOException.class, () -> access.connect(new OtpPeer("erl@svc.test", f), nobody, 2000));
            assertThrows(IOException.class, () -> access.connect(new OtpPeer("erl@svc.test", f), nobody, 2000));
            assertEquals(null, f.asked, "the program's factory was not asked");
            assertEquals(1, warnings.mentioning("was created with its own transport factory " + Factory.class.getName()
                    + "; with tls.enabled=true the agent's TLS transport replaces it"), warnings.messages().toString());
        }
    }
}

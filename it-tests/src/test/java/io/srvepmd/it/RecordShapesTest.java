package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.DnsServer;
import io.srvepmd.it.support.ErlangNode;
import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.Steps;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The record shapes real DNS servers publish, end to end from a JInterface
 * program with the agent to a real epmd-less OTP 25 node: DynamicSrv.Epmd's (SRV and
 * A at one name), Consul's (the SRV target is another name that alone has the
 * address: in the additional section, or only on a follow-up question, or
 * behind a CNAME), and several SRV records of different priorities and weights.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RecordShapesTest extends ItBase {

    private static final String ERL = "erl@svc.test";
    private static final String SRV = "erl.svc.test";

    private int erlPort;
    private DnsServer dns;

    @BeforeEach
    void ports() {
        erlPort = FreePorts.tcp();
        dns = DnsServer.create().domain("svc.test").domain("node.test");
    }

    @Test
    void srvAndAddressAtOneName() {
        start(dns.node(ERL, erlPort));
        assertConnects();
    }

    @Test
    void consulShapeTargetAddressInTheAdditionalSection() {
        String target = "erl-host.node.test";
        start(dns.srv(SRV, target, erlPort, 1, 1).host(target, "127.0.0.1"));
        assertConnects();
        assertEquals(0, dns.queries(target, "A") + dns.queries(target, "AAAA"),
                "the target's address came in the SRV answer's additional section: " + dns.queryLog());
        assertEquals(0, dns.queries(SRV, "A"), "no fallback to the query name: " + dns.queryLog());
    }

    @Test
    void consulShapeTargetAddressOnlyOnAFollowUpQuestion() {
        String target = "erl-host.node.test";
        start(dns.srv(SRV, target, erlPort, 1, 1).addressOnly(target, "127.0.0.1"));
        assertConnects();
        assertTrue(dns.queries(target, "A") >= 1, "asked A for the target: " + dns.queryLog());
    }

    @Test
    void targetIsACnameToTheHost() {
        String alias = "erl-alias.svc.test";
        String host = "erl-real.node.test";
        start(dns.srv(SRV, alias, erlPort, 1, 1).cname(alias, host).host(host, "127.0.0.1"));
        assertConnects();
        assertTrue(dns.queries(alias, "A") >= 1, "followed the CNAME of the target: " + dns.queryLog());
    }

    /**
     * Priority 0 holds the node (two targets, weights 60/40); priorities 10 and 20 hold a trap:
     * a listener that accepts TCP and hangs up, so trying it first would fail the handshake.
     * Every connection re-resolves (TTL bounds of 0 ms: an answer is never reused, whatever the
     * timing), so dnsmasq's rotation of the record order is seen ten times; the trap must never
     * be tried.
     */
    @Test
    void lowestPriorityFirstWhateverTheRecordOrder() throws IOException {
        try (Trap trap = new Trap()) {
            start(dns.srv(SRV, "erl-a.node.test", erlPort, 0, 60).srv(SRV, "erl-b.node.test", erlPort, 0, 40)
                    .srv(SRV, "trap-1.node.test", trap.port(), 10, 100)
                    .srv(SRV, "trap-2.node.test", trap.port(), 20, 0)
                    .host("erl-a.node.test", "127.0.0.1").host("erl-b.node.test", "127.0.0.1")
                    .host("trap-1.node.test", "127.0.0.1").host("trap-2.node.test", "127.0.0.1"));
            JavaApp app = track(Steps.resolveMain("dns.servers=" + dns.address() + ",dns.min-ttl=0ms,dns.max-ttl=0ms",
                    "connect-n:" + ERL + ":10").start());
            assertEquals(0, app.waitFor(Duration.ofSeconds(40)), app.describe());
            assertTrue(app.stdoutLines().contains("CONNECTS " + ERL + " ok=10 failed=0"), app.describe());
            assertEquals(0, trap.accepted(), "a lower-preference target was tried: " + app.describe());
            assertTrue(dns.queries(SRV, "SRV") >= 10, "each connection asked DNS again: " + dns.queryLog());
            assertAgentSilent(app);
        }
    }

    private void start(DnsServer configured) {
        track(configured.start());
        track(ErlangNode.start(ERL, COOKIE, dns, erlPort));
    }

    private void assertConnects() {
        JavaApp app = track(Steps.resolveMain("dns.servers=" + dns.address(), "connect:" + ERL).start());
        assertEquals(0, app.waitFor(Duration.ofSeconds(30)), app.describe());
        Steps.Connect c = Steps.awaitConnect(app, 0, Duration.ofSeconds(1));
        assertTrue(c.ok, c + app.describe());
        assertTrue(dns.queries(SRV, "SRV") >= 1, "asked SRV " + SRV + ": " + dns.queryLog());
        assertAgentSilent(app);
    }

    /** A loopback listener that accepts connections, counts them and hangs up at once. */
    static final class Trap implements AutoCloseable {
        private final ServerSocket server;
        private final AtomicInteger accepted = new AtomicInteger();

        Trap() {
            try {
                server = new ServerSocket();
                server.bind(new InetSocketAddress("127.0.0.1", 0));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        accepted.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "trap");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        int accepted() {
            return accepted.get();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}

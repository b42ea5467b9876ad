package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.DnsServer;
import io.srvepmd.it.support.ErlangNode;
import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.Steps;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RFC 2782 failover: the more preferred SRV targets are closed loopback ports
 * (refused at once), the live OTP node is the least preferred; the program
 * sees one connect that works. Each of ten connections resolves afresh (TTL
 * bounds of 0 ms: an answer is never reused, whatever the timing), so
 * dnsmasq's rotation of the record order cannot make it luck.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FailoverTest extends ItBase {

    private static final String ERL = "erl@svc.test";
    private static final String SRV = "erl.svc.test";

    @Test
    void refusedCandidatesAreSkippedUntilTheLiveNode() {
        int erlPort = FreePorts.tcp();
        int dead1 = FreePorts.tcp();
        int dead2 = FreePorts.tcp();
        int dead3 = FreePorts.tcp();
        DnsServer dns = track(DnsServer.create().domain("svc.test").domain("node.test")
                .srv(SRV, "dead-1.node.test", dead1, 0, 50).srv(SRV, "dead-2.node.test", dead2, 0, 50)
                .srv(SRV, "dead-3.node.test", dead3, 5, 0).srv(SRV, SRV, erlPort, 10, 0)
                .host("dead-1.node.test", "127.0.0.1").host("dead-2.node.test", "127.0.0.1")
                .host("dead-3.node.test", "127.0.0.1").host(SRV, "127.0.0.1").start());
        track(ErlangNode.start(ERL, COOKIE, dns, erlPort));
        for (int port : new int[] {dead1, dead2, dead3}) {
            assertTrue(FreePorts.isFree(port), "port " + port + " should be closed");
        }

        JavaApp app = track(Steps.resolveMain("dns.servers=" + dns.address() + ",dns.min-ttl=0ms,dns.max-ttl=0ms",
                "connect-n:" + ERL + ":10").start());

        assertEquals(0, app.waitFor(Duration.ofSeconds(40)), app.describe());
        assertTrue(app.stdoutLines().contains("CONNECTS " + ERL + " ok=10 failed=0"), app.describe());
        assertTrue(dns.queries(SRV, "SRV") >= 10, "each connection asked DNS again: " + dns.queryLog());
        assertAgentSilent(app);
    }

    @Test
    void whenEveryCandidateRefusesTheOneErrorNamesEachAttempt() {
        int dead1 = FreePorts.tcp();
        int dead2 = FreePorts.tcp();
        DnsServer dns = track(DnsServer.create().domain("svc.test").domain("node.test")
                .srv(SRV, "dead-1.node.test", dead1, 0, 0).srv(SRV, "dead-2.node.test", dead2, 1, 0)
                .host("dead-1.node.test", "127.0.0.1").host("dead-2.node.test", "127.0.0.1").start());

        JavaApp app = track(Steps.resolveMain("dns.servers=" + dns.address(), "connect:" + ERL).start());

        assertEquals(0, app.waitFor(Duration.ofSeconds(30)), app.describe());
        Steps.Connect c = Steps.awaitConnect(app, 0, Duration.ofSeconds(1));
        assertFalse(c.ok, app.describe());
        assertTrue(c.error.startsWith("java.io.IOException: "), c.toString());
        assertTrue(c.error.contains(ERL), "names the node: " + c);
        String first = "127.0.0.1:" + dead1;
        String second = "127.0.0.1:" + dead2;
        assertTrue(c.error.contains(first) && c.error.contains(second), "names every endpoint: " + c);
        assertTrue(c.error.indexOf(first) < c.error.indexOf(second), "priority 0 tried before 1: " + c);
        assertTrue(c.millis < 10_000, "no hang: " + c);
    }
}

package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.DnsServer;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.Steps;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RFC 8767 in one JVM: after a first contact the DNS server is killed; with
 * answers never reused (TTL bounds of 0 ms) new connections to the known
 * node work from the last good answer, with one warning; a never-seen node
 * fails fast with the clear error. NXDOMAIN, by contrast, is an answer: it is
 * never papered over with a stale one.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StaleAnswerTest extends ItBase {

    private static final String ERL = "erl@svc.test";
    private static final String GHOST = "ghost@svc.test";
    private static final String AGENT = ",dns.min-ttl=0ms,dns.max-ttl=0ms,dns.timeout=2s";

    @Test
    void knownNodeStaysReachableWhileDnsIsDownAndUnknownNodeFailsFast() {
        DnsServer dns = dnsWithErlangNode(ERL);
        String server = dns.address();
        JavaApp app = track(Steps.resolveMain("dns.servers=" + server + AGENT, "connect:" + ERL, "await",
                "connect:" + ERL, "connect:" + ERL, "connect:" + GHOST).start());
        assertTrue(Steps.awaitConnect(app, 0, Duration.ofSeconds(20)).ok, app.describe());
        app.awaitLine("AWAITING", Duration.ofSeconds(5));
        int asked = dns.queries("erl.svc.test", "SRV");
        assertTrue(asked >= 1, dns.queryLog().toString());

        dns.kill();
        app.send("go");

        Steps.Connect stale1 = Steps.awaitConnect(app, 1, Duration.ofSeconds(20));
        Steps.Connect stale2 = Steps.awaitConnect(app, 2, Duration.ofSeconds(20));
        Steps.Connect ghost = Steps.awaitConnect(app, 3, Duration.ofSeconds(20));
        assertEquals(0, app.waitFor(Duration.ofSeconds(10)), app.describe());
        assertTrue(stale1.ok, "served from the last good answer: " + stale1 + app.describe());
        assertTrue(stale2.ok, "again: " + stale2 + app.describe());

        assertFalse(ghost.ok, app.describe());
        assertTrue(ghost.error.startsWith("java.io.IOException: "), ghost.toString());
        assertTrue(ghost.error.contains(GHOST), "names the node: " + ghost);
        assertTrue(ghost.error.contains(server), "names the server: " + ghost);
        assertTrue(ghost.millis < 2000 + 3000, "within dns.timeout=2s and slack: " + ghost);

        String stderr = app.stderr();
        Matcher warnings = Pattern.compile("serving the last good answer for node " + Pattern.quote(ERL))
                .matcher(stderr);
        int count = 0;
        while (warnings.find()) {
            count++;
        }
        assertEquals(1, count, "one warning per node: " + app.describe());
        assertFalse(stderr.contains("node " + GHOST + " ("), "no stale answer for the unknown node: " + stderr);
    }

    @Test
    void nxdomainIsAnAnswerNotAnOutage() {
        DnsServer dns = dnsWithErlangNode(ERL);
        JavaApp app = track(Steps.resolveMain("dns.servers=" + dns.address() + AGENT, "connect:" + ERL, "await",
                "connect:" + ERL).start());
        assertTrue(Steps.awaitConnect(app, 0, Duration.ofSeconds(20)).ok, app.describe());
        app.awaitLine("AWAITING", Duration.ofSeconds(5));

        dns.clearRecords().restart(); // the node is gone from DNS (it still runs)
        app.send("go");

        Steps.Connect after = Steps.awaitConnect(app, 1, Duration.ofSeconds(20));
        assertEquals(0, app.waitFor(Duration.ofSeconds(10)), app.describe());
        assertFalse(after.ok, "NXDOMAIN must not be answered from the stale entry: " + app.describe());
        assertTrue(after.error.contains("NXDOMAIN"), after.toString());
        assertFalse(app.stderr().contains("serving the last good answer"), app.describe());
    }
}

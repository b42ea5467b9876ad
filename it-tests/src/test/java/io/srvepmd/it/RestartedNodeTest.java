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
 * A node restarted on a new port, its SRV record changed: the JVM's cached
 * answer (kept for a minute by dns.min-ttl=1m) points at the old port; the
 * connection that finds it closed drops the entry, and the next attempt asks
 * DNS again and reaches the node - long before the TTL would have run out.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RestartedNodeTest extends ItBase {

    private static final String ERL = "erl@svc.test";

    @Test
    void nextAttemptAfterAFailedConnectionFindsTheNewPort() {
        int oldPort = FreePorts.tcp();
        DnsServer dns = track(DnsServer.create().domain("svc.test").node(ERL, oldPort).start());
        ErlangNode first = track(ErlangNode.start(ERL, COOKIE, dns, oldPort));
        JavaApp app = track(Steps.resolveMain("dns.servers=" + dns.address() + ",dns.min-ttl=1m,dns.max-ttl=5m",
                "connect:" + ERL, "await", "connect:" + ERL, "connect:" + ERL).start());
        assertTrue(Steps.awaitConnect(app, 0, Duration.ofSeconds(20)).ok, app.describe());
        app.awaitLine("AWAITING", Duration.ofSeconds(5));

        first.close();
        int newPort = FreePorts.tcp();
        track(ErlangNode.start(ERL, COOKIE, dns, newPort));
        dns.clearRecords().node(ERL, newPort).restart();
        int srvBefore = dns.queries("erl.svc.test", "SRV");
        app.send("go");

        Steps.Connect toOld = Steps.awaitConnect(app, 1, Duration.ofSeconds(20));
        Steps.Connect toNew = Steps.awaitConnect(app, 2, Duration.ofSeconds(20));
        assertEquals(0, app.waitFor(Duration.ofSeconds(10)), app.describe());
        assertFalse(toOld.ok, "the cached answer still names the old port: " + app.describe());
        assertTrue(toOld.error.contains("127.0.0.1:" + oldPort), "names the old endpoint: " + toOld);
        assertTrue(toNew.ok, "the next attempt reaches the node on its new port: " + app.describe());
        assertTrue(dns.queries("erl.svc.test", "SRV") > srvBefore, "asked DNS again: " + dns.queryLog());
        assertTrue(toOld.millis + toNew.millis < 20_000, "no hang: " + toOld + ", " + toNew);
    }
}

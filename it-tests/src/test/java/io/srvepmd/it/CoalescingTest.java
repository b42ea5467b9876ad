package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.DnsProxy;
import io.srvepmd.it.support.DnsServer;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.Steps;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A connection storm: 100 threads of one JVM look up the same never-seen node
 * at once. The agent sends one question per record type, counted at the real
 * server. A forwarder holds each question 300 ms, so every thread surely
 * arrives while the first question is in flight.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CoalescingTest extends ItBase {

    private static final int THREADS = 100;

    @Test
    void concurrentLookupsOfOneNodeShareOneQuestionPerType() {
        String srv = "storm.svc.test";
        String target = "storm-host.node.test";
        DnsServer dns = track(DnsServer.create().domain("svc.test").domain("node.test")
                .srv(srv, target, 4370, 0, 0).addressOnly(target, "127.0.0.1").start());
        DnsProxy proxy = track(new DnsProxy(dns, 300));

        JavaApp app = track(Steps.resolveMain("dns.servers=" + proxy.address() + ",dns.timeout=5s",
                "storm:storm@svc.test:" + THREADS).start());

        assertEquals(0, app.waitFor(Duration.ofSeconds(40)), app.describe());
        assertTrue(app.stdoutLines().contains("STORM storm@svc.test ok=" + THREADS + " failed=0 ports=[4370]"),
                app.describe());
        assertEquals(1, dns.queries(srv, "SRV"), "one SRV question: " + dns.queryLog());
        assertEquals(1, dns.queries(target, "A"), "one A question: " + dns.queryLog());
        assertTrue(dns.queries(target, "AAAA") <= 1, "at most one AAAA question: " + dns.queryLog());
        assertAgentSilent(app);
    }
}

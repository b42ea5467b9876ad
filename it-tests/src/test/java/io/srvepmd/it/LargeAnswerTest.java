package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * A 300-record SRV set for one node (about 6 KiB, more than the EDNS(0) UDP
 * size): dnsmasq truncates the UDP answer, the agent asks again over TCP and
 * connects to the one live, most preferred candidate.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LargeAnswerTest extends ItBase {

    private static final String ERL = "erl@svc.test";
    private static final String SRV = "erl.svc.test";

    @Test
    void threeHundredRecordSetResolvesOverTcpAndConnects() {
        int erlPort = FreePorts.tcp();
        DnsServer dns = DnsServer.create().domain("svc.test").srv(SRV, SRV, erlPort, 0, 0).host(SRV, "127.0.0.1");
        for (int i = 0; i < 299; i++) {
            dns.srv(SRV, SRV, FreePorts.tcp(), 10, i % 7);
        }
        track(dns.start());
        track(ErlangNode.start(ERL, COOKIE, dns, erlPort));

        JavaApp app = track(Steps.resolveMain("dns.servers=" + dns.address(), "connect:" + ERL).start());

        assertEquals(0, app.waitFor(Duration.ofSeconds(30)), app.describe());
        assertTrue(Steps.awaitConnect(app, 0, Duration.ofSeconds(1)).ok, app.describe());
        assertEquals(2, dns.queries(SRV, "SRV"), "a truncated UDP answer, then the same question over TCP: "
                + dns.queryLog());
        assertAgentSilent(app);
    }
}

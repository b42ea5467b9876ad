package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.DnsServer;
import io.srvepmd.it.support.EpmdWatch;
import io.srvepmd.it.support.ErlangNode;
import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.JavaApp;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real parts without the agent: dnsmasq answers, the Erlang fixture
 * (srv_epmd) lets two epmd-less OTP nodes find each other through SRV, the
 * watches see what they are meant to see, and stock JInterface fails without
 * epmd (the baseline the agent changes).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HarnessTest extends ItBase {

    @Test
    void twoErlangNodesFindEachOtherThroughSrvWithoutEpmd() {
        int portA = FreePorts.tcp();
        int portB = FreePorts.tcp();
        DnsServer dns = track(DnsServer.create().domain("svc.test").node("erla@svc.test", portA)
                .node("erlb@svc.test", portB).start());
        ErlangNode a = track(ErlangNode.start("erla@svc.test", COOKIE, dns, portA));
        ErlangNode b = track(ErlangNode.start("erlb@svc.test", COOKIE, dns, portB));

        assertTrue(EpmdWatch.listening(portA), "erla listens on its ERL_DIST_PORT " + portA);
        assertTrue(EpmdWatch.listening(portB), "erlb listens on its ERL_DIST_PORT " + portB);
        assertTrue(a.ping("erlb@svc.test"), a.process().describe());
        String reply = a.sendAndAwaitReply("erlb@svc.test", "echo", "hi");
        assertTrue(reply.matches("\\{<[0-9.]+>,<<\"hi\">>\\}"), reply);
        assertTrue(dns.queries("erlb.svc.test", "SRV") >= 1, String.join("\n", dns.queryLog()));
        assertTrue(dns.queries("erlb.svc.test", "A") >= 1, String.join("\n", dns.queryLog()));
    }

    @Test
    void erlangNodeReportsMissingSrvAsPang() {
        int port = FreePorts.tcp();
        DnsServer dns = track(DnsServer.create().domain("svc.test").node("erla@svc.test", port).start());
        ErlangNode a = track(ErlangNode.start("erla@svc.test", COOKIE, dns, port));
        assertFalse(a.ping("ghost@svc.test"));
        assertTrue(dns.queries("ghost.svc.test", "SRV") >= 1, String.join("\n", dns.queryLog()));
    }

    @Test
    void dnsServerRestartsOnTheSamePortWithNewRecords() {
        DnsServer dns = track(DnsServer.create().domain("svc.test").node("one@svc.test", 4000).start());
        int port = dns.port();
        dns.clearRecords().node("two@svc.test", 4001).restart();
        assertEquals(port, dns.port());
        assertEquals("127.0.0.1:" + port, dns.address());
    }

    @Test
    void stockJInterfaceCannotCreateANodeWithoutEpmd() {
        JavaApp app = track(JavaApp.builder("NodeMain").withoutAgent().args("java@svc.test", COOKIE).start());
        assertEquals(2, app.waitFor(Duration.ofSeconds(30)), app.describe());
        assertTrue(app.stdout().startsWith("ERROR java.io.IOException: "), app.describe());
    }

    @Test
    void listenerTableSeesALoopbackListener() throws Exception {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            assertTrue(EpmdWatch.listening(socket.getLocalPort()));
        }
    }
}

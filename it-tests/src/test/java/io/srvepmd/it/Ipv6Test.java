package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.DnsServer;
import io.srvepmd.it.support.ErlangNode;
import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.OnEachOtp;
import io.srvepmd.it.support.Otp;
import io.srvepmd.it.support.Steps;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An IPv6-only node: OTP started with {@code -proto_dist inet6_tcp},
 * listening on {@code ::1} only, published with an AAAA record and no A
 * record. The Java program with the agent and no {@code dns.family} setting
 * reaches it: on OTP 25 and 27 (with the JInterface of each) when the address
 * comes with the SRV answer; the other record shape, a question of the agent's
 * alone, on OTP 25.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Ipv6Test extends ItBase {

    private static final String ERL = "erl6@svc.test";
    private static final String SRV = "erl6.svc.test";
    private static final List<String> V6_ONLY = List.of("-proto_dist", "inet6_tcp", "-kernel",
            "inet_dist_use_interface", "{0,0,0,0,0,0,0,1}");

    @OnEachOtp
    void aaaaOnlyNodeAtTheSrvName(Otp otp) throws IOException {
        int port = FreePorts.tcp();
        DnsServer dns = track(DnsServer.create().domain("svc.test").srv(SRV, SRV, port, 0, 0).host(SRV, "::1")
                .start());
        assertReachedOverIpv6(otp, dns, port);
        assertEquals(0, dns.queries(SRV, "A") + dns.queries(SRV, "AAAA"),
                "the AAAA record came in the additional section: " + dns.queryLog());
    }

    @Test
    void aaaaOnlyTargetAskedSeparately() throws IOException {
        int port = FreePorts.tcp();
        String target = "erl6-host.node.test";
        DnsServer dns = track(DnsServer.create().domain("svc.test").domain("node.test")
                .srv(SRV, target, port, 0, 0).addressOnly(target, "::1")
                // dnsmasq answers A for an IPv6-only address= name with NXDOMAIN (which rightly
                // ends the lookup, RFC 8020) unless the name has another record: then NODATA.
                .txt(target, "v6-only").start());
        assertReachedOverIpv6(Otp.otp25(), dns, port);
        assertTrue(dns.queries(target, "AAAA") >= 1, "asked AAAA for the target: " + dns.queryLog());
    }

    private void assertReachedOverIpv6(Otp otp, DnsServer dns, int port) throws IOException {
        track(ErlangNode.start(otp, ERL, COOKIE, dns, port, V6_ONLY));
        try (Socket v6 = new Socket()) {
            v6.connect(new InetSocketAddress("::1", port), 2000);
        }
        assertThrows(ConnectException.class, () -> {
            try (Socket v4 = new Socket()) {
                v4.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            }
        }, "the node must listen on ::1 only");

        JavaApp app = track(Steps.resolveMain(otp.jinterface(), "dns.servers=" + dns.address(), "connect:" + ERL)
                .start());
        assertEquals(0, app.waitFor(Duration.ofSeconds(30)), app.describe());
        assertTrue(Steps.awaitConnect(app, 0, Duration.ofSeconds(1)).ok, app.describe());
        assertAgentSilent(app);
    }
}

package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.DnsServer;
import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.JavaApp.JInterface;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Failures reach the program as clear IOExceptions. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FailureTest extends ItBase {

    @ParameterizedTest
    @EnumSource(JInterface.class)
    void missingSrvRecordIsAnIOExceptionNamingNodeDnsNameAndNxdomain(JInterface version) {
        DnsServer dns = track(DnsServer.create().domain("svc.test").start());
        JavaApp app = track(javaWithAgent("ConnectMain", version, dns)
                .env("ERL_DIST_PORT", Integer.toString(FreePorts.tcp()))
                .args("java@svc.test", COOKIE, "ghost@svc.test").start());

        assertEquals(1, app.waitFor(Duration.ofSeconds(30)), app.describe());
        String error = app.awaitLine("ERROR .*", Duration.ofSeconds(1)).group();
        assertTrue(error.startsWith("ERROR io.srvepmd.spi.NodeNotFoundException: srv-epmd: "), app.describe());
        assertTrue(error.contains("ghost@svc.test"), "names the node: " + error);
        assertTrue(error.contains("ghost.svc.test"), "names the DNS name: " + error);
        assertTrue(error.contains("NXDOMAIN"), "names the answer code: " + error);
        assertTrue(dns.queries("ghost.svc.test", "SRV") >= 1, "asked our server: " + dns.queryLog());
    }

    @Test
    void listingNamesNeedsAResolverThatCanList() {
        DnsServer dns = track(DnsServer.create().domain("svc.test").start());
        JavaApp app = track(javaWithAgent("NodeMain", JInterface.V1_13_1, dns)
                .env("ERL_DIST_PORT", Integer.toString(FreePorts.tcp())).args("java@svc.test", COOKIE, "names")
                .start());

        assertEquals(1, app.waitFor(Duration.ofSeconds(30)), app.describe());
        String error = app.awaitLine("ERROR .*", Duration.ofSeconds(1)).group();
        assertTrue(error.startsWith("ERROR java.io.IOException: "), app.describe());
        assertTrue(error.toLowerCase(Locale.ROOT).contains("list"), "says listing needs a resolver that can list: "
                + error);
    }
}

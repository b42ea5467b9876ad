package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.DnsServer;
import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.JavaApp.JInterface;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Nodes hosted in the same JVM (and a helper variant of a local node) find
 * each other on loopback without asking DNS: the DNS server has no records
 * at all, so any question would fail. An explicit port from the program wins
 * over ERL_DIST_PORT.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SelfResolutionTest extends ItBase {

    @ParameterizedTest
    @EnumSource(JInterface.class)
    void nodesOfOneJvmReachEachOtherWithoutDns(JInterface version) {
        DnsServer dns = track(DnsServer.create().domain("svc.test").start());
        int distPort = FreePorts.tcp();
        int explicitPort = FreePorts.tcp();
        JavaApp app = track(javaWithAgent("NodeMain", version, dns).env("ERL_DIST_PORT", Integer.toString(distPort))
                .args("java@svc.test", COOKIE, "start:java2@svc.test:" + explicitPort, "ping:java2@svc.test",
                        "ping-from:rpc-java-1@svc.test:java@svc.test")
                .start());

        assertEquals(0, app.waitFor(Duration.ofSeconds(40)), app.describe());
        List<String> lines = app.stdoutLines();
        assertTrue(lines.contains("NODE java@svc.test PORT " + distPort), app.describe());
        assertTrue(lines.contains("NODE java2@svc.test PORT " + explicitPort), "explicit port wins: " + app.describe());
        int helperPort = Integer.parseInt(app.awaitLine("NODE rpc-java-1@svc\\.test PORT (\\d+)", Duration.ZERO)
                .group(1));
        assertNotEquals(distPort, helperPort, app.describe());
        assertTrue(lines.contains("PING java2@svc.test ok"), app.describe());
        assertTrue(lines.contains("PING java@svc.test ok FROM rpc-java-1@svc.test"), app.describe());
        assertEquals(List.of(), dns.queryLog().stream().filter(l -> l.contains("svc.test"))
                .collect(java.util.stream.Collectors.toList()), "no DNS question for local nodes");
        assertAgentSilent(app);
    }
}

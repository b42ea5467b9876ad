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
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Publishing without a daemon still gives the node a creation valid for its JInterface version. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CreationTest extends ItBase {

    @Test
    void creationDiffersBetweenRestartsOn1131() {
        DnsServer dns = track(DnsServer.create().domain("svc.test").start());
        long first = creation(JInterface.V1_13_1, dns);
        long second = creation(JInterface.V1_13_1, dns);
        assertNotEquals(0, first);
        assertNotEquals(0, second);
        assertNotEquals(first, second, "a restarted node gets a new creation");
    }

    @Test
    void creationFitsTheTwoBitsOf161() {
        DnsServer dns = track(DnsServer.create().domain("svc.test").start());
        long creation = creation(JInterface.V1_6_1, dns);
        assertTrue(creation >= 1 && creation <= 3, "1.6.1 creations are 1..3, got " + creation);
    }

    private long creation(JInterface version, DnsServer dns) {
        JavaApp app = track(javaWithAgent("NodeMain", version, dns).env("ERL_DIST_PORT",
                Integer.toString(FreePorts.tcp())).args("java@svc.test", COOKIE, "creation").start());
        assertEquals(0, app.waitFor(Duration.ofSeconds(30)), app.describe());
        assertAgentSilent(app);
        return Long.parseLong(app.awaitLine("CREATION (-?\\d+)", Duration.ZERO).group(1));
    }
}

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
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which port {@code new OtpNode(name)} listens on: ERL_DIST_PORT, an
 * ephemeral port for helper names, and a clear IOException (no hang) for an
 * invalid ERL_DIST_PORT.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ListenPortTest extends ItBase {

    private DnsServer dns;

    @BeforeEach
    void dns() {
        dns = track(DnsServer.create().domain("svc.test").start());
    }

    @ParameterizedTest
    @EnumSource(JInterface.class)
    void plainNodeListensOnErlDistPort(JInterface version) {
        int distPort = FreePorts.tcp();
        JavaApp app = track(javaWithAgent("NodeMain", version, dns).env("ERL_DIST_PORT", Integer.toString(distPort))
                .args("java@svc.test", COOKIE).start());
        assertEquals(0, app.waitFor(Duration.ofSeconds(30)), app.describe());
        assertEquals("NODE java@svc.test PORT " + distPort, app.stdout().strip(), app.describe());
        assertAgentSilent(app);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rpc-x-1@svc.test", "rem-x-1@svc.test"})
    void helperNamedNodeGetsAnEphemeralPortEvenWithErlDistPortSet(String helper) {
        int distPort = FreePorts.tcp();
        JavaApp app = track(javaWithAgent("NodeMain", JInterface.V1_13_1, dns)
                .env("ERL_DIST_PORT", Integer.toString(distPort)).args(helper, COOKIE).start());
        assertEquals(0, app.waitFor(Duration.ofSeconds(30)), app.describe());
        int port = Integer.parseInt(app.awaitLine("NODE " + Pattern.quote(helper) + " PORT (\\d+)",
                Duration.ofSeconds(1)).group(1));
        assertTrue(port > 0, "a real port: " + port);
        assertNotEquals(distPort, port, "helper node must not take ERL_DIST_PORT: " + app.describe());
        assertAgentSilent(app);
    }

    @Test
    void distPortSettingWinsOverErlDistPort() {
        int distPort = FreePorts.tcp();
        int setting = FreePorts.tcp();
        JavaApp app = track(javaWithAgent("NodeMain", JInterface.V1_13_1, dns)
                .property("srvepmd.dist.port", Integer.toString(setting))
                .env("ERL_DIST_PORT", Integer.toString(distPort)).args("java@svc.test", COOKIE).start());
        assertEquals(0, app.waitFor(Duration.ofSeconds(30)), app.describe());
        assertEquals("NODE java@svc.test PORT " + setting, app.stdout().strip(), app.describe());
        assertAgentSilent(app);
    }

    @Test
    void unsetErlDistPortGivesAnEphemeralPortAndOneWarning() {
        JavaApp app = track(javaWithAgent("NodeMain", JInterface.V1_13_1, dns).args("java@svc.test", COOKIE).start());
        assertEquals(0, app.waitFor(Duration.ofSeconds(30)), app.describe());
        int port = Integer.parseInt(app.awaitLine("NODE java@svc\\.test PORT (\\d+)", Duration.ZERO).group(1));
        assertTrue(port > 0, app.describe());
        String stderr = app.stderr();
        assertEquals(1, stderr.split("ERL_DIST_PORT is not set", -1).length - 1,
                "one warning naming ERL_DIST_PORT: " + app.describe());
    }

    @Test
    void unsetErlDistPortIsAnErrorWhenRequired() {
        JavaApp app = track(javaWithAgent("NodeMain", JInterface.V1_13_1, dns)
                .property("srvepmd.dist.port-required", "true").args("java@svc.test", COOKIE).start());
        assertEquals(2, app.waitFor(Duration.ofSeconds(20)), app.describe());
        String out = app.stdout().strip();
        assertTrue(out.startsWith("ERROR java.io.IOException: ") && out.contains("ERL_DIST_PORT"), app.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "", "0", "-1", "70000"})
    void invalidErlDistPortFailsNodeCreationWithAClearIOException(String value) {
        JavaApp app = track(javaWithAgent("NodeMain", JInterface.V1_13_1, dns).env("ERL_DIST_PORT", value)
                .args("java@svc.test", COOKIE).start());
        assertEquals(2, app.waitFor(Duration.ofSeconds(20)), "node creation must fail, not hang: " + app.describe());
        String out = app.stdout().strip();
        assertTrue(out.startsWith("ERROR java.io.IOException: "), app.describe());
        assertTrue(out.contains("ERL_DIST_PORT"), "names the variable: " + out);
        if (value.isEmpty()) {
            assertTrue(out.contains("\"\"") || out.contains("''") || out.toLowerCase().contains("empty"),
                    "says the value is empty: " + out);
        } else {
            assertTrue(out.contains(value), "names the value '" + value + "': " + out);
        }
    }
}

package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.JavaApp;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A configuration error stops the JVM before the program runs: exit status
 * 78 and one line {@code srv-epmd: configuration error: ...} on stderr naming
 * the key (and the value, for a bad value).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConfigurationErrorTest extends ItBase {

    @Test
    void unknownKeyAsSystemProperty() {
        assertRefused(JavaApp.builder("NodeMain").property("srvepmd.dns.timout", "1s"), "dns.timout");
    }

    @Test
    void unknownKeyAsAgentArgument() {
        assertRefused(JavaApp.builder("NodeMain").agentArgs("dns.timout=1s"), "dns.timout");
    }

    @Test
    void badValue() {
        assertRefused(JavaApp.builder("NodeMain").property("srvepmd.dns.timeout", "soon"), "dns.timeout", "soon");
    }

    @Test
    void resolvConfThatIsNoFile() {
        assertRefused(JavaApp.builder("NodeMain").agentArgs("dns.resolv-conf=/nonexistent/resolv.conf"),
                "dns.resolv-conf", "/nonexistent/resolv.conf", "is not a file");
    }

    @Test
    void resolvConfBesideServers() {
        assertRefused(JavaApp.builder("NodeMain").agentArgs("dns.servers=127.0.0.1:53")
                .env("SRVEPMD_DNS_RESOLV_CONF", "/etc/resolv.conf"), "environment variable SRVEPMD_DNS_RESOLV_CONF",
                "is set together with dns.servers");
    }

    @Test
    void resolutionDelayWithoutUnit() {
        assertRefused(JavaApp.builder("NodeMain").agentArgs("dns.resolution-delay=50"), "dns.resolution-delay",
                "'50'", "is not a duration");
    }

    private void assertRefused(JavaApp.Builder builder, String... named) {
        JavaApp app = track(builder.env("ERL_DIST_PORT", Integer.toString(FreePorts.tcp()))
                .args("java@svc.test", ItBase.COOKIE).start());
        assertEquals(78, app.waitFor(Duration.ofSeconds(30)), app.describe());
        assertEquals("", app.stdout(), "the program must not run: " + app.describe());
        List<String> lines = app.stderr().lines().filter(l -> !l.isBlank()).collect(Collectors.toList());
        assertEquals(1, lines.size(), "one line on stderr: " + app.describe());
        assertTrue(lines.get(0).startsWith("srv-epmd: configuration error: "), app.describe());
        for (String word : named) {
            assertTrue(lines.get(0).contains(word), "names '" + word + "': " + lines.get(0));
        }
    }
}

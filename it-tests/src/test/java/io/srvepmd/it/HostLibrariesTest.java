package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.DnsServer;
import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.JavaApp.JInterface;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The agent is a guest: a host program that ships its own dnsjava, ByteBuddy
 * and SLF4J uses them undisturbed (its classes come from its own jars), while
 * JInterface works through the agent, whose relocated SLF4J stays silent.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostLibrariesTest extends ItBase {

    private static final String ERL = "erl@svc.test";

    @Test
    void hostCopiesOfBundledLibrariesCoexistWithTheAgent() {
        DnsServer dns = dnsWithErlangNode(ERL);
        String[] hostJars = System.getProperty("it.hostJars").split(":");

        JavaApp app = track(javaWithAgent("HostLibrariesMain", JInterface.V1_13_1, dns)
                .hostJars(hostJars)
                .env("ERL_DIST_PORT", Integer.toString(FreePorts.tcp()))
                .args("java@svc.test", COOKIE, ERL)
                .start());

        assertEquals(0, app.waitFor(Duration.ofSeconds(40)), app.describe());
        List<String> out = app.stdoutLines();
        assertTrue(out.contains("PING " + ERL + " ok"), app.describe());
        assertLine(out, "HOST-DNS host.example. from ", "dnsjava", app);
        assertLine(out, "HOST-BB host.Made from ", "byte-buddy", app);
        assertLine(out, "HOST-SLF4J ", "slf4j-api", app);
        String err = app.stderr();
        // Exactly the host's own SLF4J warning; a second one would be the agent's copy.
        assertEquals(1, count(err, "No SLF4J providers were found"), app.describe());
        assertFalse(err.contains("srv-epmd") || err.contains("io.srvepmd"), app.describe());
    }

    /**
     * SLF4J's system properties configure the host's SLF4J, not the agent's relocated copy: with
     * {@code slf4j.provider} naming a provider of the host's SLF4J, the copy used to try that class,
     * print a stack trace to stderr and leave dnsjava unable to resolve (the ping failed).
     */
    @Test
    void hostSlf4jPropertiesDoNotReachTheAgentsCopy() {
        DnsServer dns = dnsWithErlangNode(ERL);
        JavaApp app = track(javaWithAgent("HostLibrariesMain", JInterface.V1_13_1, dns)
                .hostJars(System.getProperty("it.hostJars").split(":"))
                .jvmOption("-Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider")
                .jvmOption("-Dslf4j.internal.verbosity=DEBUG")
                .env("ERL_DIST_PORT", Integer.toString(FreePorts.tcp()))
                .args("java@svc.test", COOKIE, ERL)
                .start());

        assertEquals(0, app.waitFor(Duration.ofSeconds(40)), app.describe());
        assertTrue(app.stdoutLines().contains("PING " + ERL + " ok"), app.describe());
        String err = app.stderr();
        // Exactly the host's own SLF4J reports the explicit provider; a second would be the agent's copy.
        assertEquals(1, count(err, "Attempting to load provider"), app.describe());
        assertFalse(err.contains("srv-epmd") || err.contains("io.srvepmd"), app.describe());
    }

    private static void assertLine(List<String> out, String prefix, String jar, JavaApp app) {
        assertTrue(out.stream().anyMatch(l -> l.startsWith(prefix) && l.contains(jar)),
                "expected '" + prefix + "...' from the host's " + jar + " jar: " + app.describe());
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            n++;
        }
        return n;
    }
}

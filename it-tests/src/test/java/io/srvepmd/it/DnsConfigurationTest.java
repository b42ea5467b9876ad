package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.BlackholeDns;
import io.srvepmd.it.support.DnsServer;
import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.JavaApp.JInterface;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dns-srv resolver's settings as a user passes them: the precedence of
 * agent arguments, system properties and environment; a list value in agent
 * arguments; a server that never answers (bounded by dns.timeout, reported
 * with the server).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DnsConfigurationTest extends ItBase {

    private static final String ERL = "erl@svc.test";

    private DnsServer dns;
    private BlackholeDns blackhole;

    @BeforeEach
    void erlangNodeAndAServerThatNeverAnswers() {
        dns = dnsWithErlangNode(ERL);
        blackhole = track(new BlackholeDns());
    }

    /** The right server is given only at {@code strongest}; every weaker source names the blackhole. */
    @ParameterizedTest
    @ValueSource(strings = {"agent-argument", "system-property", "environment"})
    void strongestSourceWins(String strongest) {
        JavaApp.Builder app = JavaApp.builder("ConnectMain").label("via-" + strongest)
                .env("ERL_DIST_PORT", Integer.toString(FreePorts.tcp()))
                .env("SRVEPMD_DNS_TIMEOUT", "1s");
        String good = dns.address();
        String bad = blackhole.address();
        switch (strongest) {
            case "agent-argument":
                app.agentArgs("dns.servers=" + good).property("srvepmd.dns.servers", bad)
                        .env("SRVEPMD_DNS_SERVERS", bad);
                break;
            case "system-property":
                app.property("srvepmd.dns.servers", good).env("SRVEPMD_DNS_SERVERS", bad);
                break;
            default:
                app.env("SRVEPMD_DNS_SERVERS", good);
                break;
        }
        JavaApp started = track(app.args("java@svc.test", COOKIE, ERL).start());
        assertEquals(0, started.waitFor(Duration.ofSeconds(30)), started.describe());
        assertTrue(started.stdoutLines().contains("RPC erlang:node() = '" + ERL + "'"), started.describe());
        assertAgentSilent(started);
    }

    @Test
    void listValueInAgentArgumentsContinuesAfterAComma() {
        assertConnects("dns.servers=" + dns.address() + "," + blackhole.address() + ",dns.timeout=1s");
    }

    @Test
    void unansweredQuestionFailsWithinTheTimeoutNamingTheServer() {
        JavaApp app = track(JavaApp.builder("ConnectMain")
                .agentArgs("dns.servers=" + blackhole.address() + ",dns.timeout=1s")
                .env("ERL_DIST_PORT", Integer.toString(FreePorts.tcp())).args("java@svc.test", COOKIE, ERL)
                .start());
        app.awaitLine("SELF .*", Duration.ofSeconds(20));
        long start = System.nanoTime();
        String error = app.awaitLine("ERROR .*", Duration.ofSeconds(10)).group();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(1, app.waitFor(Duration.ofSeconds(10)), app.describe());
        assertTrue(millis < 1000 + 5000, "a hang guard around dns.timeout=1s, took " + millis + " ms: "
                + app.describe());
        assertTrue(error.startsWith("ERROR java.io.IOException: "), app.describe());
        assertTrue(error.contains(ERL), "names the node: " + error);
        assertTrue(error.contains(blackhole.address()), "names the server: " + error);
        assertTrue(error.toLowerCase(Locale.ROOT).contains("time"), "says it timed out: " + error);
    }

    @Test
    void serverThatNeverAnswersIsSkippedForTheNextOne() {
        assertConnects("dns.servers=" + blackhole.address() + "," + dns.address() + ",dns.timeout=2s");
    }

    private void assertConnects(String agentArgs) {
        JavaApp app = track(JavaApp.builder("ConnectMain").agentArgs(agentArgs)
                .env("ERL_DIST_PORT", Integer.toString(FreePorts.tcp())).args("java@svc.test", COOKIE, ERL)
                .start());
        assertEquals(0, app.waitFor(Duration.ofSeconds(30)), app.describe());
        assertTrue(app.stdoutLines().contains("CONNECTED " + ERL), app.describe());
        assertAgentSilent(app);
    }
}

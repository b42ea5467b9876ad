package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.AgentCli;
import io.srvepmd.it.support.ChildProcess;
import io.srvepmd.it.support.Command;
import io.srvepmd.it.support.DnsServer;
import io.srvepmd.it.support.ErlangNode;
import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.Steps;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code java -jar srv-epmd-agent.jar status PID} and {@code attach PID} against
 * real child JVMs: one started with {@code -javaagent}, one without the agent,
 * and one the agent is attached to while it runs, with a JInterface node made
 * before the attach and one after.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AttachAndStatusTest extends ItBase {

    private static final String ERL = "erl@svc.test";
    private static final String JAVA = "java-0@svc.test";
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    /** JDK 21+ prints a warning for a dynamically loaded agent unless allowed; JDK 17 knows no such flag. */
    private static JavaApp.Builder allowingAttach(JavaApp.Builder b) {
        return Runtime.version().feature() >= 21 ? b.jvmOption("-XX:+EnableDynamicAgentLoading") : b;
    }

    @Test
    void statusShowsWhatTheAgentDoesAndAttachThereIsRefused() {
        int erlPort = FreePorts.tcp();
        DnsServer dns = track(DnsServer.create().domain("svc.test").node(ERL, erlPort).start());
        track(ErlangNode.start(ERL, COOKIE, dns, erlPort));
        JavaApp app = track(Steps.resolveMain("dns.servers=" + dns.address(), "connect:" + ERL, "await").start());
        app.awaitLine("AWAITING", PATIENCE);
        assertTrue(Steps.awaitConnect(app, 0, PATIENCE).ok, app.describe());
        String pid = Long.toString(app.pid());

        AgentCli status = AgentCli.run("status", pid);

        assertEquals(0, status.status, status.toString());
        assertEquals("", status.stderr, status.toString());
        assertTrue(status.line("pid " + pid + ": srv-epmd agent loaded at JVM start (-javaagent); Java ")
                .endsWith(", main io.srvepmd.it.app.ResolveMain"), status.toString());
        assertEquals("  dns.servers=" + dns.address() + "  (agent argument dns.servers)",
                status.line("  dns.servers="));
        assertTrue(status.line("  dns-srv: Calls=1 Answers=1 NotMine=0 NotFound=0 Unavailable=0 Timeouts=0"
                + " RunningCalls=0 Questions=1 NoErrorAnswers=1 ").length() > 0, status.toString());
        assertTrue(status.line("counters: Lookups=1 LocalAnswers=0 CacheHits=0 CacheMisses=1 StaleAnswers=0"
                + " NegativeAnswers=0 ResolutionFailures=0 ConnectAttempts=1 ConnectFailures=0 HandshakeFailures=0"
                + " Invalidations=0")
                .length() > 0, status.toString());
        assertEquals("cached nodes: 1", status.line("cached nodes:"));
        String cached = status.line("  " + ERL + "  answer from dns-srv (SRV erl.svc.test via " + dns.address()
                + "), age ");
        assertTrue(cached.endsWith(", candidates [127.0.0.1:" + erlPort + "]")
                && (cached.contains(", fresh for ") || cached.contains(", expired")), cached);

        AgentCli again = AgentCli.run("attach", pid, "dns.servers=" + dns.address());
        assertEquals(1, again.status, again.toString());
        assertTrue(again.stderr.startsWith("srv-epmd: not attached: the agent already runs in pid " + pid
                + " (loaded at JVM start with -javaagent); its settings are fixed until that JVM restarts."),
                again.toString());

        app.send("done");
        assertEquals(0, app.waitFor(PATIENCE), app.describe());
        assertAgentSilent(app);
    }

    @Test
    void statusOfAJvmWithoutTheAgentSaysHowToLoadIt() {
        JavaApp app = track(JavaApp.builder("ResolveMain").withoutAgent().args(COOKIE, "await").start());
        app.awaitLine("AWAITING", PATIENCE);
        String pid = Long.toString(app.pid());

        AgentCli status = AgentCli.run("status", pid);

        assertEquals(1, status.status, status.toString());
        assertEquals("", status.stdout, status.toString());
        assertTrue(status.stderr.startsWith("srv-epmd: pid " + pid + " (Java "), status.toString());
        assertTrue(status.stderr.contains(", main io.srvepmd.it.app.ResolveMain) does not run the srv-epmd agent;"
                + " load it with: java -jar srv-epmd-agent.jar attach " + pid + " [key=value ...]"), status.toString());
    }

    /**
     * The Attach API starts a JVM's attach listener with SIGQUIT, which ends a process that does not
     * catch it: a wrong pid must be refused, not signalled.
     */
    @Test
    void aPidThatIsNoJvmIsRefusedAndLeftRunning() {
        ChildProcess sleeper = track(Command.start("sleep", List.of("sleep", "600"), Map.of()));

        AgentCli status = AgentCli.run("status", Long.toString(sleeper.pid()));

        assertEquals(1, status.status, status.toString());
        assertTrue(status.stderr.startsWith("srv-epmd: pid " + sleeper.pid() + " (/usr/bin/sleep) is not a Java VM"
                + " (no libjvm.so in its memory map); not attaching"), status.toString());
        assertTrue(sleeper.isAlive(), sleeper.describe());
    }

    /**
     * JInterface on the class path but not loaded yet: the attach loads and hooks it, and it stays
     * hooked (a retransformation after removing the transformer would restore the stock classes).
     */
    @Test
    void anAttachBeforeJInterfaceLoadsHooksItForGood() {
        int javaPort = FreePorts.tcp();
        JavaApp app = track(allowingAttach(JavaApp.builder("AttachMain").withoutAgent()
                .env("ERL_DIST_PORT", Integer.toString(javaPort)).args(COOKIE, "await", "node:" + JAVA)).start());
        app.awaitLine("AWAITING", PATIENCE);
        String pid = Long.toString(app.pid());

        AgentCli attach = AgentCli.run("attach", pid, "dns.servers=127.0.0.1:9");

        assertEquals(0, attach.status, attach.toString());
        assertEquals("  nodes created before the attach: none (JInterface was not loaded in pid " + pid
                + "; it is hooked now)", attach.line("  nodes created before"), attach.toString());
        app.send("go");
        // Stock JInterface would fail here: "Nameserver not responding on svc.test when publishing java-0".
        app.awaitLine("NODE " + JAVA + " PORT " + javaPort, PATIENCE);
        assertEquals(0, app.waitFor(PATIENCE), app.describe());
        assertAgentSilent(app);
    }

    @Test
    void nodesCreatedAfterAnAttachAreEpmdLessAndTheAttachSaysWhatStays() {
        int erlPort = FreePorts.tcp();
        int javaPort = FreePorts.tcp();
        DnsServer dns = track(DnsServer.create().domain("svc.test").node(ERL, erlPort).node(JAVA, javaPort).start());
        track(ErlangNode.start(ERL, COOKIE, dns, erlPort));
        JavaApp app = track(allowingAttach(JavaApp.builder("AttachMain").withoutAgent()
                .env("ERL_DIST_PORT", Integer.toString(javaPort))
                .args(COOKIE, "self:pre@svc.test", "self-connect:" + ERL, "await", "self-connect:" + ERL,
                        "node:" + JAVA, "ping:" + ERL, "wait")).start());
        app.awaitLine("AWAITING", PATIENCE);
        String pid = Long.toString(app.pid());
        // Before the attach: stock JInterface, and no epmd anywhere, so the pre-existing node cannot connect.
        app.awaitLine("CONNECT " + ERL + " failed .*Nameserver not responding on svc.test when looking up erl.*",
                PATIENCE);

        AgentCli bad = AgentCli.run("attach", pid, "dns.timout=1s");
        assertEquals(78, bad.status, bad.toString());
        assertTrue(bad.stderr.startsWith("srv-epmd: the agent did not start in pid " + pid + ": configuration error:"
                + " unknown setting agent argument dns.timout='1s'; known keys: "), bad.toString());
        assertTrue(bad.stderr.trim().endsWith("(nothing changed there; fix this and attach again)"), bad.toString());

        AgentCli attach = AgentCli.run("attach", pid, "dns.servers=" + dns.address());

        assertEquals(0, attach.status, attach.toString());
        assertEquals("", attach.stderr, attach.toString());
        assertTrue(attach.line("srv-epmd: agent loaded into pid " + pid + " (Java ").endsWith(
                ", main io.srvepmd.it.app.AttachMain)"), attach.toString());
        assertEquals("  setting dns.servers=" + dns.address() + "  (agent argument dns.servers)",
                attach.line("  setting "));
        assertTrue(attach.line("  nodes created from now on: epmd-less; they listen on port " + javaPort
                + " (environment variable ERL_DIST_PORT; ").endsWith(" find peers through dns-srv"), attach.toString());
        assertEquals("  JInterface was already loaded; hooked now by retransformation:"
                + " com.ericsson.otp.erlang.AbstractConnection, com.ericsson.otp.erlang.AbstractNode,"
                + " com.ericsson.otp.erlang.OtpEpmd",
                attach.line("  JInterface was already loaded"));
        assertTrue(attach.line("  nodes created before the attach cannot change: their listen port (ephemeral,"
                + " unless the program chose one - not ERL_DIST_PORT; ").length() > 0, attach.toString());
        assertTrue(attach.line("  what does change for them: their new connections find peers through dns-srv")
                .length() > 0, attach.toString());

        app.send("go");
        // The node made before the attach now finds its peer through DNS (its lookups and connects are hooked) ...
        app.awaitLine("CONNECT " + ERL + " ok \\d+", PATIENCE);
        // ... and a node made after it listens on ERL_DIST_PORT and reaches the Erlang node through DNS.
        app.awaitLine("NODE " + JAVA + " PORT " + javaPort, PATIENCE);
        app.awaitLine("PING " + ERL + " ok", PATIENCE);
        assertTrue(dns.queries("erl.svc.test", "SRV") >= 1, dns.queryLog().toString());

        AgentCli status = AgentCli.run("status", pid);
        assertEquals(0, status.status, status.toString());
        assertTrue(status.line("pid " + pid + ": srv-epmd agent attached to the running JVM; ").length() > 0);
        assertTrue(status.line("  " + ERL + "  answer from dns-srv (SRV erl.svc.test via " + dns.address())
                .length() > 0, status.toString());

        AgentCli again = AgentCli.run("attach", pid, "dns.servers=" + dns.address());
        assertEquals(1, again.status, again.toString());
        assertTrue(again.stderr.startsWith("srv-epmd: not attached: the agent already runs in pid " + pid
                + " (attached earlier)"), again.toString());

        app.process().closeStdin();
        assertEquals(0, app.waitFor(PATIENCE), app.describe());
        assertAgentSilent(app);
    }
}

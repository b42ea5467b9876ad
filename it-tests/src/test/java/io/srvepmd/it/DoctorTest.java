package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.AgentCli;
import io.srvepmd.it.support.DnsServer;
import io.srvepmd.it.support.ErlangNode;
import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.JavaApp.JInterface;
import io.srvepmd.it.support.OnEachOtp;
import io.srvepmd.it.support.Otp;
import io.srvepmd.it.support.Steps;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code java -jar srv-epmd-agent.jar doctor} against real setups: dnsmasq, an
 * epmd-less Erlang node and a Java node with the agent. Each broken setup
 * breaks one thing, and the doctor must name it on a FAIL line with its fix,
 * pass the rest, and exit 1. The checks whose answer comes from an Erlang node
 * (its distribution handshake names it) run on OTP 25 and 27, and that node
 * must log nothing about the doctor's probe.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DoctorTest extends ItBase {

    private static final String ERL = "erl@svc.test";
    private static final String JAVA = "java-0@svc.test";

    @OnEachOtp
    void aHealthySetupPassesEveryCheck(Otp otp) {
        int erlPort = FreePorts.tcp();
        int javaPort = FreePorts.tcp();
        DnsServer dns = track(DnsServer.create().domain("svc.test").node(ERL, erlPort).node(JAVA, javaPort).start());
        ErlangNode erl = track(ErlangNode.start(otp, ERL, COOKIE, dns, erlPort));
        JavaApp java = track(JavaApp.builder("NodeMain").jinterface(otp.jinterface())
                .agentArgs("dns.servers=" + dns.address())
                .env("ERL_DIST_PORT", Integer.toString(javaPort)).args(JAVA, COOKIE, "wait").start());
        java.awaitLine("NODE " + JAVA + " PORT " + javaPort, Duration.ofSeconds(30));

        // Run beside the Java node's JInterface, as its class path has it.
        AgentCli doctor = AgentCli.runBeside(otp.jinterface().jar(), Map.of("ERL_DIST_PORT",
                Integer.toString(javaPort)), "dns.servers=" + dns.address(), "doctor", "--node", JAVA, ERL);

        assertEquals(0, doctor.status, doctor.toString());
        assertEquals(List.of(), doctor.lines("FAIL"), doctor.toString());
        assertTrue(doctor.line("OK    settings: valid: dns.servers=" + dns.address()).endsWith(
                "(agent argument dns.servers)"), doctor.toString());
        assertTrue(doctor.line("OK    dns server " + dns.address() + ": answers in ").endsWith(" ms (SRV java-0.svc.test"
                + " via " + dns.address() + ": [127.0.0.1:" + javaPort + "])"), doctor.toString());
        assertEquals("OK    local node " + JAVA + ": SRV java-0.svc.test via " + dns.address() + " publishes [127.0.0.1:"
                + javaPort + "]: the port in ERL_DIST_PORT and an address of this host",
                doctor.line("OK    local node"));
        assertEquals("OK    port " + javaPort + " (ERL_DIST_PORT): held by node " + JAVA + " (it answered the"
                + " distribution handshake there)", doctor.line("OK    port"));
        assertEquals("OK    resolvers: dns-srv (built into the agent jar)", doctor.line("OK    resolvers"));
        assertEquals("OK    jinterface " + otp.jinterface().version() + " (" + otp.jinterface().jar() + "): its"
                + " handshake offers every flag OTP 25-29 nodes require", doctor.line("OK    jinterface"));
        assertEquals("OK    peer " + ERL + ": SRV erl.svc.test via " + dns.address() + ", 127.0.0.1:" + erlPort
                + " accepts TCP and answers the distribution handshake as " + ERL, doctor.line("OK    peer"));
        assertEquals("doctor: all 7 checks passed", doctor.line("doctor:"));
        assertEquals("", doctor.stderr, doctor.toString());

        // The handshakes the doctor started and dropped left no trace in either node's output.
        java.process().closeStdin();
        assertEquals(0, java.waitFor(Duration.ofSeconds(30)), java.describe());
        assertAgentSilent(java);
        assertNodeLoggedNothing(erl);
    }

    /**
     * Maven Central's JInterface 1.6.1 on the class path, a node of OTP 25 or 27 as the peer: the peer line
     * fails, naming what the jar lacks and which jar to use; the doctor's own probe leaves no trace on the
     * node. A program on that jar then indeed cannot connect.
     */
    @OnEachOtp
    void aJInterfaceTooOldForThePeerFailsAndNamesTheJarToUse(Otp otp) {
        int erlPort = FreePorts.tcp();
        DnsServer dns = track(DnsServer.create().domain("svc.test").node(ERL, erlPort).start());
        ErlangNode erl = track(ErlangNode.start(otp, ERL, COOKIE, dns, erlPort));
        Path old = JInterface.V1_6_1.jar();

        AgentCli doctor = AgentCli.runBeside(old, Map.of(), "dns.servers=" + dns.address(), "doctor", ERL);

        assertEquals(1, doctor.status, doctor.toString());
        assertEquals("OK    jinterface 1.6.1 (" + old + "): its handshake lacks EXPORT_PTR_TAG, BIG_CREATION,"
                + " HANDSHAKE_23, UNLINK_ID, V4_NC, so nodes of OTP 25 and later refuse it (Java nodes on the same"
                + " JInterface do not)", doctor.line("OK    jinterface"));
        assertEquals(List.of("FAIL  peer " + ERL + ": SRV erl.svc.test via " + dns.address() + ", 127.0.0.1:" + erlPort
                + " accepts TCP and answers the distribution handshake as " + ERL + ", but JInterface 1.6.1 (" + old
                + ") on this class path cannot talk to it: its handshake lacks EXPORT_PTR_TAG, BIG_CREATION,"
                + " HANDSHAKE_23, UNLINK_ID, V4_NC, which nodes of OTP 25 and later require (such a node refuses the"
                + " connection, and may log that it \"cannot handle\" them); fix: use the JInterface of " + ERL
                + "'s OTP release (OtpErlang.jar in that installation's lib/jinterface-VERSION/priv; Debian: package"
                + " erlang-jinterface) instead of " + old + " (Maven Central's org.erlang.otp:jinterface, 1.6.1 at"
                + " newest, is too old for OTP 23 and later)"), doctor.lines("FAIL"), doctor.toString());
        assertEquals("doctor: 1 of 5 checks failed", doctor.line("doctor:"));
        assertNodeLoggedNothing(erl);

        JavaApp app = track(Steps.resolveMain(JInterface.V1_6_1, "dns.servers=" + dns.address(), "connect:" + ERL)
                .start());
        assertEquals(0, app.waitFor(Duration.ofSeconds(30)), app.describe());
        assertFalse(Steps.awaitConnect(app, 0, Duration.ofSeconds(1)).ok, "1.6.1 connects to " + otp + ": "
                + app.describe());
    }

    /** Erlang logs a refused handshake ("... rejected since it cannot handle [...]") on its standard output. */
    private static void assertNodeLoggedNothing(ErlangNode erl) {
        assertEquals(List.of("READY " + erl.name()), erl.process().stdoutLines(), erl.process().describe());
        assertEquals("", erl.process().stderr(), erl.process().describe());
    }

    @Test
    void aPublishedPortThatIsNotErlDistPortFailsWithItsFix() {
        int published = FreePorts.tcp();
        int distPort = FreePorts.tcp();
        DnsServer dns = track(DnsServer.create().domain("svc.test").node(JAVA, published).start());

        AgentCli doctor = AgentCli.run(Map.of("ERL_DIST_PORT", Integer.toString(distPort)),
                "dns.servers=" + dns.address(), "doctor", "--node", JAVA);

        assertEquals(1, doctor.status, doctor.toString());
        assertEquals(List.of("FAIL  local node " + JAVA + ": SRV java-0.svc.test via " + dns.address()
                + " publishes [127.0.0.1:" + published + "], but ERL_DIST_PORT=" + distPort + ": peers would connect"
                + " to 127.0.0.1:" + published + ", where this node does not listen; fix: publish port " + distPort
                + " in SRV java-0.svc.test, or set ERL_DIST_PORT to the published port where the node runs"),
                doctor.lines("FAIL"), doctor.toString());
        assertTrue(doctor.line("OK    port " + distPort + " (ERL_DIST_PORT): free").length() > 0);
        assertEquals("doctor: 1 of 5 checks failed", doctor.line("doctor:"));
    }

    @Test
    void anUnsetErlDistPortFailsAndTheFixNamesThePublishedPort() {
        int published = FreePorts.tcp();
        DnsServer dns = track(DnsServer.create().domain("svc.test").node(JAVA, published).start());

        AgentCli doctor = AgentCli.run("dns.servers=" + dns.address(), "doctor", "--node", JAVA);

        assertEquals(1, doctor.status, doctor.toString());
        assertEquals(List.of("FAIL  listen port: ERL_DIST_PORT is not set (nor dist.port), so " + JAVA + " would listen"
                + " on an ephemeral port that no SRV record can name; fix: export ERL_DIST_PORT=" + published
                + " (the port SRV java-0.svc.test publishes) where the node runs, or set dist.port"),
                doctor.lines("FAIL"), doctor.toString());
        assertTrue(doctor.line("OK    local node " + JAVA).endsWith(": an address of this host (the port: see the"
                + " next line)"), doctor.toString());
    }

    @OnEachOtp
    void aPortHeldByAnotherNodeFailsAndNamesIt(Otp otp) {
        int erlPort = FreePorts.tcp();
        // java-0 is published on the port the Erlang node took, and given it as ERL_DIST_PORT.
        DnsServer dns = track(DnsServer.create().domain("svc.test").node(ERL, erlPort).node(JAVA, erlPort).start());
        ErlangNode erl = track(ErlangNode.start(otp, ERL, COOKIE, dns, erlPort));

        AgentCli doctor = AgentCli.run(Map.of("ERL_DIST_PORT", Integer.toString(erlPort)),
                "dns.servers=" + dns.address(), "doctor", "--node", JAVA);

        assertEquals(1, doctor.status, doctor.toString());
        assertEquals(List.of("FAIL  port " + erlPort + " (ERL_DIST_PORT): held by another node, " + ERL + " (it answered"
                + " the distribution handshake there), not " + JAVA + "; fix: give " + JAVA + " its own port, or stop "
                + ERL), doctor.lines("FAIL"), doctor.toString());
        assertEquals("doctor: 1 of 5 checks failed", doctor.line("doctor:"));
        assertNodeLoggedNothing(erl);
    }

    @Test
    void aDnsServerThatDoesNotAnswerFailsWithItsFix() {
        int distPort = FreePorts.tcp();
        int silent = FreePorts.tcpAndUdp(); // nothing listens: the kernel answers with ICMP port unreachable
        DnsServer dns = track(DnsServer.create().domain("svc.test").node(JAVA, distPort).start());

        AgentCli doctor = AgentCli.run(Map.of("ERL_DIST_PORT", Integer.toString(distPort)),
                "dns.servers=" + dns.address() + ",127.0.0.1:" + silent, "doctor", "--node", JAVA);

        assertEquals(1, doctor.status, doctor.toString());
        List<String> failed = doctor.lines("FAIL");
        assertEquals(1, failed.size(), doctor.toString());
        assertTrue(failed.get(0).startsWith("FAIL  dns server 127.0.0.1:" + silent + " does not answer: SRV"
                + " java-0.svc.test for node " + JAVA + ": no usable answer within "), doctor.toString());
        assertTrue(failed.get(0).contains("127.0.0.1:" + silent + " refused (ICMP port unreachable)"),
                doctor.toString());
        assertTrue(failed.get(0).endsWith("; fix: check that a DNS server runs there (UDP and TCP; Consul answers"
                + " on port 8600) and that this host may reach it, or remove it from dns.servers"), doctor.toString());
        assertTrue(doctor.line("OK    dns server " + dns.address() + ": answers in ").length() > 0);
        assertTrue(doctor.line("OK    local node " + JAVA).length() > 0); // the other server answers for it
        assertEquals("doctor: 1 of 6 checks failed", doctor.line("doctor:"));
    }

    @Test
    void anUnresolvablePeerAndAClosedPeerFailWithTheirFixes() {
        int closedPort = FreePorts.tcp(); // published, but nothing listens there
        DnsServer dns = track(DnsServer.create().domain("svc.test").node("closed@svc.test", closedPort).start());

        AgentCli doctor = AgentCli.run("dns.servers=" + dns.address(), "doctor", "ghost@svc.test",
                "closed@svc.test");

        assertEquals(1, doctor.status, doctor.toString());
        assertEquals("FAIL  peer ghost@svc.test: cannot resolve: srv-epmd: cannot resolve node ghost@svc.test with"
                + " resolver dns-srv: SRV ghost.svc.test for node ghost@svc.test: NXDOMAIN from " + dns.address()
                + "; fix: check the node name, and that SRV ghost.svc.test exists where dns.servers point"
                + " (dig @SERVER -p PORT SRV ghost.svc.test)", doctor.line("FAIL  peer ghost"));
        String closed = doctor.line("FAIL  peer closed");
        assertTrue(closed.startsWith("FAIL  peer closed@svc.test: SRV closed.svc.test via " + dns.address()
                + ", but nothing accepts TCP there (127.0.0.1:" + closedPort + " Connection refused"), closed);
        assertTrue(closed.endsWith("; fix: start the node, check that SRV closed.svc.test publishes the port in its"
                + " ERL_DIST_PORT, and that the network lets this host reach it"), closed);
        // Without --node, the first peer is the question each DNS server is asked; NXDOMAIN is an answer.
        assertTrue(doctor.line("OK    dns server " + dns.address() + ": answers in ").endsWith(" ms (SRV ghost.svc.test"
                + " for node ghost@svc.test: NXDOMAIN from " + dns.address() + ")"), doctor.toString());
        assertTrue(doctor.line("SKIP  listen port: ERL_DIST_PORT is not set (nor dist.port) and no --node given")
                .length() > 0);
        assertEquals("SKIP  jinterface: none on this class path (java -jar sees only the agent jar); to check the"
                + " program's, run doctor with it: java -cp srv-epmd-agent.jar:/path/to/OtpErlang.jar"
                + " io.srvepmd.agent.Cli [key=value ...] doctor [--node NAME] [PEER ...]", doctor.line("SKIP  jinterface"));
        assertEquals("doctor: 2 of 5 checks failed", doctor.line("doctor:"));
    }

    @Test
    void invalidSettingsAreTheOneFailingCheck() {
        AgentCli doctor = AgentCli.run("dns.timout=1s", "doctor");

        assertEquals(1, doctor.status, doctor.toString());
        assertTrue(doctor.line("FAIL  settings: unknown setting agent argument dns.timout='1s'; known keys: ")
                .endsWith("; fix: correct that setting (java -jar srv-epmd-agent.jar settings shows each one and where"
                + " it comes from); the other checks need valid settings"), doctor.toString());
        assertEquals("doctor: 1 of 1 checks failed", doctor.line("doctor:"));
    }
}

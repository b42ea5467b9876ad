package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.DnsServer;
import io.srvepmd.it.support.ErlangNode;
import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.JavaApp.JInterface;
import io.srvepmd.it.support.TlsLab;
import io.srvepmd.it.support.TlsLab.ErlangTls;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Mutual-TLS distribution against real OTP nodes running {@code -proto_dist inet_tls
 * -ssl_dist_optfile} (verify_peer, fail_if_no_peer_cert) with the SRV epmd module, both directions:
 * a Java node with the agent and {@code tls.enabled=true} pings, messages and calls a TLS Erlang node
 * it finds through SRV, and a TLS Erlang node finds the Java node through SRV and messages it; with
 * every key format the agent reads, a chain with an intermediate, TLS 1.3, and {@code inet6_tls}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TlsDistributionTest extends ItBase {

    static final String JAVA = "java@svc.test";
    static final String ERL = "erl@svc.test";
    static final Duration PATIENCE = Duration.ofSeconds(40);

    /** A dnsmasq publishing JAVA and ERL on their ports. */
    static DnsServer dns(int javaPort, int erlPort) {
        return DnsServer.create().domain("svc.test").node(JAVA, javaPort).node(ERL, erlPort).start();
    }

    static JavaApp.Builder java(DnsServer dns, int javaPort, String tlsArgs, String... actions) {
        String[] args = new String[actions.length + 2];
        args[0] = JAVA;
        args[1] = COOKIE;
        System.arraycopy(actions, 0, args, 2, actions.length);
        return JavaApp.builder("NodeMain").jinterface(JInterface.V1_13_1)
                .agentArgs("dns.servers=" + dns.address() + "," + tlsArgs)
                .env("ERL_DIST_PORT", Integer.toString(javaPort)).args(args);
    }

    @Test
    void javaPingsMessagesAndCallsATlsErlangNode() {
        int javaPort = FreePorts.tcp();
        int erlPort = FreePorts.tcp();
        DnsServer dns = track(dns(javaPort, erlPort));
        track(TlsLab.erlang(ERL, dns, erlPort, ErlangTls.standard()));
        JavaApp app = track(java(dns, javaPort, TlsLab.agentArgs("rsa.pem", "rsa.key", "ca.pem"),
                "ping:" + ERL, "echo:" + ERL, "rpc-node:" + ERL, "rpc-reverse:" + ERL).start());
        assertEquals(0, app.waitFor(PATIENCE), app.describe());
        List<String> lines = app.stdoutLines();
        assertTrue(lines.contains("PING " + ERL + " ok"), app.describe());
        assertTrue(lines.contains("ECHO hello FROM " + ERL), app.describe());
        assertTrue(lines.contains("RPC erlang:node() = '" + ERL + "'"), app.describe());
        assertTrue(lines.contains("RPC lists:reverse([a,b,c]) = [c,b,a]"), app.describe());
        assertAgentSilent(app);
    }

    @Test
    void aTlsErlangNodeFindsTheJavaNodeThroughSrvAndMessagesIt() {
        int javaPort = FreePorts.tcp();
        int erlPort = FreePorts.tcp();
        DnsServer dns = track(dns(javaPort, erlPort));
        JavaApp java = track(java(dns, javaPort, TlsLab.agentArgs("rsa.pem", "rsa.key", "ca.pem"),
                "serve:inbox:1").start());
        java.awaitLine("SERVING inbox", Duration.ofSeconds(20));
        ErlangNode erl = track(TlsLab.erlang(ERL, dns, erlPort, ErlangTls.standard()));
        assertTrue(erl.ping(JAVA), erl.process().describe());
        assertEquals("{ok,<<\"hello\">>}", erl.sendAndAwaitReply(JAVA, "inbox", "hello"), java.describe());
        java.awaitLine("SERVED", Duration.ofSeconds(10));
        assertEquals(0, java.waitFor(Duration.ofSeconds(10)), java.describe());
        assertTrue(dns.queries("java.svc.test", "SRV") >= 1, "Erlang asked SRV java.svc.test: " + dns.queryLog());
        assertAgentSilent(java);
    }

    /** Each key format in both roles: the Java node pings Erlang (TLS client), then Erlang pings it (server). */
    @ParameterizedTest(name = "{0} + {1}")
    @CsvSource({
        "rsa.pem, rsa.key, ''",
        "rsa.pem, rsa-pkcs1.key, ''",
        "rsa.pem, rsa-enc.key, 'tls.password=s3cret'",
        "'', rsa.p12, 'tls.password=s3cret'",
        "ec.pem, ec-sec1.key, ''",
        "ec.pem, ec.key, ''",
        "chain.pem, chain.key, ''",
    })
    void everyKeyFormatInBothRoles(String cert, String key, String more) {
        int javaPort = FreePorts.tcp();
        int erlPort = FreePorts.tcp();
        DnsServer dns = track(dns(javaPort, erlPort));
        ErlangNode erl = track(TlsLab.erlang(ERL, dns, erlPort, ErlangTls.standard()));
        String tls = "tls.enabled=true,tls.keyfile=" + TlsLab.file(key) + ",tls.cacertfile=" + TlsLab.file("ca.pem")
                + (cert.isEmpty() ? "" : ",tls.certfile=" + TlsLab.file(cert)) + (more.isEmpty() ? "" : "," + more)
                + TlsLab.PATIENT_CONNECTS;
        JavaApp java = track(java(dns, javaPort, tls, "ping:" + ERL, "serve:inbox:1").start());
        java.awaitLine("SERVING inbox", PATIENCE);
        assertTrue(java.stdoutLines().contains("PING " + ERL + " ok"), java.describe());
        assertEquals("{ok,<<\"hi\">>}", erl.sendAndAwaitReply(JAVA, "inbox", "hi"), java.describe());
        assertEquals(0, java.waitFor(Duration.ofSeconds(20)), java.describe());
        assertAgentSilent(java);
    }

    @Test
    void tls13WhenTheErlangSideAsksForIt() {
        int javaPort = FreePorts.tcp();
        int erlPort = FreePorts.tcp();
        DnsServer dns = track(dns(javaPort, erlPort));
        // OTP 25 refuses secure_renegotiate with TLS 1.3 only: the option file has none
        ErlangNode erl = track(TlsLab.erlang(ERL, dns, erlPort, ErlangTls.standard().option("{versions,"
                + " ['tlsv1.3']}")));
        JavaApp java = track(java(dns, javaPort, TlsLab.agentArgs("rsa.pem", "rsa.key", "ca.pem"),
                "ping:" + ERL, "serve:inbox:1").start());
        java.awaitLine("SERVING inbox", PATIENCE);
        assertTrue(java.stdoutLines().contains("PING " + ERL + " ok"), java.describe());
        assertEquals("{ok,<<\"v13\">>}", erl.sendAndAwaitReply(JAVA, "inbox", "v13"), java.describe());
        assertEquals(0, java.waitFor(Duration.ofSeconds(20)), java.describe());
        assertAgentSilent(java);
    }

    @Test
    void inet6TlsOnLoopback() {
        int javaPort = FreePorts.tcp();
        int erlPort = FreePorts.tcp();
        String srv = "erl6.svc.test";
        DnsServer dns = track(DnsServer.create().domain("svc.test").srv(srv, srv, erlPort, 0, 0).host(srv, "::1")
                .start());
        track(TlsLab.erlang("erl6@svc.test", dns, erlPort, ErlangTls.standard(), "inet6_tls", List.of("-kernel",
                "inet_dist_use_interface", "{0,0,0,0,0,0,0,1}")));
        JavaApp java = track(java(dns, javaPort, TlsLab.agentArgs("rsa.pem", "rsa.key", "ca.pem"),
                "ping:erl6@svc.test", "echo:erl6@svc.test").start());
        assertEquals(0, java.waitFor(PATIENCE), java.describe());
        assertTrue(java.stdoutLines().contains("ECHO hello FROM erl6@svc.test"), java.describe());
        assertAgentSilent(java);
    }

    @Test
    void aBadFileStopsTheJvmWithOneLine() {
        DnsServer dns = track(dns(FreePorts.tcp(), FreePorts.tcp()));
        JavaApp java = track(java(dns, FreePorts.tcp(), TlsLab.agentArgs("rsa.pem", "ec.key", "ca.pem")).start());
        assertEquals(78, java.waitFor(Duration.ofSeconds(20)), java.describe());
        String err = java.stderr().trim();
        assertFalse(err.contains("\n"), "one line: " + err);
        assertTrue(err.startsWith("srv-epmd: configuration error: agent argument tls.keyfile=" + TlsLab.file("ec.key")
                + " (PKCS#8 EC) is not the key of the certificate in agent argument tls.certfile="), err);
    }
}

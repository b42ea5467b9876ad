package io.srvepmd.it;

import static io.srvepmd.it.TlsDistributionTest.ERL;
import static io.srvepmd.it.TlsDistributionTest.JAVA;
import static io.srvepmd.it.TlsDistributionTest.PATIENCE;
import static io.srvepmd.it.TlsDistributionTest.dns;
import static io.srvepmd.it.TlsDistributionTest.java;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.DnsServer;
import io.srvepmd.it.support.ErlangNode;
import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.OnEachOtp;
import io.srvepmd.it.support.Otp;
import io.srvepmd.it.support.Steps;
import io.srvepmd.it.support.TlsLab;
import io.srvepmd.it.support.TlsLab.ErlangTls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Refusals from both sides against real TLS Erlang nodes, each named in the Java node's log, the
 * node serving good peers afterwards; and rotation: files replaced under a running Java node serve
 * new connections while established ones go on.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsRefusalTest extends ItBase {

    private static final String GOOD = TlsLab.agentArgs("rsa.pem", "rsa.key", "ca.pem");

    /** A TLS connection attempt of ResolveMain ({@code connect:PEER}) and its outcome line, with the error chain. */
    private Steps.Connect connect(DnsServer dns, String tlsArgs, String peer) {
        return connect(Otp.otp25(), dns, tlsArgs, peer);
    }

    /** As {@link #connect(DnsServer, String, String)} on the JInterface of {@code otp}. */
    private Steps.Connect connect(Otp otp, DnsServer dns, String tlsArgs, String peer) {
        JavaApp app = track(Steps.resolveMain(otp.jinterface(), "dns.servers=" + dns.address() + "," + tlsArgs,
                "connect:" + peer).start());
        assertEquals(0, app.waitFor(PATIENCE), app.describe());
        return Steps.awaitConnect(app, 0, Duration.ofSeconds(1));
    }

    @OnEachOtp
    void erlangRefusesAJavaNodeOfAnotherCaAndTheConnectSaysSo(Otp otp) {
        int erlPort = FreePorts.tcp();
        DnsServer dns = track(dns(FreePorts.tcp(), erlPort));
        track(TlsLab.erlang(otp, ERL, dns, erlPort, ErlangTls.standard()));
        Steps.Connect c = connect(otp, dns, TlsLab.agentArgs("other.pem", "other.key", "ca.pem"), ERL);
        assertFalse(c.ok, c.toString());
        assertTrue(c.error.contains("TLS handshake with svc.test at 127.0.0.1:" + erlPort + " failed: "), c.error);
        assertTrue(c.error.contains("refused-by-peer") || c.error.contains("failed: closed: the peer"), c.error);
    }

    @Test
    void javaRefusesErlangServersOfAnotherCaOrForAnotherHostNamingWhy() {
        int strangerPort = FreePorts.tcp();
        int wrongHostPort = FreePorts.tcp();
        DnsServer dns = track(DnsServer.create().domain("svc.test").node("stranger@svc.test", strangerPort)
                .node("wronghost@svc.test", wrongHostPort).start());
        track(TlsLab.erlang("stranger@svc.test", dns, strangerPort, ErlangTls.standard()
                .identity("other.pem", "other.key").trusting("ca.pem")));
        track(TlsLab.erlang("wronghost@svc.test", dns, wrongHostPort, ErlangTls.standard()
                .identity("wronghost.pem", "rsa.key")));
        Steps.Connect c = connect(dns, GOOD, "stranger@svc.test");
        assertTrue(!c.ok && c.error.contains("TLS handshake with svc.test at 127.0.0.1:" + strangerPort
                + " failed: untrusted-peer: the peer's certificate is not issued by a CA in tls.cacertfile"),
                c.toString());
        c = connect(dns, GOOD, "wronghost@svc.test");
        assertTrue(!c.ok && c.error.contains("failed: hostname-mismatch"), c.toString());
        c = connect(dns, GOOD + ",tls.hostname-check=false", "wronghost@svc.test");
        assertTrue(c.ok, "tls.hostname-check=false: " + c);
    }

    @Test
    void aTlsJavaNodeMeetingAPlainErlangNodeIsRefusedWithinTheBound() {
        int erlPort = FreePorts.tcp();
        DnsServer dns = track(dns(FreePorts.tcp(), erlPort));
        track(TlsLab.erlang(ERL, dns, erlPort, null, "inet_tcp", List.of()));
        Steps.Connect c = connect(dns, TlsLab.tlsOnly("rsa.pem", "rsa.key", "ca.pem")
                + ",connect.timeout=2s,connect.total-timeout=3s", ERL);
        assertTrue(!c.ok && c.error.contains("TLS handshake with svc.test at 127.0.0.1:" + erlPort + " failed: "),
                c.toString());
    }

    @OnEachOtp
    void javaRefusesErlangClientsOfAnotherCaWithoutACertificateOrWithoutTlsAndServesGoodOnes(Otp otp) {
        int javaPort = FreePorts.tcp();
        int strangerPort = FreePorts.tcp();
        int anonPort = FreePorts.tcp();
        int plainPort = FreePorts.tcp();
        int erlPort = FreePorts.tcp();
        DnsServer dns = track(DnsServer.create().domain("svc.test").node(JAVA, javaPort)
                .node("stranger@svc.test", strangerPort).node("anon@svc.test", anonPort)
                .node("plain@svc.test", plainPort).node(ERL, erlPort).start());
        JavaApp java = track(java(otp, JAVA, dns, javaPort, GOOD, "serve:inbox:1").start());
        java.awaitLine("SERVING inbox", PATIENCE);

        ErlangNode stranger = track(TlsLab.erlang(otp, "stranger@svc.test", dns, strangerPort,
                ErlangTls.standard().identity("other.pem", "other.key")));
        assertFalse(stranger.ping(JAVA), stranger.process().describe());
        TlsLab.awaitStderr(java, "refused: untrusted-peer", PATIENCE);

        ErlangNode anon = track(TlsLab.erlang(otp, "anon@svc.test", dns, anonPort,
                ErlangTls.standard().anonymousClient()));
        assertFalse(anon.ping(JAVA), anon.process().describe());
        TlsLab.awaitStderr(java, "refused: no-peer-certificate", PATIENCE);

        ErlangNode plain = track(TlsLab.erlang(otp, "plain@svc.test", dns, plainPort, null, "inet_tcp",
                List.of()));
        assertFalse(plain.ping(JAVA), plain.process().describe());
        TlsLab.awaitStderr(java, "refused: not-tls", PATIENCE);

        ErlangNode good = track(TlsLab.erlang(otp, ERL, dns, erlPort, ErlangTls.standard()));
        assertEquals("{ok,<<\"still\">>}", good.sendAndAwaitReply(JAVA, "inbox", "still"), java.describe());
        assertEquals(0, java.waitFor(Duration.ofSeconds(20)), java.describe());
    }

    @OnEachOtp
    void rotatedFilesServeNewConnectionsAndEstablishedOnesGoOn(Otp otp) throws IOException {
        Path dir = io.srvepmd.it.support.ItEnv.newDir("rotating");
        Path cert = dir.resolve("node.pem");
        Path key = dir.resolve("node.key");
        copy("rsa.pem", cert);
        copy("rsa.key", key);
        int javaPort = FreePorts.tcp();
        int erl2Port = FreePorts.tcp();
        int erlPort = FreePorts.tcp();
        DnsServer dns = track(DnsServer.create().domain("svc.test").node(JAVA, javaPort).node(ERL, erlPort)
                .node("erl2@svc.test", erl2Port).start());
        track(TlsLab.erlang(otp, ERL, dns, erlPort, ErlangTls.standard()));
        track(TlsLab.erlang(otp, "erl2@svc.test", dns, erl2Port, ErlangTls.standard()));
        String tls = "tls.enabled=true,tls.certfile=" + cert + ",tls.keyfile=" + key + ",tls.cacertfile="
                + TlsLab.file("ca.pem") + TlsLab.PATIENT_CONNECTS;
        // connect: a helper node's connection, whose refusal shows at once (a ping would wait out its timeout)
        JavaApp java = track(java(otp, JAVA, dns, javaPort, tls, "ping:" + ERL, "pause", "echo:" + ERL,
                "connect:erl2@svc.test", "pause", "connect:erl2@svc.test").start());
        java.awaitLine("PAUSED", PATIENCE);
        assertTrue(java.stdoutLines().contains("PING " + ERL + " ok"), java.describe());

        copy("other.key", key); // a certificate the Erlang nodes refuse: new connections fail...
        copy("other.pem", cert);
        int from = java.stdoutLines().size();
        java.send("go");
        java.awaitLine(from, "PAUSED", PATIENCE);
        List<String> after = java.stdoutLines().subList(from, java.stdoutLines().size());
        assertTrue(after.contains("ECHO hello FROM " + ERL), "...the established one goes on: " + java.describe());
        Steps.Connect refused = Steps.awaitConnect(java, 0, PATIENCE);
        assertTrue(!refused.ok && refused.error.contains("TLS handshake with svc.test at 127.0.0.1:" + erl2Port
                + " failed: "), refused.toString());

        copy("ec-sec1.key", key); // and a good one again: accepted, without a restart
        copy("ec.pem", cert);
        java.send("go");
        assertTrue(Steps.awaitConnect(java, 1, PATIENCE).ok, java.describe());
    }

    private static void copy(String pkiFile, Path to) throws IOException {
        Path tmp = to.resolveSibling(to.getFileName() + ".new");
        Files.copy(TlsLab.file(pkiFile), tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

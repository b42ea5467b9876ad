package io.srvepmd.it;

import static io.srvepmd.it.TlsDistributionTest.PATIENCE;
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
import io.srvepmd.it.support.OpensslServer;
import io.srvepmd.it.support.Otp;
import io.srvepmd.it.support.Steps;
import io.srvepmd.it.support.TlsLab;
import io.srvepmd.it.support.TlsLab.ErlangTls;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Timeout;

/**
 * How real OTP 25 and 27 nodes check host names in TLS distribution, the behaviour the agent copies: a
 * client sends SNI equal to the host part of the node name it dials (not the SRV target, not the address)
 * and checks the server's certificate against that name; a server checks no host name of its clients.
 * Every SRV record here points at a target whose name is in no certificate ({@code box.test}).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TlsHostNameTest extends ItBase {

    private static final String TARGET = "box.test";

    /**
     * An Erlang node and the Java node dial {@code sni@svc.test}, an openssl server found through SRV: both
     * send SNI {@code svc.test}, the node name's host part. An Erlang node whose option file says
     * {@code {server_name_indication, disable}} for the client sends none on OTP 27; OTP 25's distribution
     * sends the host part all the same (and, as seen with a Java server, still checks the certificate against it).
     */
    @OnEachOtp
    void anErlangClientAndTheAgentSendTheNodeNamesHostAsServerName(Otp otp) {
        int serverPort = FreePorts.tcp();
        DnsServer dns = track(DnsServer.create().domain("svc.test").srv("sni.svc.test", TARGET, serverPort, 0, 0)
                .host(TARGET, "127.0.0.1").start());
        OpensslServer server = track(OpensslServer.start(serverPort, "rsa.pem", "rsa.key"));
        ErlangNode erl = track(TlsLab.erlang(otp, "erl@svc.test", dns, FreePorts.tcp(), ErlangTls.standard()));
        ErlangNode unnamed = track(TlsLab.erlang(otp, "unnamed@svc.test", dns, FreePorts.tcp(),
                ErlangTls.standard().clientOption("{server_name_indication, disable}")));

        assertEquals(List.of("svc.test"), pingThrough(erl, server, 1), server.describe());
        List<String> names = pingThrough(unnamed, server, 2);
        assertEquals(otp.major().equals("25") ? List.of("svc.test", "svc.test") : List.of("svc.test"), names,
                server.describe());

        track(Steps.resolveMain(otp.jinterface(), "dns.servers=" + dns.address() + "," + TlsLab.agentArgs("rsa.pem",
                "rsa.key", "ca.pem"), "connect:sni@svc.test").start());
        List<String> withJava = new java.util.ArrayList<>(names);
        withJava.add("svc.test");
        assertEquals(withJava, server.serverNamesAfterHandshakes(3, PATIENCE), server.describe());
        server.endConnection();
    }

    /**
     * {@code erl} pings {@code sni@svc.test}, the {@code handshakes}-th TLS handshake {@code server} sees; the
     * ping then waits for a distribution handshake s_server never answers, so the connection is ended once the
     * handshake is seen (the ping answers pang at once). Returns the server names seen so far.
     */
    private static List<String> pingThrough(ErlangNode erl, OpensslServer server, int handshakes) {
        erl.process().send("ping sni@svc.test");
        List<String> names = server.serverNamesAfterHandshakes(handshakes, PATIENCE);
        server.endConnection();
        erl.process().awaitLine(Pattern.compile("PING sni@svc.test pang"), PATIENCE);
        return names;
    }

    /**
     * A Java node {@code java@other.test} whose certificate names only {@code other.test} (not its address,
     * not the SRV target): an Erlang node reaches it under that name, and refuses it, in the TLS handshake,
     * when the same server at the same address is dialled as {@code alias@svc.test}.
     */
    @OnEachOtp
    void anErlangClientChecksTheServersCertificateAgainstTheHostPartOfTheNodeName(Otp otp) {
        int javaPort = FreePorts.tcp();
        String java = "java@other.test";
        DnsServer dns = track(DnsServer.create().domain("svc.test").domain("other.test")
                .srv("java.other.test", TARGET, javaPort, 0, 0).srv("alias.svc.test", TARGET, javaPort, 0, 0)
                .host(TARGET, "127.0.0.1").start());
        JavaApp app = track(java(otp, java, dns, javaPort, TlsLab.agentArgs("wronghost.pem", "rsa.key", "ca.pem"),
                "serve:inbox:1").start());
        app.awaitLine("SERVING inbox", PATIENCE);
        ErlangNode erl = track(TlsLab.erlang(otp, "erl@svc.test", dns, FreePorts.tcp(), ErlangTls.standard()));

        assertFalse(erl.ping("alias@svc.test"), erl.process().describe());
        // the refusal is the Erlang node's alert, or its close when the Java node is still writing (broken pipe)
        TlsLab.awaitStderr(app, "TLS handshake from 127.0.0.1:", PATIENCE);
        assertTrue(app.stderr().contains(" refused: refused-by-peer: ") || app.stderr().contains(" refused: closed: "),
                app.describe());

        assertEquals("{ok,<<\"named\">>}", erl.sendAndAwaitReply(java, "inbox", "named"), app.describe());
        assertEquals(0, app.waitFor(Duration.ofSeconds(20)), app.describe());
    }

    /**
     * A Java client (ResolveMain's node {@code rpc-probe-1@probe.test}) presents a certificate naming only
     * {@code other.test}: neither its node name's host, nor the server's, nor any address. An Erlang server,
     * which verifies the chain and requires the certificate, accepts it. (It would match the certificate
     * against host names if it restricted its peers with {@code net_kernel:allow/1}: this one does not.)
     */
    @OnEachOtp
    void anErlangServerChecksNoHostNameOfItsClients(Otp otp) {
        int erlPort = FreePorts.tcp();
        DnsServer dns = track(DnsServer.create().domain("svc.test").srv("erl.svc.test", TARGET, erlPort, 0, 0)
                .host(TARGET, "127.0.0.1").start());
        track(TlsLab.erlang(otp, "erl@svc.test", dns, erlPort, ErlangTls.standard()));
        JavaApp app = track(Steps.resolveMain(otp.jinterface(), "dns.servers=" + dns.address() + ","
                + TlsLab.agentArgs("wronghost.pem", "rsa.key", "ca.pem"), "connect:erl@svc.test").start());
        assertEquals(0, app.waitFor(PATIENCE), app.describe());
        Steps.Connect c = Steps.awaitConnect(app, 0, Duration.ofSeconds(1));
        assertTrue(c.ok, c.toString());
    }
}

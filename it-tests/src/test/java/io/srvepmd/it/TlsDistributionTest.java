package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.DnsServer;
import io.srvepmd.it.support.ErlangNode;
import io.srvepmd.it.support.FlightRecording;
import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.OnEachOtp;
import io.srvepmd.it.support.Otp;
import io.srvepmd.it.support.TlsLab;
import io.srvepmd.it.support.TlsLab.ErlangTls;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mutual-TLS distribution against real OTP nodes running {@code -proto_dist inet_tls
 * -ssl_dist_optfile} (verify_peer, fail_if_no_peer_cert) with the SRV epmd module, both directions:
 * a Java node with the agent and {@code tls.enabled=true} pings, messages and calls a TLS Erlang node
 * it finds through SRV, and a TLS Erlang node finds the Java node through SRV and messages it; with
 * every key format the agent reads, a chain with an intermediate, the TLS version each role gets,
 * OTP's renegotiations and key updates, and {@code inet6_tls}. On OTP 25 and 27 (JInterface 1.13.1
 * and 1.14.1): both directions, the chain, the versions, renegotiation and {@code inet6_tls}; the
 * other key formats, which only the agent reads, on OTP 25.
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

    /** NodeMain as {@link #JAVA} on JInterface 1.13.1 (OTP 25's). */
    static JavaApp.Builder java(DnsServer dns, int javaPort, String tlsArgs, String... actions) {
        return java(Otp.otp25(), JAVA, dns, javaPort, tlsArgs, actions);
    }

    /** NodeMain as {@code name} on the JInterface of {@code otp}, listening on {@code javaPort}. */
    static JavaApp.Builder java(Otp otp, String name, DnsServer dns, int javaPort, String tlsArgs,
            String... actions) {
        String[] args = new String[actions.length + 2];
        args[0] = name;
        args[1] = COOKIE;
        System.arraycopy(actions, 0, args, 2, actions.length);
        return JavaApp.builder("NodeMain").jinterface(otp.jinterface())
                .agentArgs("dns.servers=" + dns.address() + "," + tlsArgs)
                .env("ERL_DIST_PORT", Integer.toString(javaPort)).args(args);
    }

    private final int javaPort = FreePorts.tcp();
    private final int erlPort = FreePorts.tcp();
    private DnsServer dns;

    /** Starts a dnsmasq publishing JAVA and ERL, then ERL: a TLS Erlang node of {@code otp} with {@code tls}. */
    private ErlangNode dnsAndErlang(Otp otp, ErlangTls tls) {
        dns = track(dns(javaPort, erlPort));
        return track(TlsLab.erlang(otp, ERL, dns, erlPort, tls));
    }

    @OnEachOtp
    void javaPingsMessagesAndCallsATlsErlangNode(Otp otp) {
        dnsAndErlang(otp, ErlangTls.standard());
        JavaApp app = track(java(otp, JAVA, dns, javaPort, TlsLab.agentArgs("rsa.pem", "rsa.key", "ca.pem"),
                "ping:" + ERL, "echo:" + ERL, "rpc-node:" + ERL, "rpc-reverse:" + ERL).start());
        assertEquals(0, app.waitFor(PATIENCE), app.describe());
        List<String> lines = app.stdoutLines();
        assertTrue(lines.contains("PING " + ERL + " ok"), app.describe());
        assertTrue(lines.contains("ECHO hello FROM " + ERL), app.describe());
        assertTrue(lines.contains("RPC erlang:node() = '" + ERL + "'"), app.describe());
        assertTrue(lines.contains("RPC lists:reverse([a,b,c]) = [c,b,a]"), app.describe());
        assertAgentSilent(app);
    }

    @OnEachOtp
    void aTlsErlangNodeFindsTheJavaNodeThroughSrvAndMessagesIt(Otp otp) {
        dns = track(dns(javaPort, erlPort));
        JavaApp java = track(java(otp, JAVA, dns, javaPort, TlsLab.agentArgs("rsa.pem", "rsa.key", "ca.pem"),
                "serve:inbox:1").start());
        java.awaitLine("SERVING inbox", Duration.ofSeconds(20));
        ErlangNode erl = track(TlsLab.erlang(otp, ERL, dns, erlPort, ErlangTls.standard()));
        assertTrue(erl.ping(JAVA), erl.process().describe());
        assertEquals("{ok,<<\"hello\">>}", erl.sendAndAwaitReply(JAVA, "inbox", "hello"), java.describe());
        java.awaitLine("SERVED", Duration.ofSeconds(10));
        assertEquals(0, java.waitFor(Duration.ofSeconds(10)), java.describe());
        assertTrue(dns.queries("java.svc.test", "SRV") >= 1, "Erlang asked SRV java.svc.test: " + dns.queryLog());
        assertAgentSilent(java);
    }

    /**
     * A second node of the Java node's JVM (a helper name: an ephemeral port, no SRV record needed) that dials the
     * Erlang node, so that the Erlang node's message to the Java node opens a connection of its own: with one Java
     * node, that message would ride the connection the ping opened, and the Java node would never be a TLS server.
     */
    static final String DIALER = "rpc-dialer@svc.test";

    /** NodeMain's actions for {@link #inBothRoles}. */
    static final String[] BOTH_ROLES = {"ping-from:" + DIALER + ":" + ERL, "serve:inbox:1"};

    /**
     * Runs {@code java} (started with {@link #BOTH_ROLES}) through both TLS roles with {@code erl}: its dialer
     * pings Erlang (TLS client), then Erlang messages it over a new connection (TLS server).
     */
    private JavaApp inBothRoles(JavaApp.Builder java, ErlangNode erl) {
        JavaApp app = track(java.start());
        app.awaitLine("SERVING inbox", PATIENCE);
        assertTrue(app.stdoutLines().contains("PING " + ERL + " ok FROM " + DIALER), app.describe());
        assertEquals("{ok,<<\"hi\">>}", erl.sendAndAwaitReply(JAVA, "inbox", "hi"), app.describe());
        assertEquals(0, app.waitFor(Duration.ofSeconds(20)), app.describe());
        assertTrue(app.stdoutLines().contains("GOT hi FROM " + ERL), app.describe());
        assertAgentSilent(app);
        return app;
    }

    /**
     * Each key format in both roles, on OTP 25; on OTP 27 too the chain with an intermediate, the one whose check
     * is the Erlang side's (it must build the path through the intermediate the Java node sends).
     */
    static Stream<Arguments> keyFormats() {
        Stream<Arguments> otp25 = Stream.of(
                Arguments.of("rsa.pem", "rsa.key", ""),
                Arguments.of("rsa.pem", "rsa-pkcs1.key", ""),
                Arguments.of("rsa.pem", "rsa-enc.key", "tls.password=s3cret"),
                Arguments.of("", "rsa.p12", "tls.password=s3cret"),
                Arguments.of("ec.pem", "ec-sec1.key", ""),
                Arguments.of("ec.pem", "ec.key", ""),
                Arguments.of("chain.pem", "chain.key", ""))
                .map(a -> Arguments.of(Otp.otp25(), a.get()[0], a.get()[1], a.get()[2]));
        return Stream.concat(otp25, Stream.of(Arguments.of(Otp.otp27(), "chain.pem", "chain.key", "")));
    }

    @ParameterizedTest(name = "{1} + {2} on {0}")
    @MethodSource("keyFormats")
    void everyKeyFormatInBothRoles(Otp otp, String cert, String key, String more) {
        ErlangNode erl = dnsAndErlang(otp, ErlangTls.standard());
        String tls = "tls.enabled=true,tls.keyfile=" + TlsLab.file(key) + ",tls.cacertfile=" + TlsLab.file("ca.pem")
                + (cert.isEmpty() ? "" : ",tls.certfile=" + TlsLab.file(cert)) + (more.isEmpty() ? "" : "," + more)
                + TlsLab.PATIENT_CONNECTS;
        inBothRoles(java(otp, JAVA, dns, javaPort, tls, BOTH_ROLES), erl);
    }

    /**
     * The TLS version each role ends up with, as the Java node's flight recorder saw each handshake. The agent
     * offers TLS 1.3 and 1.2; OTP's {@code inet_tls_dist} adds {@code {versions, ['tlsv1.2']}} to an option file
     * that names no versions (measured on OTP 25 and 27: TLS 1.2 in both roles), and one that asks for TLS 1.3
     * gets it. OTP 25 and 27 refuse {@code secure_renegotiate} and {@code reuse_sessions} with TLS 1.3 only
     * ("dependency" and "incompatible" option errors), so the option files name neither.
     */
    static Stream<Arguments> versions() {
        return Stream.of(Otp.otp25(), Otp.otp27()).flatMap(otp -> Stream.of(
                Arguments.of(otp, "", "TLSv1.2"),
                Arguments.of(otp, "tlsv1.3", "TLSv1.3")));
    }

    @ParameterizedTest(name = "on {0}, Erlang side versions [{1}]: {2}")
    @MethodSource("versions")
    void theTlsVersionOfEachRole(Otp otp, String erlangVersion, String negotiated) {
        ErlangTls tls = ErlangTls.standard();
        if (!erlangVersion.isEmpty()) {
            tls.option("{versions, ['" + erlangVersion + "']}");
        }
        ErlangNode erl = dnsAndErlang(otp, tls);
        FlightRecording recording = FlightRecording.create();
        inBothRoles(recording.of(java(otp, JAVA, dns, javaPort, TlsLab.agentArgs("rsa.pem", "rsa.key", "ca.pem"),
                BOTH_ROLES)), erl);
        List<String> handshakes = recording.events("io.srvepmd.TlsHandshake");
        assertEquals(2, handshakes.size(), handshakes.toString());
        for (String role : List.of("client", "server")) {
            assertTrue(handshakes.stream().anyMatch(h -> h.contains("role = \"" + role + "\"")
                    && h.contains("outcome = \"ok\"") && h.contains("protocol = \"" + negotiated + "\"")),
                    role + " " + negotiated + ": " + handshakes);
        }
    }

    /**
     * OTP renegotiates a TLS 1.2 connection it dialled every {@code renegotiate_at} records (2^28 by default: hours
     * on a busy connection) and updates TLS 1.3 keys every {@code key_update_at} bytes. Brought forward here, the
     * Erlang node's connection to the Java node goes through several of them while carrying messages both ways;
     * the JDK's handshake trace of the Java node shows they happened.
     */
    static Stream<Arguments> rekeying() {
        return Stream.of(Otp.otp25(), Otp.otp27()).flatMap(otp -> Stream.of(
                // the first ClientHello opens the connection; every further one is a renegotiation
                Arguments.of(otp, "{renegotiate_at, 10}", "Consuming ClientHello handshake message", 2),
                Arguments.of(otp, "{versions, ['tlsv1.3']}, {key_update_at, 1000}", "Consuming KeyUpdate", 1)));
    }

    @ParameterizedTest(name = "on {0}, Erlang side {1}")
    @MethodSource("rekeying")
    void messagesFlowThroughRenegotiationsAndKeyUpdates(Otp otp, String erlangOptions, String traced, int least) {
        ErlangNode erl = dnsAndErlang(otp, ErlangTls.standard().option(erlangOptions));
        int messages = 40;
        JavaApp java = track(java(otp, JAVA, dns, javaPort, TlsLab.agentArgs("rsa.pem", "rsa.key", "ca.pem"),
                "serve:inbox:" + messages).property("javax.net.debug", "ssl:handshake").start());
        java.awaitLine("SERVING inbox", PATIENCE);
        for (int i = 0; i < messages; i++) {
            assertEquals("{ok,<<\"m" + i + "\">>}", erl.sendAndAwaitReply(JAVA, "inbox", "m" + i), java.describe());
        }
        assertEquals(0, java.waitFor(Duration.ofSeconds(20)), java.describe());
        long seen = java.stderr().lines().filter(l -> l.contains(traced)).count();
        assertTrue(seen >= least, "'" + traced + "' " + seen + " times in " + java.process().dir());
    }

    @OnEachOtp
    void inet6TlsOnLoopback(Otp otp) {
        String srv = "erl6.svc.test";
        dns = track(DnsServer.create().domain("svc.test").srv(srv, srv, erlPort, 0, 0).host(srv, "::1")
                .start());
        track(TlsLab.erlang(otp, "erl6@svc.test", dns, erlPort, ErlangTls.standard(), "inet6_tls",
                List.of("-kernel", "inet_dist_use_interface", "{0,0,0,0,0,0,0,1}")));
        JavaApp java = track(java(otp, JAVA, dns, javaPort, TlsLab.agentArgs("rsa.pem", "rsa.key", "ca.pem"),
                "ping:erl6@svc.test", "echo:erl6@svc.test").start());
        assertEquals(0, java.waitFor(PATIENCE), java.describe());
        assertTrue(java.stdoutLines().contains("ECHO hello FROM erl6@svc.test"), java.describe());
        assertAgentSilent(java);
    }

    @Test
    void aBadFileStopsTheJvmWithOneLine() {
        dns = track(dns(javaPort, erlPort));
        JavaApp java = track(java(dns, FreePorts.tcp(), TlsLab.agentArgs("rsa.pem", "ec.key", "ca.pem")).start());
        assertEquals(78, java.waitFor(Duration.ofSeconds(20)), java.describe());
        String err = java.stderr().trim();
        assertFalse(err.contains("\n"), "one line: " + err);
        assertTrue(err.startsWith("srv-epmd: configuration error: agent argument tls.keyfile=" + TlsLab.file("ec.key")
                + " (PKCS#8 EC) is not the key of the certificate in agent argument tls.certfile="), err);
    }
}

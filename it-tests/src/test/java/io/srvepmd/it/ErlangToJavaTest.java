package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.DnsServer;
import io.srvepmd.it.support.EpmdWatch;
import io.srvepmd.it.support.ErlangNode;
import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.OnEachOtp;
import io.srvepmd.it.support.Otp;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;

/**
 * A Java node (the JInterface of an OTP release, with the agent) listens on
 * ERL_DIST_PORT; a fresh epmd-less node of that release (OTP 25 and 27) finds
 * it through its SRV record, pings it and messages a mailbox on it, which
 * answers.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ErlangToJavaTest extends ItBase {

    private static final String JAVA = "java@svc.test";
    private static final String ERL = "erl@svc.test";

    @OnEachOtp
    void erlangNodeResolvesTheJavaNodeThroughSrvAndMessagesIt(Otp otp) {
        int javaPort = FreePorts.tcp();
        int erlPort = FreePorts.tcp();
        DnsServer dns = track(DnsServer.create().domain("svc.test").node(JAVA, javaPort).node(ERL, erlPort).start());
        JavaApp java = track(javaWithAgent("NodeMain", otp.jinterface(), dns)
                .env("ERL_DIST_PORT", Integer.toString(javaPort))
                .args(JAVA, COOKIE, "serve:inbox:1").start());
        java.awaitLine("SERVING inbox", Duration.ofSeconds(20));
        assertEquals(Integer.toString(javaPort),
                java.awaitLine("NODE " + JAVA + " PORT (\\d+)", Duration.ofSeconds(1)).group(1),
                "the Java node reports ERL_DIST_PORT as its port");
        assertTrue(EpmdWatch.listening(javaPort), "something listens on ERL_DIST_PORT " + javaPort);

        ErlangNode erl = track(ErlangNode.start(otp, ERL, COOKIE, dns, erlPort));
        assertTrue(erl.ping(JAVA), "net_adm:ping from Erlang: " + erl.process().describe());
        assertEquals("{ok,<<\"hello\">>}", erl.sendAndAwaitReply(JAVA, "inbox", "hello"), java.describe());

        java.awaitLine("SERVED", Duration.ofSeconds(10));
        assertTrue(java.stdoutLines().contains("GOT hello FROM " + ERL), java.describe());
        assertTrue(dns.queries("java.svc.test", "SRV") >= 1, "Erlang asked SRV java.svc.test: " + dns.queryLog());
        assertEquals(0, java.waitFor(Duration.ofSeconds(10)), java.describe());
        assertAgentSilent(java);
    }
}

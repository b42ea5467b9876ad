package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.DnsServer;
import io.srvepmd.it.support.ErlangNode;
import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.Steps;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Something other than the node accepts the connection at the address and port
 * the agent has for it: another Erlang node now there (Kubernetes reuses pod
 * addresses, and every node listens on the same port), a proxy that accepts
 * everything and says nothing, a service that speaks another protocol. The
 * distribution handshake fails, and that counts as a failed attempt for that
 * candidate: the cached answer is dropped at once, and a node with another
 * candidate is reached by the same connect.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WrongPeerTest extends ItBase {

    private static final String X = "x@svc.test";
    private static final String Y = "y@svc.test";
    private static final String SRV_X = "x.svc.test";

    @Test
    void anotherNodeAtTheCachedAddressDropsTheAnswerAndTheNextConnectFindsTheNode() {
        int oldPort = FreePorts.tcp();
        DnsServer dns = track(DnsServer.create().domain("svc.test").node(X, oldPort).start());
        ErlangNode first = track(ErlangNode.start(X, COOKIE, dns, oldPort));
        // dns.min-ttl=1m: without the fix, the answer naming the old port would stand for a minute.
        JavaApp app = track(Steps.resolveMain("dns.servers=" + dns.address() + ",dns.min-ttl=1m,dns.max-ttl=5m",
                "connect:" + X, "await", "connect:" + X, "connect:" + X).start());
        assertTrue(Steps.awaitConnect(app, 0, Duration.ofSeconds(20)).ok, app.describe());
        app.awaitLine("AWAITING", Duration.ofSeconds(5));

        first.close();
        ErlangNode y = track(ErlangNode.start(Y, COOKIE, dns, oldPort)); // the old address and port, reused
        int newPort = FreePorts.tcp();
        track(ErlangNode.start(X, COOKIE, dns, newPort));
        dns.clearRecords().node(X, newPort).node(Y, oldPort).restart();
        int srvBefore = dns.queries(SRV_X, "SRV");
        app.send("go");

        Steps.Connect toY = Steps.awaitConnect(app, 1, Duration.ofSeconds(20));
        Steps.Connect toX = Steps.awaitConnect(app, 2, Duration.ofSeconds(20));
        assertEquals(0, app.waitFor(Duration.ofSeconds(10)), app.describe());
        assertFalse(toY.ok, "the cached answer names Y's port now: " + app.describe());
        assertTrue(toY.error.contains("127.0.0.1:" + oldPort + " (distribution handshake failed: ")
                && toY.error.contains("wrong name") && toY.error.contains(Y), "names the endpoint and why: " + toY);
        assertTrue(toX.ok, "the very next connect reaches X on its new port: " + app.describe());
        assertTrue(dns.queries(SRV_X, "SRV") > srvBefore, "asked DNS again: " + dns.queryLog());
        assertTrue(y.ping(X), "Y is unharmed and can reach X itself");
        assertAgentSilent(app);
    }

    @Test
    void aWrongNodeAtTheFirstCandidateIsSkippedWithinOneConnect() {
        int yPort = FreePorts.tcp();
        int xPort = FreePorts.tcp();
        DnsServer dns = track(DnsServer.create().domain("svc.test")
                .srv(SRV_X, "y.svc.test", yPort, 0, 0).srv(SRV_X, SRV_X, xPort, 10, 0)
                .host("y.svc.test", "127.0.0.1").host(SRV_X, "127.0.0.1").node(Y, yPort).start());
        track(ErlangNode.start(Y, COOKIE, dns, yPort));
        track(ErlangNode.start(X, COOKIE, dns, xPort));

        JavaApp app = track(Steps.resolveMain("dns.servers=" + dns.address(), "connect:" + X).start());

        assertEquals(0, app.waitFor(Duration.ofSeconds(30)), app.describe());
        Steps.Connect c = Steps.awaitConnect(app, 0, Duration.ofSeconds(1));
        assertTrue(c.ok, "priority 0 is Y; the handshake fails there, and priority 10 is X: " + app.describe());
        assertAgentSilent(app);
    }

    @Test
    void aPeerThatAcceptsAndNeverAnswersHoldsTheConnectOnlyForItsAttempt() throws IOException {
        int xPort = FreePorts.tcp();
        // Accepts every connection (the kernel's backlog does) and never says a word.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            DnsServer dns = track(DnsServer.create().domain("svc.test")
                    .srv(SRV_X, "proxy.svc.test", silent.getLocalPort(), 0, 0).srv(SRV_X, SRV_X, xPort, 10, 0)
                    .host("proxy.svc.test", "127.0.0.1").host(SRV_X, "127.0.0.1").start());
            track(ErlangNode.start(X, COOKIE, dns, xPort));

            JavaApp app = track(Steps.resolveMain("dns.servers=" + dns.address() + ",connect.timeout=1s",
                    "connect:" + X).start());

            assertEquals(0, app.waitFor(Duration.ofSeconds(60)), app.describe());
            Steps.Connect c = Steps.awaitConnect(app, 0, Duration.ofSeconds(1));
            assertTrue(c.ok, "the silent proxy's attempt ends after connect.timeout; X is next: "
                    + app.describe());
            assertAgentSilent(app);
        }
    }

    @Test
    void aServiceSpeakingAnotherProtocolIsAFailedAttemptNamedInTheError() throws Exception {
        try (ServerSocket http = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> answerHttp(http), "http");
            server.setDaemon(true);
            server.start();
            DnsServer dns = track(DnsServer.create().domain("svc.test").node(X, http.getLocalPort()).start());

            JavaApp app = track(Steps.resolveMain("dns.servers=" + dns.address(), "connect:" + X).start());

            assertEquals(0, app.waitFor(Duration.ofSeconds(30)), app.describe());
            Steps.Connect c = Steps.awaitConnect(app, 0, Duration.ofSeconds(1));
            assertFalse(c.ok, app.describe());
            assertTrue(c.error.contains("srv-epmd: cannot connect to node " + X + ": tried 127.0.0.1:"
                    + http.getLocalPort() + " (distribution handshake failed: "), c.toString());
        }
    }

    /** An HTTP server of sorts: reads a little, answers 400 and closes, for every connection. */
    private static void answerHttp(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                in.read(new byte[64]);
                OutputStream out = s.getOutputStream();
                out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // closed by the test, or a client that went away
            }
        }
    }
}

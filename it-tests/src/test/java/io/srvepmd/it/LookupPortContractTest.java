package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.BlackholeDns;
import io.srvepmd.it.support.DnsServer;
import io.srvepmd.it.support.ErlangNode;
import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.ItEnv;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.Steps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code OtpEpmd.lookupPort} called directly keeps JInterface's contract: the
 * port, 0 for a node that is not registered (here: DNS says NXDOMAIN), and an
 * IOException only when the source cannot be asked (stock: epmd unreachable;
 * here: no DNS server answers). A program polling {@code lookupPort(..) == 0}
 * for a node to appear works; why a node was not found is still in the agent's
 * DEBUG line, and a connect to it says so in its error.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LookupPortContractTest extends ItBase {

    private static final String ERL = "erl@svc.test";
    private static final String GHOST = "ghost@svc.test";

    @Test
    void zeroForANodeThatIsNotRegisteredThenThePortOnceItIs() throws IOException {
        int erlPort = FreePorts.tcp();
        DnsServer dns = track(DnsServer.create().domain("svc.test").start());
        Path config = ItEnv.newDir("jul").resolve("logging.properties");
        Files.writeString(config, "handlers=java.util.logging.ConsoleHandler\n"
                + "java.util.logging.ConsoleHandler.level=ALL\n"
                + "java.util.logging.SimpleFormatter.format=%4$s %5$s%n\n"
                + "io.srvepmd.agent.level=FINE\n");
        // dns.negative-ttl=0ms: the poll after the node appears asks again, whatever the timing.
        JavaApp app = track(Steps.resolveMain("dns.servers=" + dns.address() + ",dns.negative-ttl=0ms",
                "lookup:" + ERL, "connect:" + GHOST, "await", "lookup:" + ERL)
                .property("java.util.logging.config.file", config.toString()).start());
        app.awaitLine("AWAITING", Duration.ofSeconds(20));
        assertTrue(app.stdoutLines().contains("LOOKUP " + ERL + " 0"), "not registered: 0, as stock: "
                + app.describe());
        assertTrue(app.stderr().lines().anyMatch(l -> l.startsWith("FINE srv-epmd: cannot resolve " + ERL)
                && l.contains("NXDOMAIN")), "the reason is in the DEBUG line: " + app.describe());
        Steps.Connect ghost = Steps.awaitConnect(app, 0, Duration.ofSeconds(1));
        assertTrue(!ghost.ok && ghost.error.startsWith("io.srvepmd.spi.NodeNotFoundException: srv-epmd: cannot"
                + " resolve node " + GHOST + " with resolver dns-srv: ") && ghost.error.contains("NXDOMAIN"),
                "a connect says why: " + ghost);

        track(ErlangNode.start(ERL, COOKIE, dns.clearRecords().node(ERL, erlPort).restart(), erlPort));
        app.send("go");
        assertEquals(0, app.waitFor(Duration.ofSeconds(20)), app.describe());
        assertTrue(app.stdoutLines().contains("LOOKUP " + ERL + " " + erlPort), "registered now: "
                + app.describe());
    }

    @Test
    void anIOExceptionWhenNoDnsServerCanBeAsked() throws IOException {
        try (BlackholeDns silent = new BlackholeDns()) {
            JavaApp app = track(Steps.resolveMain("dns.servers=" + silent.address() + ",dns.timeout=300ms",
                    "lookup:" + ERL).start());
            assertEquals(0, app.waitFor(Duration.ofSeconds(20)), app.describe());
            String line = app.awaitLine("LOOKUP .*", Duration.ofSeconds(1)).group();
            assertTrue(line.startsWith("LOOKUP " + ERL + " failed java.io.IOException: srv-epmd: cannot resolve node "
                    + ERL + " with resolver dns-srv: "), "could not ask: " + line);
            assertTrue(line.contains("timeout"), line);
        }
    }
}

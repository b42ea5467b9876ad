package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.DnsServer;
import io.srvepmd.it.support.ErlangNode;
import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.OnEachOtp;
import io.srvepmd.it.support.Otp;
import io.srvepmd.it.support.Steps;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Timeout;

/**
 * {@code OtpEpmd.lookupNames()} with {@code dns.service}: the SRV set of the
 * service becomes epmd's {@code name <alive> at port <port>} lines (targets
 * outside the service are not nodes of it), and a listed node (OTP 25 and 27,
 * with the JInterface of its release) is reachable.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ListingTest extends ItBase {

    @OnEachOtp
    void serviceSrvSetIsListedAsEpmdNamesLines(Otp otp) {
        int erlPort = FreePorts.tcp();
        DnsServer dns = track(DnsServer.create().domain("svc.test").domain("other.test")
                .srv("svc.test", "erl.svc.test", erlPort, 0, 0)
                .srv("svc.test", "node-1.svc.test", 4371, 0, 0)
                .srv("svc.test", "node-2.svc.test", 4372, 10, 5)
                .srv("svc.test", "stranger.other.test", 4373, 0, 0)
                .node("erl@svc.test", erlPort).start());
        track(ErlangNode.start(otp, "erl@svc.test", COOKIE, dns, erlPort));

        JavaApp app = track(Steps.resolveMain(otp.jinterface(), "dns.servers=" + dns.address()
                + ",dns.service=svc.test", "names", "connect:erl@svc.test").start());

        assertEquals(0, app.waitFor(Duration.ofSeconds(30)), app.describe());
        List<String> lines = app.stdoutLines();
        Set<String> names = lines.stream().filter(l -> l.startsWith("NAMES-LINE "))
                .map(l -> l.substring("NAMES-LINE ".length())).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(Set.of("name erl at port " + erlPort, "name node-1 at port 4371",
                "name node-2 at port 4372")), names, app.describe());
        assertTrue(lines.contains("NAMES-COUNT 3"), app.describe());
        assertTrue(Steps.awaitConnect(app, 0, Duration.ofSeconds(1)).ok, app.describe());
        assertTrue(dns.queries("svc.test", "SRV") >= 1, dns.queryLog().toString());
        assertAgentSilent(app);
    }
}

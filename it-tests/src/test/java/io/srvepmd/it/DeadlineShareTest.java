package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.BlackholeDns;
import io.srvepmd.it.support.DnsServer;
import io.srvepmd.it.support.ErlangNode;
import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.Steps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each resolver of a chain plans against the time it is given. With
 * {@code resolvers=static,dns-srv}, {@code static} gets half of
 * {@code dns.timeout} (10 s here); its entry names a host, which it looks up
 * (A and AAAA) through four silent DNS servers before the live one, each
 * silent one holding an equal share of the time. Planned against that half,
 * the lookup finishes with seconds to spare (~2-3 s of 5) and the node is
 * reached; planned against the whole {@code dns.timeout}, as before, the AAAA
 * answer came after the agent had stopped waiting (~5.8 s), and
 * {@code dns-srv}'s "no SRV record" became the answer.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeadlineShareTest extends ItBase {

    private static final String ERL = "erl@pods.test";

    private final List<BlackholeDns> silent = new ArrayList<>();

    @AfterEach
    void closeSilentServers() throws Exception {
        for (BlackholeDns s : silent) {
            s.close();
        }
    }

    @Test
    void aResolverThatIsNotLastFinishesWithinItsShare() {
        int erlPort = FreePorts.tcp();
        DnsServer dns = track(DnsServer.create().domain("pods.test").host("pods.test", "127.0.0.1").start());
        track(ErlangNode.start(ERL, COOKIE, dns, erlPort));
        List<String> servers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            BlackholeDns s = new BlackholeDns();
            silent.add(s);
            servers.add(s.address());
        }
        servers.add(dns.address());

        JavaApp app = track(Steps.resolveMain("resolvers=static,dns-srv,static.nodes=*@pods.test=:" + erlPort
                + ",dns.servers=" + String.join(",", servers) + ",dns.timeout=10s", "connect:" + ERL)
                .staticResolver().start());

        assertEquals(0, app.waitFor(Duration.ofSeconds(40)), app.describe());
        Steps.Connect c = Steps.awaitConnect(app, 0, Duration.ofSeconds(1));
        assertTrue(c.ok, "static answered within its 5 s: " + app.describe());
        assertTrue(dns.queries("pods.test", "AAAA") >= 1, "the host was asked for both families: " + dns.queryLog());
        assertAgentSilent(app);
    }
}

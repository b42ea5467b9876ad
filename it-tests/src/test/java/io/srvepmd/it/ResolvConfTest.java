package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.AgentCli;
import io.srvepmd.it.support.BlackholeDns;
import io.srvepmd.it.support.DnsServer;
import io.srvepmd.it.support.ErlangNode;
import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.ItEnv;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.Steps;
import io.srvepmd.it.support.Unbound;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The default path: with {@code dns.servers} unset the agent asks the
 * nameservers of a resolv.conf file ({@code dns.resolv-conf}; the host's
 * {@code /etc/resolv.conf} by default). Its file names a dead server first
 * (a blackhole) and then the test's Unbound, each on port 53 of its own
 * loopback address (resolv.conf has no port), with the search list and
 * options a host's file has, which the agent ignores: names are asked as
 * written.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ResolvConfTest extends ItBase {

    private static final String ERL = "erl@svc.test";
    private static final String SRV = "erl.svc.test";

    @Test
    void theAgentAsksTheNameserversOfItsResolvConfInOrder() throws IOException {
        int erlPort = FreePorts.tcp();
        DnsServer auth = track(DnsServer.create().authoritative(CachingResolverTest.ZONE, CachingResolverTest.TTL)
                .node(ERL, erlPort).start());
        Unbound unbound = track(onPort53(a -> Unbound.stub(CachingResolverTest.ZONE, auth).listenOn(a, 53).start()));
        BlackholeDns dead = track(onPort53(a -> new BlackholeDns(a, 53)));
        track(ErlangNode.start(ERL, COOKIE, unbound, erlPort));
        String deadIp = dead.address().substring(0, dead.address().length() - 3);
        String unboundIp = unbound.address().substring(0, unbound.address().length() - 3);
        Path resolvConf = ItEnv.newDir("resolv-conf").resolve("resolv.conf");
        Files.writeString(resolvConf, "# as a host's resolver library reads it\n"
                + "search svc.test example.org\n"
                + "options ndots:5 timeout:30 attempts:5 rotate\n"
                + "nameserver " + deadIp + "\n"
                + "nameserver " + unboundIp + "\n");

        JavaApp app = track(Steps.resolveMain("dns.resolv-conf=" + resolvConf + ",dns.timeout=6s", "connect:" + ERL,
                "jmx").start());
        assertEquals(0, app.waitFor(Duration.ofSeconds(40)), app.describe());
        assertTrue(Steps.awaitConnect(app, 0, Duration.ofSeconds(1)).ok, app.describe());
        String timeouts = Steps.jmx(app.stdoutLines()).get("type=Resolver,name=dns-srv ServerTimeouts");
        assertTrue(timeouts.contains(dead.address()), "the dead server was asked first: " + timeouts);
        assertFalse(unbound.replies(SRV, "SRV").isEmpty(), "then Unbound: " + unbound.log());
        assertFalse(unbound.log().contains("svc.test.svc.test") || unbound.log().contains("example.org"),
                "no search suffix: " + unbound.log());
        assertAgentSilent(app);

        AgentCli doctor = AgentCli.run("dns.resolv-conf=" + resolvConf, "dns.timeout=2s", "doctor", ERL);
        assertTrue(doctor.line("FAIL  dns server " + dead.address() + " (from " + resolvConf + ")")
                .contains("does not answer"), doctor.toString());
        assertTrue(doctor.line("OK    dns server " + unbound.address() + " (from " + resolvConf + "): answers in ")
                .length() > 0, doctor.toString());
    }

    /**
     * Starts something on port 53 of a random 127.x.y.z (Linux routes all of 127.0.0.0/8 to the
     * loopback interface), trying other addresses while one is taken.
     */
    private static <T> T onPort53(Function<InetAddress, T> start) {
        RuntimeException last = null;
        AssertionError lastError = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            InetAddress address = loopback(r.nextInt(1, 255), r.nextInt(1, 255), r.nextInt(1, 255));
            try {
                return start.apply(address);
            } catch (UncheckedIOException e) {
                last = e;
            } catch (AssertionError e) {
                lastError = e;
            }
        }
        if (lastError != null) {
            throw lastError;
        }
        throw last;
    }

    private static InetAddress loopback(int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {127, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}

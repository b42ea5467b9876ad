package io.srvepmd.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.srvepmd.spi.NodeName;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Item 6 (RFC 5452): a server off loopback gets a new source port for every
 * question and IDs from a SecureRandom; a loopback server keeps the pool.
 * Tested three ways: the policy itself; a fake server on this machine's own
 * non-loopback address (skipped, with a message, where the machine has none;
 * the packets never leave the host); and the fresh-socket mode forced on loopback.
 */
class SourcePortTest {

    static final int QUESTIONS = 200;

    static InetSocketAddress at(String ip) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), 53);
    }

    @Test
    void onlyLoopbackServersMayShareSocketsAndUseCheapIds() throws Exception {
        assertTrue(SpoofResistance.isLoopback(at("127.0.0.1")));
        assertTrue(SpoofResistance.isLoopback(at("127.4.5.6")));
        assertTrue(SpoofResistance.isLoopback(at("::1")));
        assertFalse(SpoofResistance.isLoopback(at("10.0.0.2")));
        assertFalse(SpoofResistance.isLoopback(at("192.0.2.2")));
        assertFalse(SpoofResistance.isLoopback(at("fd00::2")));
        assertFalse(SpoofResistance.isLoopback(at("0.0.0.0")));
        assertFalse(SpoofResistance.anyOffHost(List.of(at("127.0.0.1"), at("::1"))));
        assertTrue(SpoofResistance.anyOffHost(List.of(at("127.0.0.1"), at("10.0.0.2"))));
        assertTrue(SpoofResistance.ids(false) instanceof SecureRandom);
        assertSame(ThreadLocalRandom.current(), SpoofResistance.ids(true));
    }

    /** @return an address of this machine that is not loopback (nor link-local), or {@code null} */
    static InetAddress ownNonLoopbackAddress() throws SocketException {
        InetAddress v6 = null;
        for (NetworkInterface i : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!i.isUp() || i.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(i.getInetAddresses())) {
                if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()) {
                    continue;
                }
                if (a instanceof Inet4Address) {
                    return a;
                }
                v6 = v6 == null ? a : v6;
            }
        }
        return v6;
    }

    static FakeDns answering(InetAddress bind) throws IOException {
        return new FakeDns(bind, q -> List.of(FakeDnsResolverTest.reply(q, Rcode.NOERROR).toWire()), null);
    }

    static int distinctPorts(FakeDns dns) {
        return new HashSet<>(dns.sourcePorts()).size();
    }

    @Test
    void aServerOffLoopbackSeesANewSourcePortForEveryQuestion() throws Exception {
        InetAddress own = ownNonLoopbackAddress();
        assumeTrue(own != null, "this machine has no non-loopback address to bind a fake server to");
        try (FakeDns dns = answering(own);
                DnsSrvResolver r = (DnsSrvResolver) new DnsSrvResolverProvider().get(TestConfig.of(
                        "dns.servers", dns.server(), "dns.timeout", "10s"))) {
            for (int i = 0; i < QUESTIONS; i++) {
                r.resolve(NodeName.parse("n" + i + "@svc.consul")).orElseThrow();
            }
            assertEquals(QUESTIONS, dns.questions());
            // The kernel picks each port at random from its ephemeral range (about 28,000
            // ports on Linux): repeats are rare, and a shared socket would give one port.
            assertTrue(distinctPorts(dns) >= QUESTIONS / 2, distinctPorts(dns) + " distinct source ports for "
                    + QUESTIONS + " questions to " + dns.server());
            assertEquals(0, r.transport().sockets().openSockets(), "no socket is kept for such a server");
        }
    }

    @Test
    void aLoopbackServerKeepsThePool() throws Exception {
        try (FakeDns dns = answering(Servers.v4("127.0.0.1"));
                DnsSrvResolver r = (DnsSrvResolver) new DnsSrvResolverProvider().get(TestConfig.of(
                        "dns.servers", dns.server(), "dns.timeout", "10s"))) {
            for (int i = 0; i < QUESTIONS; i++) {
                r.resolve(NodeName.parse("n" + i + "@svc.consul")).orElseThrow();
            }
            assertTrue(distinctPorts(dns) <= UdpSockets.MAX_IDLE, distinctPorts(dns) + " source ports");
        }
    }

    @Test
    void theFreshSocketModeGivesANewPortPerQuestionOnLoopbackToo() throws Exception {
        try (FakeDns dns = answering(Servers.v4("127.0.0.1"));
                DnsTransport t = new DnsTransport(TestConfig.of("dns.servers", dns.server()).getAddresses("dns.servers", 53), UdpSockets.MAX_IN_USE, true)) {
            for (int i = 0; i < QUESTIONS; i++) {
                t.query(Replies.name("n" + i + ".svc.consul"), Type.SRV, Deadline.after(Duration.ofSeconds(10)),
                        "question " + i);
            }
            assertTrue(distinctPorts(dns) >= QUESTIONS / 2, distinctPorts(dns) + " distinct source ports");
            assertEquals(0, t.sockets().openSockets());
        }
    }
}

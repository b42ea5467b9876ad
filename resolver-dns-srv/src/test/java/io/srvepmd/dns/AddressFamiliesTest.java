package io.srvepmd.dns;

import static io.srvepmd.dns.Replies.srv;
import static io.srvepmd.dns.Replies.to;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.NodeNotFoundException;
import io.srvepmd.spi.Resolution;
import io.srvepmd.spi.UnavailableException;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * With {@code dns.family=any} the A and AAAA questions of a
 * target go out together, one family's failure never hides the other's
 * addresses, and once one family has answered the other is waited for at most
 * {@code dns.resolution-delay}. Against the in-process {@link FakeDns}: SERVFAIL,
 * REFUSED, silence and garbage for one record type are what no real server does
 * on request.
 */
class AddressFamiliesTest {

    static final NodeName NODE = NodeName.parse("n0@svc.consul");
    static final String Q = "n0.svc.consul";
    static final String TARGET = "host-7.node.consul";
    /** Far longer than anything answered takes: only silence costs it, and the tests say when it would. */
    static final String TIMEOUT = "10s";

    /** What the fake server does with an A or AAAA question: its datagrams (none = silence). */
    interface Behaviour extends Function<Message, List<byte[]>> {
    }

    static final Behaviour V4 = q -> List.of(address(q, "10.0.0.7").toWire());
    static final Behaviour V6 = q -> List.of(address(q, "fd00::7").toWire());
    static final Behaviour NODATA = q -> List.of(to(q, Rcode.NOERROR).toWire());
    static final Behaviour SERVFAIL = q -> List.of(to(q, Rcode.SERVFAIL).toWire());
    static final Behaviour REFUSED = q -> List.of(to(q, Rcode.REFUSED).toWire());
    static final Behaviour NXDOMAIN = q -> List.of(to(q, Rcode.NXDOMAIN).toWire());
    static final Behaviour SILENT = q -> List.of();
    /** A datagram with the question's ID that does not decode: ignored, as if nothing came. */
    static final Behaviour GARBAGE = q -> {
        byte[] wire = address(q, "10.0.0.99").toWire();
        return List.of(Arrays.copyOf(wire, wire.length - 3));
    };

    static Message address(Message q, String ip) {
        Message r = to(q, Rcode.NOERROR);
        try {
            InetAddress a = InetAddress.getByName(ip);
            r.addRecord(q.getQuestion().getType() == Type.A ? new ARecord(q.getQuestion().getName(), DClass.IN, 30, a)
                    : new AAAARecord(q.getQuestion().getName(), DClass.IN, 30, a), Section.ANSWER);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        return r;
    }

    /** A server with SRV {@code Q -> TARGET:4370} (TTL 60, no additional section) and these address answers. */
    static FakeDns server(Behaviour a, Behaviour aaaa) throws IOException {
        return new FakeDns(q -> {
            int type = q.getQuestion().getType();
            if (type == Type.SRV) {
                return List.of(srv(to(q, Rcode.NOERROR), Q, 60, 4370, TARGET).toWire());
            }
            return type == Type.A ? a.apply(q) : aaaa.apply(q);
        });
    }

    static DnsSrvResolver resolver(FakeDns dns, String... more) {
        TestConfig c = TestConfig.of("dns.servers", dns.server(), "dns.timeout", TIMEOUT);
        for (int i = 0; i < more.length; i += 2) {
            c.with(more[i], more[i + 1]);
        }
        return (DnsSrvResolver) new DnsSrvResolverProvider().get(c);
    }

    static Resolution resolve(FakeDns dns, String... settings) throws IOException {
        return resolver(dns, settings).resolve(NODE).orElseThrow();
    }

    static List<InetAddress> addresses(Resolution r) {
        return r.candidates().get(0).addresses();
    }

    static InetAddress ip(String literal) throws IOException {
        return InetAddress.getByName(literal);
    }

    @Test
    void bothFamiliesAnsweredGiveBothInterleavedIpv4First() throws Exception {
        try (FakeDns dns = server(V4, V6)) {
            Resolution r = resolve(dns);
            assertEquals(List.of(ip("10.0.0.7"), ip("fd00::7")), addresses(r));
            assertEquals(30, r.ttl().getSeconds(), "the smallest TTL of the records used");
            assertEquals("SRV " + Q + " via " + dns.server(), r.source(), "complete: no note");
        }
    }

    @Test
    void aAndAaaaGoOutTogetherOnOneSocket() throws Exception {
        // The A question is answered only once the AAAA question has come too, and then both
        // at once, to where they came from: asked one after the other, A would never be answered.
        Message[] waitingA = new Message[1];
        Behaviour pairA = q -> {
            waitingA[0] = q;
            return List.of();
        };
        Behaviour pairAaaa = q -> waitingA[0] == null ? List.of()
                : List.of(V4.apply(waitingA[0]).get(0), V6.apply(q).get(0));
        try (FakeDns dns = server(pairA, pairAaaa)) {
            Resolution r = resolve(dns);
            assertEquals(List.of(ip("10.0.0.7"), ip("fd00::7")), addresses(r));
            List<Message> asked = dns.received();
            assertEquals(3, asked.size(), "SRV, A, AAAA; nothing asked twice");
            List<Integer> ports = dns.sourcePorts();
            assertEquals(ports.get(1), ports.get(2), "A and AAAA from one socket: " + ports);
            assertTrue(asked.get(1).getHeader().getID() != asked.get(2).getHeader().getID(),
                    "each query in flight on the socket has its own ID");
        }
    }

    @Test
    void servfailForAaaaKeepsTheIpv4AddressesAndSaysSo() throws Exception {
        try (FakeDns dns = server(V4, SERVFAIL)) {
            Resolution r = resolve(dns);
            assertEquals(List.of(ip("10.0.0.7")), addresses(r));
            assertEquals(0, r.ttl().getSeconds(), "incomplete: asked again after dns.min-ttl");
            assertTrue(r.source().startsWith("SRV " + Q + " via " + dns.server() + "; incomplete: " + TARGET
                    + ":4370 without AAAA " + TARGET + " for node " + NODE + ": no usable answer within "),
                    r.source());
            assertTrue(r.source().endsWith("(" + dns.server() + " SERVFAIL, " + dns.server() + " SERVFAIL)"),
                    r.source());
        }
    }

    @Test
    void refusedForAKeepsTheIpv6Addresses() throws Exception {
        try (FakeDns dns = server(REFUSED, V6)) {
            Resolution r = resolve(dns);
            assertEquals(List.of(ip("fd00::7")), addresses(r));
            assertTrue(r.source().contains("without A " + TARGET + " for node " + NODE), r.source());
            assertTrue(r.source().contains(dns.server() + " REFUSED"), r.source());
        }
    }

    @Test
    void silentAaaaIsWaitedForOnlyTheResolutionDelayAfterTheAAnswer() throws Exception {
        try (FakeDns dns = server(V4, SILENT)) {
            Resolution r = resolve(dns);
            assertEquals(List.of(ip("10.0.0.7")), addresses(r));
            // Waiting out dns.timeout (10 s) would say "no usable answer within 9000 ms".
            assertTrue(r.source().endsWith("without AAAA " + TARGET + " for node " + NODE + ": no usable answer"
                    + " within dns.resolution-delay (50 ms) of the A answer (" + dns.server() + " timeout)"),
                    r.source());
        }
    }

    @Test
    void theResolutionDelayIsASetting() throws Exception {
        try (FakeDns dns = server(SILENT, V6)) {
            Resolution r = resolve(dns, "dns.resolution-delay", "120ms");
            assertEquals(List.of(ip("fd00::7")), addresses(r));
            assertTrue(r.source().endsWith("no usable answer within dns.resolution-delay (120 ms) of the AAAA"
                    + " answer (" + dns.server() + " timeout)"), r.source());
        }
    }

    @Test
    void aMalformedReplyForOneFamilyDoesNotHideTheOther() throws Exception {
        try (FakeDns dns = server(V4, GARBAGE)) {
            Resolution r = resolve(dns);
            assertEquals(List.of(ip("10.0.0.7")), addresses(r));
            assertTrue(r.source().contains("(" + dns.server() + " timeout (ignored a malformed answer ("),
                    r.source());
        }
    }

    @Test
    void nodataSetsNoResolutionDelayTheOtherFamilyIsWaitedFor() throws Exception {
        // AAAA answers 300 ms after A said NODATA: longer than the resolution delay, well within dns.timeout.
        Behaviour late = q -> {
            sleep(300);
            return V6.apply(q);
        };
        try (FakeDns dns = server(NODATA, late)) {
            Resolution r = resolve(dns);
            assertEquals(List.of(ip("fd00::7")), addresses(r));
            assertEquals("SRV " + Q + " via " + dns.server(), r.source());
        }
    }

    @Test
    void nxdomainEndsTheLookupAfterTheResolutionDelay() throws Exception {
        try (FakeDns dns = server(NXDOMAIN, SILENT)) {
            // Not unavailable: NXDOMAIN says nothing exists at the name (RFC 8020).
            NodeNotFoundException e = assertThrows(NodeNotFoundException.class, () -> resolve(dns));
            assertTrue(e.getMessage().contains(TARGET + ":4370 has no A or AAAA record, nor has " + Q), e.getMessage());
        }
    }

    @Test
    void aTargetFailsOnlyWhenNoFamilyGivesAnAddressAndTheErrorNamesEach() throws Exception {
        try (FakeDns dns = server(NODATA, SERVFAIL)) {
            UnavailableException e = assertThrows(UnavailableException.class, () -> resolve(dns));
            String m = e.getMessage();
            assertTrue(m.contains(TARGET + ":4370 has no address: A " + TARGET + " for node " + NODE
                    + ": no record (NOERROR from " + dns.server() + "); AAAA " + TARGET + " for node " + NODE
                    + ": no usable answer within "), m);
            assertTrue(m.contains("(" + dns.server() + " SERVFAIL, " + dns.server() + " SERVFAIL)"), m);
        }
        try (FakeDns dns = server(REFUSED, SILENT)) {
            String m = assertThrows(UnavailableException.class, () -> resolve(dns, "dns.timeout", "400ms"))
                    .getMessage();
            assertTrue(m.contains("has no address: A " + TARGET + " for node " + NODE + ": no usable answer within "),
                    m);
            assertTrue(m.contains(dns.server() + " REFUSED"), m);
            assertTrue(m.contains("; AAAA " + TARGET + " for node " + NODE + ": no usable answer within "), m);
            assertTrue(m.contains(dns.server() + " timeout"), m);
        }
    }

    @Test
    void oneFamilyAsksOneQuestion() throws Exception {
        try (FakeDns dns = server(V4, SERVFAIL)) {
            Resolution r = resolve(dns, "dns.family", "ipv4");
            assertEquals(List.of(ip("10.0.0.7")), addresses(r));
            assertEquals("SRV " + Q + " via " + dns.server(), r.source(), "AAAA was never asked");
            assertEquals(2, dns.questions(), "SRV and A");
        }
    }

    @Test
    void theHostResolverKeepsOneFamilyToo() throws Exception {
        try (FakeDns dns = server(V4, SERVFAIL)) {
            Resolution r = resolver(dns).resolve(TARGET, 4370);
            assertEquals(List.of(ip("10.0.0.7")), addresses(r));
            assertEquals(0, r.ttl().getSeconds());
            assertTrue(r.source().startsWith("A or AAAA " + TARGET + " via " + dns.server() + "; incomplete: AAAA "
                    + TARGET + " for host " + TARGET + ": no usable answer within "), r.source());
        }
    }

    @Test
    void familiesInterleaveThePreferredFirst() throws Exception {
        List<InetAddress> dnsOrder = List.of(ip("10.0.0.1"), ip("10.0.0.2"), ip("10.0.0.3"), ip("fd00::1"),
                ip("fd00::2"), ip("10.0.0.1"));
        assertEquals(List.of(ip("10.0.0.1"), ip("fd00::1"), ip("10.0.0.2"), ip("fd00::2"), ip("10.0.0.3")),
                Family.ANY.order(dnsOrder));
        assertEquals(List.of(ip("fd00::1"), ip("10.0.0.1"), ip("fd00::2"), ip("10.0.0.2"), ip("10.0.0.3")),
                Family.IPV6_FIRST.order(dnsOrder));
        assertEquals(List.of(ip("10.0.0.1"), ip("10.0.0.2"), ip("10.0.0.3")),
                Family.IPV4.order(dnsOrder));
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

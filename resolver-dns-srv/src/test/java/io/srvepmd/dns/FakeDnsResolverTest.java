package io.srvepmd.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.spi.EpmdResolver;
import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.Resolution;
import io.srvepmd.spi.UnavailableException;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The transport's failure handling, against an in-process fake server. */
class FakeDnsResolverTest {

    static final NodeName NODE = NodeName.parse("n0@svc.consul");
    static final long TIMEOUT_MS = 400;

    static EpmdResolver resolver(String servers) {
        return new DnsSrvResolverProvider().get(TestConfig.of("dns.servers", servers, "dns.timeout",
                TIMEOUT_MS + "ms"));
    }

    /** A reply to {@code q} with the given code and, for an SRV question, one record and its address. */
    static Message reply(Message q, int rcode) {
        Message r = new Message(q.getHeader().getID());
        r.getHeader().setFlag(Flags.QR);
        r.getHeader().setRcode(rcode);
        r.addRecord(q.getQuestion(), Section.QUESTION);
        Name name = q.getQuestion().getName();
        if (rcode == Rcode.NOERROR && q.getQuestion().getType() == Type.SRV) {
            r.addRecord(new SRVRecord(name, DClass.IN, 7, 0, 0, 4370, name), Section.ANSWER);
            r.addRecord(new ARecord(name, DClass.IN, 5, Servers.v4("10.0.0.7")), Section.ADDITIONAL);
        }
        return r;
    }

    /** Resolves, expecting {@link UnavailableException}, and checks the time bound. */
    static UnavailableException unavailable(String servers) {
        long t0 = System.nanoTime();
        UnavailableException e = assertThrows(UnavailableException.class, () -> resolver(servers).resolve(NODE));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < TIMEOUT_MS + 5_000, "a hang guard, not a timing claim: took " + ms + " ms");
        assertTrue(e.getMessage().startsWith("SRV n0.svc.consul for node n0@svc.consul: no usable answer within "),
                e.getMessage());
        return e;
    }

    @Test
    void silenceIsUnavailableWithinTheTimeout() throws Exception {
        try (FakeDns dns = new FakeDns(q -> List.of())) {
            long t0 = System.nanoTime();
            UnavailableException e = unavailable(dns.server());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            long budget = TIMEOUT_MS - Math.min(TIMEOUT_MS / 10, 200); // DnsSettings.budget()
            assertTrue(ms >= budget - 5, "gave up after " + ms + " ms");
            assertTrue(e.getMessage().endsWith("(" + dns.server() + " timeout, " + dns.server() + " timeout)"),
                    e.getMessage());
            assertEquals(AttemptPlan.ROUNDS, dns.questions());
        }
    }

    @Test
    void wrongIdIsIgnoredThenSilenceTimesOut() throws Exception {
        try (FakeDns dns = new FakeDns(q -> {
            Message r = reply(q, Rcode.NOERROR);
            r.getHeader().setID((q.getHeader().getID() + 1) & 0xffff);
            return List.of(r.toWire());
        })) {
            UnavailableException e = unavailable(dns.server());
            assertTrue(e.getMessage().contains(dns.server() + " timeout"), e.getMessage());
        }
    }

    @Test
    void truncatedWithoutTcpIsUnavailable() throws Exception {
        try (FakeDns dns = new FakeDns(q -> {
            Message r = reply(q, Rcode.NOERROR);
            r.getHeader().setFlag(Flags.TC);
            return List.of(r.toWire());
        })) {
            UnavailableException e = unavailable(dns.server());
            assertTrue(e.getMessage().contains(dns.server() + " truncated UDP answer, then TCP connection refused"),
                    e.getMessage());
        }
    }

    @Test
    void servfailAndRefusedAreUnavailable() throws Exception {
        try (FakeDns fail = new FakeDns(q -> List.of(reply(q, Rcode.SERVFAIL).toWire()));
                FakeDns refuse = new FakeDns(q -> List.of(reply(q, Rcode.REFUSED).toWire()))) {
            UnavailableException e = unavailable(fail.server() + "," + refuse.server());
            assertTrue(e.getMessage().endsWith("(" + fail.server() + " SERVFAIL, " + refuse.server() + " REFUSED, "
                    + fail.server() + " SERVFAIL, " + refuse.server() + " REFUSED)"), e.getMessage());
        }
    }

    @Test
    void closedPortIsRefusedQuickly() throws Exception {
        String closed = "127.0.0.1:" + Dnsmasq.freePort();
        UnavailableException e = unavailable(closed);
        // Refused through ICMP, not by waiting out the timeout: the message says which.
        assertTrue(e.getMessage().contains(closed + " refused (ICMP port unreachable)"), e.getMessage());
    }

    @Test
    void silentFirstServerThenAnsweringSecond() throws Exception {
        try (FakeDns silent = new FakeDns(q -> List.of());
                FakeDns good = new FakeDns(q -> List.of(reply(q, Rcode.NOERROR).toWire()))) {
            // Only if the silent server is given a share of the budget, not all of it, is the
            // second one asked at all: the answer itself is the proof, whatever the timing.
            Resolution r = resolver(silent.server() + "," + good.server()).resolve(NODE).orElseThrow();
            assertEquals(List.of(InetAddress.getByName("10.0.0.7")), r.candidates().get(0).addresses());
            assertEquals(5, r.ttl().getSeconds(), "the smallest TTL of the records used");
            assertEquals("SRV n0.svc.consul via " + good.server(), r.source());
        }
    }

    @Test
    void lateAnswerOnAnEarlierQuestionDoesNotConfuse() throws Exception {
        // First a reply to a different question with our ID: ignored; then the right one.
        try (FakeDns dns = new FakeDns(q -> {
            Message other = reply(q, Rcode.NOERROR);
            other.removeAllRecords(Section.QUESTION);
            other.addRecord(org.xbill.DNS.Record.newRecord(Name.root, Type.SRV, DClass.IN), Section.QUESTION);
            return List.of(other.toWire(), reply(q, Rcode.NOERROR).toWire());
        })) {
            Resolution r = resolver(dns.server()).resolve(NODE).orElseThrow();
            assertEquals(4370, r.candidates().get(0).port());
        }
    }

    @Test
    void nxdomainFromTheFirstServerIsFinal() throws Exception {
        try (FakeDns nx = new FakeDns(q -> List.of(reply(q, Rcode.NXDOMAIN).toWire()));
                FakeDns good = new FakeDns(q -> List.of(reply(q, Rcode.NOERROR).toWire()))) {
            IOException e = assertThrows(IOException.class,
                    () -> resolver(nx.server() + "," + good.server()).resolve(NODE));
            assertEquals("SRV n0.svc.consul for node n0@svc.consul: NXDOMAIN from " + nx.server(), e.getMessage());
            assertEquals(0, good.questions());
        }
    }
}

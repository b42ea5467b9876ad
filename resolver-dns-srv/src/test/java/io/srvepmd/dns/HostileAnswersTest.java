package io.srvepmd.dns;

import static io.srvepmd.dns.Replies.a;
import static io.srvepmd.dns.Replies.cname;
import static io.srvepmd.dns.Replies.srv;
import static io.srvepmd.dns.Replies.to;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.spi.Candidate;
import io.srvepmd.spi.EpmdResolver;
import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.Resolution;
import io.srvepmd.spi.UnavailableException;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Answers no real server gives on request, from the in-process {@link FakeDns}:
 * records of names that were not asked, replies without the question,
 * undecodable datagrams with our ID, FORMERR to EDNS, TTLs of 2^31 and more,
 * datagrams larger than advertised.
 */
class HostileAnswersTest {

    static final NodeName NODE = NodeName.parse("n0@svc.consul");
    static final String Q = "n0.svc.consul";
    static final String WHAT = "SRV n0.svc.consul for node n0@svc.consul";
    /** Long enough that an answered question never times out on a busy machine; silence costs this much. */
    static final long TIMEOUT_MS = 1000;

    static EpmdResolver resolver(FakeDns dns) {
        return new DnsSrvResolverProvider().get(TestConfig.of("dns.servers", dns.server(), "dns.timeout",
                TIMEOUT_MS + "ms"));
    }

    static Resolution resolve(FakeDns dns) throws IOException {
        return resolver(dns).resolve(NODE).orElseThrow();
    }

    static FakeDns fake(Function<Message, Message> answer) throws IOException {
        return new FakeDns(q -> List.of(answer.apply(q).toWire()));
    }

    static boolean isSrv(Message q) {
        return q.getQuestion().getType() == Type.SRV;
    }

    // --- item 4: only records of the question name, or reached from it by CNAME, count

    @Test
    void srvOwnedByAnotherNameIsNotUsed() throws Exception {
        try (FakeDns dns = fake(q -> a(srv(to(q, Rcode.NOERROR), "evil.svc.consul", 5, 6666, Q),
                Section.ADDITIONAL, Q, 5, "10.0.0.7"))) {
            IOException e = assertThrows(IOException.class, () -> resolve(dns));
            assertFalse(e instanceof UnavailableException);
            assertEquals(WHAT + ": no SRV record (NOERROR, ignored 1 SRV record of another name, such as"
                    + " evil.svc.consul, neither the name asked nor reached from it by CNAME) from " + dns.server(),
                    e.getMessage());
        }
    }

    @Test
    void forgedRecordBesideTheRealOneIsDropped() throws Exception {
        try (FakeDns dns = fake(q -> a(srv(srv(to(q, Rcode.NOERROR), "evil.svc.consul", 5, 6666, Q), Q, 5, 4370, Q),
                Section.ADDITIONAL, Q, 5, "10.0.0.7"))) {
            assertEquals(List.of(Candidate.of(List.of(Replies.ip("10.0.0.7")), 4370, 0, 0)),
                    resolve(dns).candidates());
        }
    }

    @Test
    void srvReachedThroughACnameChainCountsWithTheChainsTtl() throws Exception {
        try (FakeDns dns = fake(q -> {
            Message r = cname(cname(to(q, Rcode.NOERROR), Q, 3, "a.svc.consul"), "a.svc.consul", 30, "b.svc.consul");
            return a(srv(r, "b.svc.consul", 30, 4371, "b.svc.consul"), Section.ADDITIONAL, "b.svc.consul", 30,
                    "10.0.0.9");
        })) {
            Resolution r = resolve(dns);
            assertEquals(List.of(Candidate.of(List.of(Replies.ip("10.0.0.9")), 4371, 0, 0)), r.candidates());
            assertEquals(Duration.ofSeconds(3), r.ttl(), "no fresher than the first link of the chain");
        }
    }

    @Test
    void aCnameLoopIsNoAnswer() throws Exception {
        try (FakeDns dns = fake(q -> srv(cname(cname(to(q, Rcode.NOERROR), Q, 5, "a.svc.consul"), "a.svc.consul", 5,
                Q), "evil.svc.consul", 5, 4370, Q))) {
            IOException e = assertThrows(IOException.class, () -> resolve(dns));
            assertFalse(e instanceof UnavailableException);
            assertEquals(WHAT + ": no SRV record (NOERROR, a CNAME chain from " + Q + " longer than 8 links) from "
                    + dns.server(), e.getMessage());
        }
    }

    @Test
    void addressOwnedByAnotherNameIsNotUsed() throws Exception {
        try (FakeDns dns = fake(q -> isSrv(q) ? srv(to(q, Rcode.NOERROR), Q, 5, 4370, "t.node.consul")
                : q.getQuestion().getType() == Type.A ? a(to(q, Rcode.NOERROR), Section.ANSWER, "evil.node.consul", 5,
                        "10.6.6.6")
                : to(q, Rcode.NOERROR))) {
            IOException e = assertThrows(IOException.class, () -> resolve(dns));
            assertFalse(e instanceof UnavailableException);
            assertEquals(WHAT + ": no usable SRV record from " + dns.server() + ": t.node.consul:4370 has no A or AAAA"
                    + " record, nor has " + Q + " (asked " + dns.server() + ")", e.getMessage());
        }
    }

    @Test
    void addressReachedThroughACnameCounts() throws Exception {
        try (FakeDns dns = fake(q -> isSrv(q) ? srv(to(q, Rcode.NOERROR), Q, 5, 4370, "t.node.consul")
                : q.getQuestion().getType() == Type.A
                        ? a(cname(to(q, Rcode.NOERROR), "t.node.consul", 5, "h.node.consul"), Section.ANSWER,
                                "h.node.consul", 5, "10.0.0.5")
                : to(q, Rcode.NOERROR))) {
            assertEquals(List.of(Candidate.of(List.of(Replies.ip("10.0.0.5")), 4370, 0, 0)),
                    resolve(dns).candidates());
        }
    }

    @Test
    void additionalAddressOfAnotherNameIsNotUsed() throws Exception {
        try (FakeDns dns = fake(q -> isSrv(q)
                ? a(srv(to(q, Rcode.NOERROR), Q, 5, 4370, "t.node.consul"), Section.ADDITIONAL, "evil.node.consul", 5,
                        "10.6.6.6")
                : q.getQuestion().getType() == Type.A
                        ? a(to(q, Rcode.NOERROR), Section.ANSWER, "t.node.consul", 5, "10.0.0.5")
                : to(q, Rcode.NOERROR))) {
            assertEquals(List.of(Replies.ip("10.0.0.5")), resolve(dns).candidates().get(0).addresses());
        }
    }

    // --- item 5: only error replies may leave the question out

    static byte[] withoutQuestion(Message q, int rcode) {
        Message r = FakeDnsResolverTest.reply(q, rcode);
        r.removeAllRecords(Section.QUESTION);
        return r.toWire();
    }

    @Test
    void noerrorWithoutTheQuestionIsIgnored() throws Exception {
        try (FakeDns dns = new FakeDns(q -> List.of(withoutQuestion(q, Rcode.NOERROR)))) {
            UnavailableException e = assertThrows(UnavailableException.class, () -> resolve(dns));
            assertTrue(e.getMessage().endsWith("(" + dns.server() + " timeout (ignored a NOERROR answer without the"
                    + " question), " + dns.server() + " timeout (ignored a NOERROR answer without the question))"),
                    e.getMessage());
        }
    }

    @Test
    void nxdomainWithoutTheQuestionIsIgnored() throws Exception {
        try (FakeDns dns = new FakeDns(q -> List.of(withoutQuestion(q, Rcode.NXDOMAIN)))) {
            UnavailableException e = assertThrows(UnavailableException.class, () -> resolve(dns));
            assertTrue(e.getMessage().contains("timeout (ignored a NXDOMAIN answer without the question)"),
                    e.getMessage());
        }
    }

    @Test
    void servfailWithoutTheQuestionEndsTheAttempt() throws Exception {
        try (FakeDns dns = new FakeDns(q -> List.of(withoutQuestion(q, Rcode.SERVFAIL)))) {
            UnavailableException e = assertThrows(UnavailableException.class, () -> resolve(dns));
            assertTrue(e.getMessage().endsWith("(" + dns.server() + " SERVFAIL, " + dns.server() + " SERVFAIL)"),
                    e.getMessage());
        }
    }

    // --- item 7: undecodable datagrams, FORMERR to EDNS, huge TTLs

    static byte[] undecodable(Message q) {
        byte[] wire = FakeDnsResolverTest.reply(q, Rcode.NOERROR).toWire();
        return Arrays.copyOf(wire, wire.length - 3); // our ID, cut inside the last record
    }

    @Test
    void undecodableDatagramWithOurIdIsIgnoredAndTheRealAnswerUsed() throws Exception {
        try (FakeDns dns = new FakeDns(q -> List.of(undecodable(q), FakeDnsResolverTest.reply(q, Rcode.NOERROR)
                .toWire()))) {
            assertEquals(4370, resolve(dns).candidates().get(0).port());
            assertEquals(1, dns.questions(), "the first attempt got its answer");
        }
    }

    @Test
    void onlyUndecodableDatagramsTimeOutSayingWhatCame() throws Exception {
        try (FakeDns dns = new FakeDns(q -> List.of(undecodable(q)))) {
            UnavailableException e = assertThrows(UnavailableException.class, () -> resolve(dns));
            assertTrue(e.getMessage().contains(dns.server() + " timeout (ignored a malformed answer ("),
                    e.getMessage());
        }
    }

    @Test
    void formerrToEdnsIsAskedAgainWithoutOpt() throws Exception {
        try (FakeDns dns = new FakeDns(q -> List.of(q.getOPT() != null ? to(q, Rcode.FORMERR).toWire()
                : FakeDnsResolverTest.reply(q, Rcode.NOERROR).toWire()))) {
            assertEquals(4370, resolve(dns).candidates().get(0).port());
            List<Message> asked = dns.received();
            assertEquals(2, asked.size());
            assertNotNull(asked.get(0).getOPT());
            assertNull(asked.get(1).getOPT(), "the second question is plain DNS (RFC 6891 section 7)");
        }
    }

    @Test
    void formerrFromAServerThatKnowsEdnsStands() throws Exception {
        try (FakeDns dns = fake(q -> {
            Message r = to(q, Rcode.FORMERR);
            r.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
            return r;
        })) {
            UnavailableException e = assertThrows(UnavailableException.class, () -> resolve(dns));
            assertTrue(e.getMessage().endsWith("(" + dns.server() + " FORMERR, " + dns.server() + " FORMERR)"),
                    e.getMessage());
            for (Message asked : dns.received()) {
                assertNotNull(asked.getOPT());
            }
        }
    }

    @Test
    void ttlsOfTwoToThe31AndAboveMeanZero() throws Exception {
        try (FakeDns dns = new FakeDns(q -> List.of(Replies.patchTtl(a(srv(to(q, Rcode.NOERROR), Q,
                Replies.TTL_MARKER, 4370, Q), Section.ADDITIONAL, Q, 0x7fffffffL, "10.0.0.7").toWire(), 1L << 31)))) {
            Resolution r = resolve(dns);
            assertEquals(Duration.ZERO, r.ttl(), "2^31 means 0 (RFC 2181 section 8)");
        }
        try (FakeDns dns = new FakeDns(q -> List.of(Replies.patchTtl(a(srv(to(q, Rcode.NOERROR), Q, 0x7fffffffL,
                4370, Q), Section.ADDITIONAL, Q, Replies.TTL_MARKER, "10.0.0.7").toWire(), 0xffffffffL)))) {
            assertEquals(Duration.ZERO, resolve(dns).ttl(), "2^32 - 1 in the additional section means 0 too");
        }
        try (FakeDns dns = new FakeDns(q -> List.of(a(srv(to(q, Rcode.NOERROR), Q, 0x7fffffffL, 4370, Q),
                Section.ADDITIONAL, Q, 0x7fffffffL, "10.0.0.7").toWire()))) {
            assertEquals(Duration.ofSeconds(0x7fffffffL), resolve(dns).ttl(), "2^31 - 1 is a TTL like any other");
        }
    }

    // --- item 3: a datagram larger than the advertised EDNS payload is fetched over TCP

    static final int MANY = 60;

    static Message many(Message q) {
        Message r = to(q, Rcode.NOERROR);
        for (int i = 0; i < MANY; i++) {
            srv(r, Q, 5, 5000 + i, "t" + i + ".node.consul");
            a(r, Section.ADDITIONAL, "t" + i + ".node.consul", 5, "10.1.0." + i);
        }
        return r;
    }

    @Test
    void datagramLargerThanAdvertisedIsFetchedOverTcp() throws Exception {
        assertTrue(many(Message.newQuery(org.xbill.DNS.Record.newRecord(Replies.name(Q), Type.SRV, 1))).toWire().length
                > UdpSockets.EDNS_PAYLOAD, "the answer is larger than the payload size the question advertises");
        // A server that ignores the advertised payload size and sends it all in one datagram, without TC.
        try (FakeDns dns = new FakeDns(InetAddress.getByName("127.0.0.1"), q -> List.of(many(q).toWire()),
                q -> many(q).toWire())) {
            Resolution r = resolve(dns);
            assertEquals(MANY, r.candidates().size());
            assertEquals(1, dns.tcpQuestions(), "the whole answer came over TCP");
        }
    }

    @Test
    void truncationFlagLeadsToTcpToo() throws Exception {
        try (FakeDns dns = new FakeDns(InetAddress.getByName("127.0.0.1"), q -> {
            Message r = to(q, Rcode.NOERROR);
            r.getHeader().setFlag(Flags.TC);
            return List.of(r.toWire());
        }, q -> many(q).toWire())) {
            assertEquals(MANY, resolve(dns).candidates().size());
            assertEquals(1, dns.tcpQuestions());
        }
    }
}

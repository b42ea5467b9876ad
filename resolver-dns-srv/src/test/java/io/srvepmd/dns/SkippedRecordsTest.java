package io.srvepmd.dns;

import static io.srvepmd.dns.Replies.a;
import static io.srvepmd.dns.Replies.srv;
import static io.srvepmd.dns.Replies.to;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.spi.Candidate;
import io.srvepmd.spi.Resolution;
import io.srvepmd.spi.UnavailableException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Item 11, the part no real server produces on request: an address question
 * that goes unanswered costs only its own SRV record. (Targets without
 * address and port 0 are tested against dnsmasq in {@link DnsmasqResolverTest}.)
 * The fake answers SRV questions and is silent to every address question.
 */
class SkippedRecordsTest {

    static final String Q = HostileAnswersTest.Q;
    static final String WHAT = HostileAnswersTest.WHAT;

    static FakeDns silentForAddresses(int firstPort) throws Exception {
        return new FakeDns(q -> {
            if (q.getQuestion().getType() != Type.SRV) {
                return List.of();
            }
            Message r = srv(to(q, Rcode.NOERROR), Q, 30, firstPort, "good.node.consul");
            a(r, Section.ADDITIONAL, "good.node.consul", 30, "10.0.0.5");
            return List.of(srv(r, Q, 30, 4371, "slow.node.consul").toWire());
        });
    }

    @Test
    void anUnansweredAddressQuestionSkipsOnlyItsRecord() throws Exception {
        try (FakeDns dns = silentForAddresses(4370)) {
            Resolution r = HostileAnswersTest.resolve(dns);
            assertEquals(List.of(Candidate.of(List.of(Replies.ip("10.0.0.5")), 4370, 0, 0)), r.candidates());
            assertTrue(r.source().startsWith("SRV " + Q + " via " + dns.server() + "; skipped 1 of 2 SRV records:"
                    + " slow.node.consul:4371 has no address: A slow.node.consul for node n0@svc.consul: no usable"
                    + " answer within "), r.source());
            assertEquals(Duration.ZERO, r.ttl(), "an answer missing a record for a passing reason is not kept long");
        }
    }

    @Test
    void noneLeftAndOneUnansweredIsUnavailable() throws Exception {
        try (FakeDns dns = silentForAddresses(0)) {
            UnavailableException e = assertThrows(UnavailableException.class, () -> HostileAnswersTest.resolve(dns));
            assertTrue(e.getMessage().startsWith(WHAT + ": no usable SRV record from " + dns.server()
                    + ": good.node.consul:0 has port 0, which no node listens on; slow.node.consul:4371 has no"
                    + " address: A slow.node.consul for node n0@svc.consul: no usable answer within "),
                    e.getMessage());
        }
    }
}

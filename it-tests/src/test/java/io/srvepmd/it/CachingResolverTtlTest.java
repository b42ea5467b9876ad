package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.AgentCli;
import io.srvepmd.it.support.DnsServer;
import io.srvepmd.it.support.ErlangNode;
import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.Steps;
import io.srvepmd.it.support.Unbound;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * What a caching resolver does with time, and that the agent follows it
 * rather than adding its own: Unbound caches an NXDOMAIN for the negative TTL
 * the authoritative server's SOA gives (RFC 2308), and serves positive answers
 * with TTLs that count down. Every assertion compares the agent with what
 * Unbound serves, or with what reached the authoritative server, at that
 * moment; none races a sleep against a TTL.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CachingResolverTtlTest extends ItBase {

    private static final String ZONE = CachingResolverTest.ZONE;
    private static final String GHOST = "ghost@svc.test";
    private static final String GHOST_SRV = "ghost.svc.test";
    private static final String ERL = "erl@svc.test";
    private static final String SRV = "erl.svc.test";

    @Test
    void aNodeThatAppearsAfterNxdomainIsReachedOnceTheNegativeTtlPassesAndNoLater() {
        // The SOA's TTL and minimum: how long Unbound keeps the NXDOMAIN. Long enough that the
        // steps right after the node appears surely fall within it; the end is waited for by polling.
        int negativeTtl = 15;
        int port = FreePorts.tcp();
        DnsServer auth = track(DnsServer.create().authoritative(ZONE, negativeTtl).start());
        Unbound unbound = track(Unbound.stub(ZONE, auth).start());
        track(ErlangNode.start(GHOST, COOKIE, unbound, port));
        // The agent keeps no "no such node" of its own (dns.negative-ttl=0ms): what it sees is Unbound's.
        JavaApp app = track(Steps.resolveMain("dns.servers=" + unbound.address() + ",dns.negative-ttl=0ms",
                "connect:" + GHOST, "await", "connect:" + GHOST, "await", "connect:" + GHOST).start());
        Steps.Connect before = Steps.awaitConnect(app, 0, Duration.ofSeconds(20));
        assertFalse(before.ok, app.describe());
        assertTrue(before.error.contains("SRV " + GHOST_SRV + " for node " + GHOST + ": NXDOMAIN from "
                + unbound.address()), before.toString());
        assertEquals(1, auth.queries(GHOST_SRV, "SRV"), auth.queryLog().toString());
        app.awaitLine("AWAITING", Duration.ofSeconds(5));

        auth.node(GHOST, port).restart(); // the node appears in DNS

        // Unbound still serves its NXDOMAIN, the SOA's TTL counting down, without asking again...
        Message cached = unbound.ask(GHOST_SRV, Type.SRV);
        assertEquals(Rcode.NXDOMAIN, cached.getRcode(), cached.toString());
        long soaTtl = soaTtl(cached);
        assertTrue(soaTtl > 0 && soaTtl <= negativeTtl, cached.toString());
        // ...and so does the agent.
        int lines = app.stdoutLines().size();
        app.send("go");
        Steps.Connect during = Steps.awaitConnect(app, 1, Duration.ofSeconds(20));
        assertFalse(during.ok, app.describe());
        assertTrue(during.error.contains("NXDOMAIN from " + unbound.address()), during.toString());
        assertEquals(1, auth.queries(GHOST_SRV, "SRV"), "served from Unbound's negative cache: " + auth.queryLog());
        app.awaitLine(lines, "AWAITING", Duration.ofSeconds(5));

        // Poll what Unbound serves until its NXDOMAIN has expired and it asked again.
        List<Long> countdown = new ArrayList<>(List.of(soaTtl));
        Message fresh = unbound.ask(GHOST_SRV, Type.SRV);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(negativeTtl + 20);
        while (fresh.getRcode() == Rcode.NXDOMAIN && System.nanoTime() < deadline) {
            countdown.add(soaTtl(fresh));
            pause(200);
            fresh = unbound.ask(GHOST_SRV, Type.SRV);
        }
        assertEquals(Rcode.NOERROR, fresh.getRcode(), "Unbound's negative entry expired: " + countdown);
        for (int i = 1; i < countdown.size(); i++) {
            assertTrue(countdown.get(i) <= countdown.get(i - 1), "the negative TTL only counts down: " + countdown);
        }
        assertEquals(2, auth.queries(GHOST_SRV, "SRV"), "asked again once, when the negative TTL had passed: "
                + auth.queryLog());

        // No later: the agent's next connection finds the node.
        app.send("go");
        Steps.Connect after = Steps.awaitConnect(app, 2, Duration.ofSeconds(20));
        assertTrue(after.ok, app.describe());
        assertEquals(0, app.waitFor(Duration.ofSeconds(10)), app.describe());
        assertAgentSilent(app);
    }

    @Test
    void theAgentTakesTheTtlsAsUnboundDecrementsThem() {
        int ttl = 600;
        int port = FreePorts.tcp();
        DnsServer auth = track(DnsServer.create().authoritative(ZONE, ttl).node(ERL, port).start());
        Unbound unbound = track(Unbound.stub(ZONE, auth).start());
        String agent = "dns.servers=" + unbound.address();

        long firstTtl = resolvedTtl(AgentCli.run(agent, "resolve", ERL));
        assertTrue(firstTtl <= ttl, "fetched just now: " + firstTtl);

        // Unbound counts its cached TTLs down: wait (polling what it serves) until they are 3 s below.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (servedTtl(unbound) > ttl - 3 && System.nanoTime() < deadline) {
            pause(200);
        }
        long before = servedTtl(unbound);
        long resolved = resolvedTtl(AgentCli.run(agent, "resolve", ERL));
        long after = servedTtl(unbound);
        assertTrue(before <= ttl - 3, "Unbound decremented: " + before);
        assertTrue(after <= resolved && resolved <= before, "the agent's TTL is what Unbound served: " + after
                + " <= " + resolved + " <= " + before);
        assertEquals(1, auth.queries(SRV, "SRV"), "every answer came from Unbound's cache: " + auth.queryLog());
    }

    /** The smallest TTL of the SRV and A records Unbound serves for the node now. */
    private static long servedTtl(Unbound unbound) {
        long min = Long.MAX_VALUE;
        for (int type : new int[] {Type.SRV, Type.A}) {
            Message m = unbound.ask(SRV, type);
            assertEquals(Rcode.NOERROR, m.getRcode(), m.toString());
            for (Record r : m.getSection(Section.ANSWER)) {
                min = Math.min(min, r.getTTL());
            }
        }
        return min;
    }

    /** The TTL in {@code resolve}'s first line: {@code NODE: SRV ... via ..., ttl 597s}. */
    private static long resolvedTtl(AgentCli cli) {
        assertEquals(0, cli.status, cli.toString());
        Matcher m = Pattern.compile(".*, ttl (\\d+)s$").matcher(cli.line(ERL + ": "));
        assertTrue(m.matches(), cli.toString());
        return Long.parseLong(m.group(1));
    }

    private static long soaTtl(Message negative) {
        for (Record r : negative.getSection(Section.AUTHORITY)) {
            if (r.getType() == Type.SOA) {
                return r.getTTL();
            }
        }
        throw new AssertionError("no SOA in the negative answer: " + negative);
    }

    /** The pace of a bounded poll; nothing waits on it. */
    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}

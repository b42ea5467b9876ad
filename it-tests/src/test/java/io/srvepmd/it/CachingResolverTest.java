package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.AgentCli;
import io.srvepmd.it.support.DnsProxy;
import io.srvepmd.it.support.DnsProxy.Fault;
import io.srvepmd.it.support.DnsServer;
import io.srvepmd.it.support.ErlangNode;
import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.JavaApp.JInterface;
import io.srvepmd.it.support.Nameserver;
import io.srvepmd.it.support.Steps;
import io.srvepmd.it.support.Unbound;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The agent behind the resolver hosts really use: Debian's Unbound, stub-zoning
 * {@code svc.test} to dnsmasq as its authoritative server (the way a node-local
 * cache forwards the cluster's zone to Consul or CoreDNS), with minimal
 * responses. Both directions of distribution; one address family failing at
 * the authoritative side (refused, so Unbound serves SERVFAIL; or dropped); a
 * 300-record SRV set that needs TCP between every pair; Unbound restarted
 * under a running program.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CachingResolverTest extends ItBase {

    static final String ZONE = "svc.test";
    /** TTL of every authoritative answer: long enough that nothing here expires by itself. */
    static final int TTL = 600;
    private static final String ERL = "erl@svc.test";
    private static final String SRV = "erl.svc.test";
    private static final String JAVA = "java@svc.test";

    /** Unbound in front of {@code upstream}, and node {@code ERL} on {@code erlPort} resolving through it. */
    private Unbound unboundWithNode(Nameserver upstream, int erlPort) {
        Unbound unbound = track(Unbound.stub(ZONE, upstream).start());
        track(ErlangNode.start(ERL, COOKIE, unbound, erlPort));
        return unbound;
    }

    /** The authoritative server of node {@code ERL}, behind a proxy where AAAA questions meet {@code fault}. */
    private DnsProxy aaaaMeets(Fault fault, int erlPort) {
        DnsServer auth = track(DnsServer.create().authoritative(ZONE, TTL).node(ERL, erlPort).start());
        return track(new DnsProxy(auth).fault(Type.AAAA, fault));
    }

    /** The first line of {@code java -jar srv-epmd-agent.jar AGENT_ARGS resolve ERL}, which must succeed. */
    private static String resolveLine(String agentArgs) {
        AgentCli cli = AgentCli.run(agentArgs, "resolve", ERL);
        assertEquals(0, cli.status, cli.toString());
        return cli.line(ERL + ": ");
    }

    /** One connection to {@code ERL} from a program with the agent (which prints nothing). */
    private Steps.Connect connectOnce(String agentArgs) {
        JavaApp app = track(Steps.resolveMain(agentArgs, "connect:" + ERL).start());
        assertEquals(0, app.waitFor(Duration.ofSeconds(30)), app.describe());
        Steps.Connect c = Steps.awaitConnect(app, 0, Duration.ofSeconds(1));
        assertTrue(c.ok, app.describe());
        assertAgentSilent(app);
        return c;
    }

    @Test
    void javaReachesErlangThroughUnboundsMinimalResponses() {
        int erlPort = FreePorts.tcp();
        DnsServer auth = track(DnsServer.create().authoritative(ZONE, TTL).node(ERL, erlPort).start());
        Unbound unbound = unboundWithNode(auth, erlPort);

        JavaApp app = track(javaWithAgent("NodeMain", JInterface.V1_13_1, unbound)
                .env("ERL_DIST_PORT", Integer.toString(FreePorts.tcp()))
                .args(JAVA, COOKIE, "ping:" + ERL, "echo:" + ERL, "rpc-node:" + ERL).start());

        assertEquals(0, app.waitFor(Duration.ofSeconds(40)), app.describe());
        List<String> lines = app.stdoutLines();
        assertTrue(lines.contains("PING " + ERL + " ok"), app.describe());
        assertTrue(lines.contains("ECHO hello FROM " + ERL), app.describe());
        assertTrue(lines.contains("RPC erlang:node() = '" + ERL + "'"), app.describe());
        assertAgentSilent(app);

        // What Unbound serves: the SRV record and no additional section, so the agent
        // had to ask the target's addresses itself, through Unbound.
        Message srv = unbound.ask(SRV, Type.SRV);
        assertEquals(Rcode.NOERROR, srv.getRcode(), srv.toString());
        assertEquals(1, srv.getSection(Section.ANSWER).size(), srv.toString());
        assertTrue(srv.getSection(Section.ADDITIONAL).stream().allMatch(r -> r.getType() == Type.OPT),
                "minimal response: " + srv);
        assertFalse(unbound.replies(SRV, "A").isEmpty(), unbound.log());
        assertFalse(unbound.replies(SRV, "AAAA").isEmpty(), "asked together with A: " + unbound.log());
    }

    @Test
    void erlangReachesJavaThroughUnbound() {
        int javaPort = FreePorts.tcp();
        int erlPort = FreePorts.tcp();
        DnsServer auth = track(DnsServer.create().authoritative(ZONE, TTL).node(JAVA, javaPort).node(ERL, erlPort)
                .start());
        Unbound unbound = track(Unbound.stub(ZONE, auth).start());
        JavaApp java = track(javaWithAgent("NodeMain", JInterface.V1_13_1, unbound)
                .env("ERL_DIST_PORT", Integer.toString(javaPort)).args(JAVA, COOKIE, "serve:inbox:1").start());
        java.awaitLine("SERVING inbox", Duration.ofSeconds(20));

        ErlangNode erl = track(ErlangNode.start(ERL, COOKIE, unbound, erlPort));
        assertTrue(erl.ping(JAVA), "net_adm:ping from Erlang: " + erl.process().describe());
        assertEquals("{ok,<<\"hello\">>}", erl.sendAndAwaitReply(JAVA, "inbox", "hello"), java.describe());
        java.awaitLine("SERVED", Duration.ofSeconds(10));
        assertTrue(java.stdoutLines().contains("GOT hello FROM " + ERL), java.describe());
        assertFalse(unbound.replies("java.svc.test", "SRV").isEmpty(), "Erlang asked Unbound: " + unbound.log());
        assertEquals(0, java.waitFor(Duration.ofSeconds(10)), java.describe());
        assertAgentSilent(java);
    }

    @Test
    void aaaaRefusedByTheAuthoritativeSideLeavesTheIpv4Address() {
        int erlPort = FreePorts.tcp();
        DnsProxy proxy = aaaaMeets(Fault.REFUSED, erlPort);
        Unbound unbound = unboundWithNode(proxy, erlPort);

        // What Unbound serves: SERVFAIL for AAAA, the address for A.
        assertEquals(Rcode.SERVFAIL, unbound.ask(SRV, Type.AAAA).getRcode());
        Message a = unbound.ask(SRV, Type.A);
        assertEquals("127.0.0.1", ((org.xbill.DNS.ARecord) a.getSection(Section.ANSWER).get(0)).getAddress()
                .getHostAddress(), a.toString());

        String first = resolveLine("dns.servers=" + unbound.address());
        assertTrue(first.contains("; incomplete: " + SRV + ":" + erlPort + " without AAAA " + SRV + " for node " + ERL
                + ": no usable answer within "), first);
        assertTrue(first.contains(unbound.address() + " SERVFAIL"), first);
        assertTrue(first.endsWith(", ttl 0s"), "asked again after dns.min-ttl: " + first);

        assertTrue(connectOnce("dns.servers=" + unbound.address()).ok);
        assertTrue(proxy.faulted() >= 1, "the authoritative side refused AAAA");
    }

    @Test
    void aSilentlyDroppedAaaaCostsTheResolutionDelayNotTheTimeout() {
        int erlPort = FreePorts.tcp();
        DnsProxy proxy = aaaaMeets(Fault.DROP, erlPort);
        Unbound unbound = unboundWithNode(proxy, erlPort);
        String agent = "dns.servers=" + unbound.address() + ",dns.timeout=10s";

        String first = resolveLine(agent);
        // Waiting out dns.timeout would read "no usable answer within 9000 ms".
        assertTrue(first.contains("; incomplete: " + SRV + ":" + erlPort + " without AAAA " + SRV + " for node " + ERL
                + ": no usable answer within dns.resolution-delay (50 ms) of the A answer (" + unbound.address()
                + " timeout)"), first);

        Steps.Connect c = connectOnce(agent);
        assertTrue(c.ok, c.toString());
        assertTrue(c.millis < 5000, "not a speed claim: the A answer was not held for the whole 10 s: " + c);
        assertTrue(proxy.faulted() >= 1, "the AAAA question was dropped at the authoritative side");
    }

    @Test
    void threeHundredRecordSrvSetNeedsTcpThroughUnbound() {
        int erlPort = FreePorts.tcp();
        DnsServer auth = DnsServer.create().authoritative(ZONE, TTL).srv(SRV, SRV, erlPort, 0, 0)
                .host(SRV, "127.0.0.1");
        for (int i = 0; i < 299; i++) {
            auth.srv(SRV, SRV, FreePorts.tcp(), 10, i % 7);
        }
        Unbound unbound = unboundWithNode(track(auth.start()), erlPort);

        JavaApp app = track(Steps.resolveMain("dns.servers=" + unbound.address(), "connect:" + ERL, "jmx").start());
        assertEquals(0, app.waitFor(Duration.ofSeconds(30)), app.describe());
        assertTrue(Steps.awaitConnect(app, 0, Duration.ofSeconds(1)).ok, app.describe());
        assertEquals("1", Steps.jmx(app.stdoutLines()).get("type=Resolver,name=dns-srv TcpFallbacks"),
                "the truncated UDP answer from Unbound, asked again over TCP: " + app.describe());
        assertTrue(unbound.ask(SRV, Type.SRV).getHeader().getFlag(Flags.TC), "Unbound truncates it over UDP");
        assertAgentSilent(app);
    }

    @Test
    void unboundRestartedUnderARunningProgram() {
        int erlPort = FreePorts.tcp();
        DnsServer auth = track(DnsServer.create().authoritative(ZONE, TTL).node(ERL, erlPort).start());
        Unbound unbound = unboundWithNode(auth, erlPort);
        // Answers never reused (TTL bounds 0): every connection asks Unbound again.
        JavaApp app = track(Steps.resolveMain("dns.servers=" + unbound.address()
                + ",dns.min-ttl=0ms,dns.max-ttl=0ms,dns.timeout=2s", "connect:" + ERL, "await", "connect:" + ERL,
                "await", "connect:" + ERL).start());
        assertTrue(Steps.awaitConnect(app, 0, Duration.ofSeconds(20)).ok, app.describe());
        app.awaitLine("AWAITING", Duration.ofSeconds(5));

        unbound.kill();
        int lines = app.stdoutLines().size();
        app.send("go");
        assertTrue(Steps.awaitConnect(app, 1, Duration.ofSeconds(20)).ok, "served stale: " + app.describe());
        app.awaitLine(lines, "AWAITING", Duration.ofSeconds(5));

        int asked = auth.queries(SRV, "SRV");
        unbound.start(); // same address, empty cache
        app.send("go");
        assertTrue(Steps.awaitConnect(app, 2, Duration.ofSeconds(20)).ok, app.describe());
        assertEquals(0, app.waitFor(Duration.ofSeconds(10)), app.describe());
        assertEquals(asked + 1, auth.queries(SRV, "SRV"),
                "the agent asked the restarted Unbound, which had to ask the authoritative server: "
                        + auth.queryLog());
        Matcher warnings = Pattern.compile("serving the last good answer for node " + Pattern.quote(ERL))
                .matcher(app.stderr());
        int count = 0;
        while (warnings.find()) {
            count++;
        }
        assertEquals(1, count, "one warning while Unbound was down: " + app.describe());
    }
}

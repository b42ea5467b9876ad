package io.srvepmd.staticmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.spi.Candidate;
import io.srvepmd.spi.HostResolver;
import io.srvepmd.spi.NodeEntry;
import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.Resolution;
import io.srvepmd.spi.NodeNotFoundException;
import io.srvepmd.spi.UnavailableException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StaticResolverTest {

    /** A host resolver that knows localhost only, as the agent's would with a hosts file. */
    private static final HostResolver LOCALHOST = (host, port) -> {
        if (!host.equals("localhost")) {
            throw new NodeNotFoundException("host " + host + " has no A or AAAA record (asked 127.0.0.1:53)");
        }
        return Resolution.of(List.of(Candidate.of(List.of(InetAddress.getByName("127.0.0.1")), port, 0, 0)),
                Duration.ZERO, "host localhost in the hosts file");
    };

    private static StaticResolver resolver(String nodes) {
        return new StaticResolver(StaticEntryParser.parseNodes(nodes, "static.nodes", "test setting static.nodes"),
                LOCALHOST);
    }

    private static Resolution resolve(StaticResolver resolver, String node) throws IOException {
        return resolver.resolve(NodeName.parse(node)).orElseThrow();
    }

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    @Test
    void literalAnswersOneCandidateWithTheLongTtl() throws Exception {
        Resolution r = resolve(resolver("node-0@host-a=10.0.0.7:4370"), "node-0@host-a");
        assertEquals(List.of(Candidate.of(ip("10.0.0.7"), 4370)), r.candidates());
        assertEquals(Duration.ofHours(1), r.ttl());
        assertEquals("static entry 'node-0@host-a=10.0.0.7:4370' (static.nodes)", r.source());
    }

    @Test
    void ipv6Literal() throws Exception {
        Resolution r = resolve(resolver("a@b=[fd00::7]:9"), "a@b");
        assertEquals(List.of(Candidate.of(ip("fd00::7"), 9)), r.candidates());
    }

    @Test
    void noMatchIsNotMine() throws Exception {
        assertEquals(Optional.empty(), resolver("a@b=10.0.0.1:1;*@*.svc=:2").resolve(NodeName.parse("a@c")));
    }

    @Test
    void firstMatchingEntryWins() throws Exception {
        StaticResolver specificFirst = resolver("db-0@h=10.0.0.1:1111; *@h=10.0.0.2:2222");
        assertEquals(1111, resolve(specificFirst, "db-0@h").candidates().get(0).port());
        assertEquals(2222, resolve(specificFirst, "db-1@h").candidates().get(0).port());

        StaticResolver wildcardFirst = resolver("*@h=10.0.0.2:2222; db-0@h=10.0.0.1:1111");
        assertEquals(2222, resolve(wildcardFirst, "db-0@h").candidates().get(0).port());

        StaticResolver duplicate = resolver("a@h=10.0.0.1:1; a@h=10.0.0.2:2");
        assertEquals(List.of(Candidate.of(ip("10.0.0.1"), 1)), resolve(duplicate, "a@h").candidates());
    }

    @Test
    void hostNameIsLookedUpWithTheAgentsHostResolver() throws Exception {
        Resolution r = resolve(resolver("a@b=localhost:4370"), "a@b");
        assertEquals(List.of(Candidate.of(List.of(ip("127.0.0.1")), 4370, 0, 0)), r.candidates());
        assertEquals(Duration.ZERO, r.ttl(), "the host resolver's TTL, not one of its own");
        assertEquals("static entry 'a@b=localhost:4370' (static.nodes), host localhost in the hosts file", r.source());
    }

    @Test
    void emptyAddressLooksUpTheNodesHost() throws Exception {
        StaticResolver resolver = resolver("*@localhost=:4370; *@*=:5000");
        Resolution r = resolve(resolver, "n@localhost");
        assertEquals(List.of(Candidate.of(List.of(ip("127.0.0.1")), 4370, 0, 0)), r.candidates());
        assertTrue(r.source().startsWith("static entry '*@localhost=:4370' (static.nodes)"), r.source());
    }

    @Test
    void eachLookupAsksTheHostResolverAgainWithTheRecordsTtl() throws Exception {
        int[] calls = {0};
        StaticResolver resolver = new StaticResolver(
                StaticEntryParser.parseNodes("*@*.svc=:4370", "static.nodes", "x"), (host, port) -> {
                    calls[0]++;
                    assertEquals("pod-" + calls[0] + ".svc", host);
                    return Resolution.of(List.of(Candidate.of(List.of(ip("10.0.0." + calls[0]),
                            ip("fd00::" + calls[0])), port, 0, 0)), Duration.ofSeconds(7), "A or AAAA " + host);
                });
        Resolution first = resolve(resolver, "n@pod-1.svc");
        assertEquals(List.of(Candidate.of(List.of(ip("10.0.0.1"), ip("fd00::1")), 4370, 0, 0)), first.candidates());
        assertEquals(Duration.ofSeconds(7), first.ttl());
        assertEquals(List.of(Candidate.of(List.of(ip("10.0.0.2"), ip("fd00::2")), 4370, 0, 0)),
                resolve(resolver, "n@pod-2.svc").candidates());
    }

    @Test
    void unresolvableHostNamesNodeHostEntryAndReason() {
        IOException e = assertThrows(IOException.class,
                () -> resolver("*@*.svc=:4370").resolve(NodeName.parse("n@pod-9.svc")));
        assertEquals("node n@pod-9.svc: cannot resolve host 'pod-9.svc' of static entry '*@*.svc=:4370'"
                + " (static.nodes): host pod-9.svc has no A or AAAA record (asked 127.0.0.1:53)", e.getMessage());
        assertTrue(e instanceof NodeNotFoundException, "no such host: no such node " + e);
    }

    @Test
    void anUnclassifiedHostResolverFailureIsAnOutageNotNoSuchNode() {
        StaticResolver resolver = new StaticResolver(StaticEntryParser.parseNodes("*@*.svc=:4370", "static.nodes",
                "x"), (host, port) -> {
                    throw new java.net.SocketTimeoutException("Read timed out");
                });
        assertThrows(UnavailableException.class, () -> resolver.resolve(NodeName.parse("n@pod-9.svc")));
    }

    @Test
    void onlyLiteralEntriesRunOnTheCallersThread() {
        assertTrue(resolver("a@svc=10.0.0.1:4370;b@svc=[fd00::1]:4370").honoursTimeout());
        assertTrue(!resolver("a@svc=10.0.0.1:4370;*@*.svc=:4370").honoursTimeout(),
                "an entry naming a host needs the host resolver, which it does not vouch for");
    }

    @Test
    void anUnreachableDnsIsAnOutageSoTheAgentMayServeStale() {
        StaticResolver resolver = new StaticResolver(
                StaticEntryParser.parseNodes("*@*.svc=:4370", "static.nodes", "x"), (host, port) -> {
                    throw new UnavailableException("A pod-1.svc: no usable answer within 2000 ms");
                });
        UnavailableException e = assertThrows(UnavailableException.class,
                () -> resolver.resolve(NodeName.parse("n@pod-1.svc")));
        assertEquals("node n@pod-1.svc: host 'pod-1.svc' of static entry '*@*.svc=:4370' (static.nodes):"
                + " A pod-1.svc: no usable answer within 2000 ms", e.getMessage());
    }

    @Test
    void listReturnsTheExactEntries() {
        StaticResolver resolver = resolver("a@h=10.0.0.1:1; *@*.svc=:4370; b@h=db:2");
        assertEquals(Optional.of(List.of(entry("a@h", 1), entry("b@h", 2))), resolver.list());
    }

    @Test
    void listGivesThePortResolveWouldAnswerAndEachNodeOnce() {
        StaticResolver resolver = resolver("*@shadowed=:7; a@h=10.0.0.1:1; a@h=10.0.0.1:2; b@shadowed=10.0.0.1:3");
        assertEquals(Optional.of(List.of(entry("a@h", 1), entry("b@shadowed", 7))), resolver.list());
    }

    @Test
    void listIsEmptyWithoutExactEntries() {
        assertEquals(Optional.empty(), resolver("*@*.svc=:4370; node-*@h=10.0.0.1:1").list());
    }

    @Test
    void describesItself() {
        assertTrue(resolver("a@h=10.0.0.1:1;b@h=10.0.0.1:1").toString().contains("2 entries"));
    }

    private static NodeEntry entry(String node, int port) {
        return NodeEntry.of(NodeName.parse(node), port);
    }
}

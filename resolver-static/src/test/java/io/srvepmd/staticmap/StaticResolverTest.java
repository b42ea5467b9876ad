package io.srvepmd.staticmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.spi.Candidate;
import io.srvepmd.spi.NodeEntry;
import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.Resolution;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StaticResolverTest {

    private static StaticResolver resolver(String nodes) {
        return new StaticResolver(StaticEntryParser.parseNodes(nodes, "static.nodes", "test setting static.nodes"));
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
    void hostNameIsLookedUpWithTheSystemResolver() throws Exception {
        Resolution r = resolve(resolver("a@b=localhost:4370"), "a@b");
        List<InetAddress> expected = Arrays.asList(InetAddress.getAllByName("localhost"));
        assertEquals(List.of(Candidate.of(expected, 4370, 0, 0)), r.candidates());
        assertEquals(Duration.ofSeconds(30), r.ttl());
    }

    @Test
    void emptyAddressLooksUpTheNodesHost() throws Exception {
        StaticResolver resolver = resolver("*@localhost=:4370; *@*=:5000");
        Resolution r = resolve(resolver, "n@localhost");
        List<InetAddress> expected = Arrays.asList(InetAddress.getAllByName("localhost"));
        assertEquals(List.of(Candidate.of(expected, 4370, 0, 0)), r.candidates());
        assertEquals(Duration.ofSeconds(30), r.ttl());
        assertEquals("static entry '*@localhost=:4370' (static.nodes)", r.source());

        // A node whose host is an IP literal needs no lookup at all.
        Resolution literalHost = resolve(resolver, "n@127.0.0.1");
        assertEquals(List.of(Candidate.of(ip("127.0.0.1"), 5000)), literalHost.candidates());
    }

    @Test
    void eachLookupAsksTheSystemResolverAgain() throws Exception {
        int[] calls = {0};
        StaticResolver resolver = new StaticResolver(
                StaticEntryParser.parseNodes("*@*.svc=:4370", "static.nodes", "x"), host -> {
                    calls[0]++;
                    assertEquals("pod-" + calls[0] + ".svc", host);
                    return new InetAddress[] {ip("10.0.0." + calls[0]), ip("fd00::" + calls[0])};
                });
        assertEquals(List.of(Candidate.of(List.of(ip("10.0.0.1"), ip("fd00::1")), 4370, 0, 0)),
                resolve(resolver, "n@pod-1.svc").candidates());
        assertEquals(List.of(Candidate.of(List.of(ip("10.0.0.2"), ip("fd00::2")), 4370, 0, 0)),
                resolve(resolver, "n@pod-2.svc").candidates());
    }

    @Test
    void unresolvableHostNamesNodeHostEntryAndReason() {
        UnknownHostException cause = new UnknownHostException("pod-9.svc: Name or service not known");
        StaticResolver resolver = new StaticResolver(
                StaticEntryParser.parseNodes("*@*.svc=:4370", "static.nodes", "x"), host -> {
                    throw cause;
                });
        IOException e = assertThrows(IOException.class, () -> resolver.resolve(NodeName.parse("n@pod-9.svc")));
        assertEquals("node n@pod-9.svc: cannot resolve host 'pod-9.svc' of static entry '*@*.svc=:4370'"
                + " (static.nodes): pod-9.svc: Name or service not known", e.getMessage());
        assertSame(cause, e.getCause());
    }

    @Test
    void unresolvableHostNameOfTheEntry() {
        StaticResolver resolver = new StaticResolver(
                StaticEntryParser.parseNodes("a@b=db.example:4370", "static.nodes", "x"), host -> {
                    throw new UnknownHostException(host);
                });
        IOException e = assertThrows(IOException.class, () -> resolver.resolve(NodeName.parse("a@b")));
        assertEquals("node a@b: cannot resolve host 'db.example' of static entry 'a@b=db.example:4370'"
                + " (static.nodes): db.example", e.getMessage());
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

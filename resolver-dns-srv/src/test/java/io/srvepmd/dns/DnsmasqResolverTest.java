package io.srvepmd.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.spi.Candidate;
import io.srvepmd.spi.EpmdResolver;
import io.srvepmd.spi.HostResolver;
import io.srvepmd.spi.NodeEntry;
import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.Resolution;
import io.srvepmd.spi.UnavailableException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The resolver against a real DNS server, dnsmasq, serving seed- and Consul-shaped records. */
class DnsmasqResolverTest {

    /** Listed nodes: targets without addresses, since dnsmasq 2.90 mangles compression beyond 16 KiB. */
    static final int BIG = 1000;
    /** Resolved candidates with addresses in the additional section: about 18 KiB over TCP. */
    static final int MID = 310;

    static Dnsmasq dns;

    @BeforeAll
    static void start() throws Exception {
        Dnsmasq.Builder b = Dnsmasq.builder().local("consul").ttl(30)
                // DynamicSrv.Epmd's shape: SRV and A at the same name, the target is the name itself
                .srv("n0.svc.consul", "n0.svc.consul", 4370, 1, 2).host("n0.svc.consul", "10.0.0.7", null)
                // seed-like: the target has no address, the query name has one
                .srv("s1.svc.consul", "gone.svc.consul", 4374, 0, 0).host("s1.svc.consul", "10.0.0.11", null)
                // Consul's shape: the target is another name, its addresses in the additional section
                .srv("c1.svc.consul", "t1.node.consul", 4371, 0, 0).host("t1.node.consul", "10.0.0.8", "fd00::8")
                // the target's address only by asking for it
                .srv("c3.svc.consul", "t3.node.consul", 4373, 0, 0).address("t3.node.consul", "10.0.0.10")
                // AAAA only
                .srv("c2.svc.consul", "t2.node.consul", 4372, 0, 0).host("t2.node.consul", null, "fd00::9")
                // several records with priorities and weights
                .srv("m.svc.consul", "mt1.node.consul", 4380, 10, 5)
                .srv("m.svc.consul", "mt2.node.consul", 4381, 20, 0)
                .srv("m.svc.consul", "mt1.node.consul", 4382, 10, 1)
                .host("mt1.node.consul", "10.0.1.1", null).host("mt2.node.consul", "10.0.1.2", null)
                .option("--srv-host=na.svc.consul,.")
                .host("plain.svc.consul", "10.0.0.20", null)
                .srv("noaddr.svc.consul", "gone2.node.consul", 4390, 0, 0)
                .srv("big.svc.consul", "elsewhere.node.consul", 5000, 0, 0)
                .host("elsewhere.node.consul", "10.9.9.9", null)
                // one usable record among unusable ones: a target without address, port 0
                .srv("mix.svc.consul", "mixg.node.consul", 4400, 0, 0)
                .srv("mix.svc.consul", "mixn.node.consul", 4401, 0, 0)
                .srv("mix.svc.consul", "mixg.node.consul", 0, 0, 0).host("mixg.node.consul", "10.0.3.1", null)
                // none usable
                .srv("bad.svc.consul", "badn.node.consul", 4402, 0, 0)
                .srv("bad.svc.consul", "mixg.node.consul", 0, 0, 0)
                // CNAMEs: to the SRV name, and from an SRV target to its host
                .option("--cname=alias.svc.consul,n0.svc.consul")
                .srv("cn.svc.consul", "cnalias.node.consul", 4410, 0, 0)
                .option("--cname=cnalias.node.consul,mixg.node.consul");
        for (int i = 0; i < BIG; i++) {
            String target = "node-" + i + ".big.svc.consul";
            b.srv("big.svc.consul", target, 10000 + i, 0, 0);
        }
        for (int i = 0; i < MID; i++) {
            String target = "node-" + i + ".mid.svc.consul";
            b.srv("mid.svc.consul", target, 20000 + i, 0, 0).host(target, "10.2." + (i / 250) + "." + (i % 250), null);
        }
        dns = b.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (dns != null) {
            dns.close();
        }
    }

    static EpmdResolver resolver(String... settings) {
        TestConfig c = TestConfig.of(settings).with("dns.servers", dns.server());
        return new DnsSrvResolverProvider().get(c);
    }

    static Resolution resolve(EpmdResolver r, String node) throws IOException {
        return r.resolve(NodeName.parse(node)).orElseThrow();
    }

    static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    @Test
    void seedShapeTargetIsTheNameItself() throws IOException {
        Resolution r = resolve(resolver(), "n0@svc.consul");
        assertEquals(List.of(Candidate.of(List.of(ip("10.0.0.7")), 4370, 1, 2)), r.candidates());
        assertEquals(Duration.ofSeconds(30), r.ttl());
        assertEquals("SRV n0.svc.consul via " + dns.server(), r.source());
    }

    @Test
    void targetWithoutAddressFallsBackToTheQueryName() throws IOException {
        Resolution r = resolve(resolver(), "s1@svc.consul");
        assertEquals(List.of(Candidate.of(List.of(ip("10.0.0.11")), 4374, 0, 0)), r.candidates());
    }

    @Test
    void consulShapeFromTheAdditionalSection() throws IOException {
        Resolution r = resolve(resolver(), "c1@svc.consul");
        assertEquals(List.of(Candidate.of(List.of(ip("10.0.0.8"), ip("fd00::8")), 4371, 0, 0)), r.candidates());
    }

    @Test
    void consulShapeByFollowUpQuery() throws IOException {
        Resolution r = resolve(resolver(), "c3@svc.consul");
        assertEquals(List.of(Candidate.of(List.of(ip("10.0.0.10")), 4373, 0, 0)), r.candidates());
        assertEquals(Duration.ofSeconds(30), r.ttl());
    }

    @Test
    void aaaaOnlyTargetGivesIpv6WithFamilyAny() throws IOException {
        Resolution r = resolve(resolver(), "c2@svc.consul");
        assertEquals(List.of(Candidate.of(List.of(ip("fd00::9")), 4372, 0, 0)), r.candidates());
    }

    @Test
    void familiesFilterAndOrder() throws IOException {
        assertEquals(List.of(ip("10.0.0.8")), addresses(resolver("dns.family", "ipv4"), "c1@svc.consul"));
        assertEquals(List.of(ip("fd00::8")), addresses(resolver("dns.family", "ipv6"), "c1@svc.consul"));
        assertEquals(List.of(ip("fd00::8"), ip("10.0.0.8")),
                addresses(resolver("dns.family", "ipv6-first"), "c1@svc.consul"));
        assertEquals(List.of(ip("10.0.0.8"), ip("fd00::8")), addresses(resolver("dns.family", "any"), "c1@svc.consul"));
        IOException e = assertThrows(IOException.class, () -> resolve(resolver("dns.family", "ipv4"), "c2@svc.consul"));
        assertEquals("SRV c2.svc.consul for node c2@svc.consul: no usable SRV record from " + dns.server()
                + ": t2.node.consul:4372 has no A record, nor has c2.svc.consul (asked " + dns.server() + ")",
                e.getMessage());
    }

    private static List<InetAddress> addresses(EpmdResolver r, String node) throws IOException {
        return resolve(r, node).candidates().get(0).addresses();
    }

    @Test
    void prioritiesAndWeightsAreCarriedThroughUnsorted() throws IOException {
        Set<Candidate> expected = Set.of(Candidate.of(List.of(ip("10.0.1.1")), 4380, 10, 5),
                Candidate.of(List.of(ip("10.0.1.2")), 4381, 20, 0),
                Candidate.of(List.of(ip("10.0.1.1")), 4382, 10, 1));
        Resolution r = resolve(resolver(), "m@svc.consul");
        assertEquals(expected, new HashSet<>(r.candidates()));
        assertEquals(3, r.candidates().size());
    }

    @Test
    void nxdomainIsAPlainIoException() {
        IOException e = assertThrows(IOException.class, () -> resolve(resolver(), "nx@svc.consul"));
        assertFalse(e instanceof UnavailableException);
        assertEquals("SRV nx.svc.consul for node nx@svc.consul: NXDOMAIN from " + dns.server(), e.getMessage());
    }

    @Test
    void noSrvRecord() {
        IOException e = assertThrows(IOException.class, () -> resolve(resolver(), "plain@svc.consul"));
        assertFalse(e instanceof UnavailableException);
        assertEquals("SRV plain.svc.consul for node plain@svc.consul: no SRV record (NOERROR, empty answer) from "
                + dns.server(), e.getMessage());
    }

    @Test
    void serviceDecidedlyNotAvailable() {
        IOException e = assertThrows(IOException.class, () -> resolve(resolver(), "na@svc.consul"));
        assertEquals("SRV na.svc.consul for node na@svc.consul: SRV target '.' from " + dns.server()
                + " says the service is decidedly not available (RFC 2782)", e.getMessage());
    }

    @Test
    void targetWithoutAnyAddress() {
        IOException e = assertThrows(IOException.class, () -> resolve(resolver(), "noaddr@svc.consul"));
        assertFalse(e instanceof UnavailableException);
        assertEquals("SRV noaddr.svc.consul for node noaddr@svc.consul: no usable SRV record from " + dns.server()
                + ": gone2.node.consul:4390 has no A or AAAA record, nor has noaddr.svc.consul (asked "
                + dns.server() + ")", e.getMessage());
    }

    @Test
    void unusableRecordsAreSkippedAndNamedInTheSource() throws IOException {
        Resolution r = resolve(resolver(), "mix@svc.consul");
        assertEquals(List.of(Candidate.of(List.of(ip("10.0.3.1")), 4400, 0, 0)), r.candidates());
        assertTrue(r.source().startsWith("SRV mix.svc.consul via " + dns.server() + "; skipped 2 of 3 SRV records: "),
                r.source());
        assertTrue(r.source().contains("mixn.node.consul:4401 has no A or AAAA record, nor has mix.svc.consul (asked "
                + dns.server() + ")"), r.source());
        assertTrue(r.source().contains("mixg.node.consul:0 has port 0, which no node listens on"), r.source());
        assertEquals(Duration.ofSeconds(30), r.ttl(), "nothing went unanswered: the records' TTL stands");
    }

    @Test
    void noUsableRecordIsAPlainIoExceptionNamingEachRecord() {
        IOException e = assertThrows(IOException.class, () -> resolve(resolver(), "bad@svc.consul"));
        assertFalse(e instanceof UnavailableException);
        assertTrue(e.getMessage().startsWith("SRV bad.svc.consul for node bad@svc.consul: no usable SRV record from "
                + dns.server() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("badn.node.consul:4402 has no A or AAAA record, nor has bad.svc.consul"),
                e.getMessage());
        assertTrue(e.getMessage().contains("mixg.node.consul:0 has port 0"), e.getMessage());
    }

    @Test
    void cnameChainsFromARealServer() throws IOException {
        Resolution r = resolve(resolver(), "alias@svc.consul");
        assertEquals(List.of(Candidate.of(List.of(ip("10.0.0.7")), 4370, 1, 2)), r.candidates());
        r = resolve(resolver(), "cn@svc.consul");
        assertEquals(List.of(Candidate.of(List.of(ip("10.0.3.1")), 4410, 0, 0)), r.candidates());
    }

    @Test
    void invalidQueryNameNamesNodeAndName() {
        IOException e = assertThrows(IOException.class, () -> resolve(resolver(), "x@fd00::1"));
        assertTrue(e.getMessage().startsWith("node x@fd00::1: dns.query {alive}.{host} gives 'x.fd00::1' is not"
                + " a valid DNS name"), e.getMessage());
    }

    @Test
    void customTemplate() throws IOException {
        Resolution r = resolve(resolver("dns.query", "{alive}.svc.{host}"), "n0@consul");
        assertEquals(4370, r.candidates().get(0).port());
    }

    @Test
    void bigSrvSetNeedsTcpAndResolves() throws IOException {
        Resolution r = resolve(resolver(), "mid@svc.consul");
        assertEquals(MID, r.candidates().size());
        Set<Integer> ports = r.candidates().stream().map(Candidate::port).collect(Collectors.toSet());
        assertEquals(MID, ports.size());
        assertTrue(r.candidates().contains(Candidate.of(List.of(ip("10.2.1.3")), 20253, 0, 0)));
    }

    @Test
    void listingWithService() throws IOException {
        EpmdResolver r = resolver("dns.service", "big.svc.consul");
        List<NodeEntry> nodes = r.list().orElseThrow();
        assertEquals(BIG, nodes.size(), "elsewhere.node.consul is not under the service");
        assertTrue(nodes.contains(NodeEntry.of(NodeName.of("node-7", "big.svc.consul"), 10007)), nodes::toString);
        // how fast: the benchmarks' "listing an SRV set of 1,000 nodes", not a timed assertion here
    }

    @Test
    void listingWithoutServiceIsUnsupportedAndUnknownServiceIsAnError() throws IOException {
        assertTrue(resolver().list().isEmpty());
        IOException e = assertThrows(IOException.class, () -> resolver("dns.service", "nope.consul").list());
        assertEquals("SRV nope.consul (dns.service listing): NXDOMAIN from " + dns.server(), e.getMessage());
    }

    @Test
    void concurrentResolvesShareTheSocketPool() throws Exception {
        try (EpmdResolver r = resolver()) {
            String[] nodes = {"n0@svc.consul", "c1@svc.consul", "c3@svc.consul", "m@svc.consul"};
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            try {
                List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    String node = nodes[t % nodes.length];
                    int expected = resolve(r, node).candidates().size();
                    results.add(pool.submit(() -> {
                        for (int i = 0; i < 200; i++) {
                            assertEquals(expected, resolve(r, node).candidates().size());
                        }
                        return expected;
                    }));
                }
                for (java.util.concurrent.Future<Integer> f : results) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    // ---- the agent's host resolver: the hosts file, then A/AAAA questions ----

    static HostResolver hosts(String... settings) {
        return (HostResolver) resolver(settings);
    }

    @Test
    void hostsAreAskedAsAAndAaaaWithTheRecordsTtl() throws IOException {
        Resolution r = hosts().resolve("t1.node.consul", 4370);
        assertEquals(List.of(Candidate.of(List.of(ip("10.0.0.8"), ip("fd00::8")), 4370, 0, 0)), r.candidates());
        assertEquals(Duration.ofSeconds(30), r.ttl());
        assertEquals("A or AAAA t1.node.consul via " + dns.server(), r.source());
        assertEquals(List.of(Candidate.of(List.of(ip("fd00::8")), 1, 0, 0)),
                hosts("dns.family", "ipv6").resolve("t1.node.consul", 1).candidates());
    }

    @Test
    void anUnknownHostIsNotFound() {
        IOException e = assertThrows(IOException.class, () -> hosts().resolve("nope.node.consul", 4370));
        assertFalse(e instanceof UnavailableException, e.toString());
        assertEquals("host nope.node.consul has no A or AAAA record (asked " + dns.server() + ")", e.getMessage());
    }

    @Test
    void aLiteralNeedsNoQuestion() throws IOException {
        // Its only server refuses every question: a literal must be answered without one.
        HostResolver h = (HostResolver) new DnsSrvResolverProvider().get(TestConfig.of("dns.servers",
                "127.0.0.1:" + Dnsmasq.freePort()));
        assertEquals(List.of(Candidate.of(ip("fd00::1"), 9)), h.resolve("[fd00::1]", 9).candidates());
        assertEquals(List.of(Candidate.of(ip("10.1.2.3"), 9)), h.resolve("10.1.2.3", 9).candidates());
    }

    @Test
    void aHostIsAskedAgainEveryTimeNothingIsCachedHere() throws Exception {
        try (FakeDns fake = new FakeDns(q -> List.of(Replies.a(Replies.to(q, org.xbill.DNS.Rcode.NOERROR),
                org.xbill.DNS.Section.ANSWER, q.getQuestion().getName().toString(), 60, "10.0.0.5").toWire()))) {
            HostResolver h = (HostResolver) new DnsSrvResolverProvider().get(TestConfig.of("dns.servers",
                    fake.server(), "dns.family", "ipv4"));
            h.resolve("pod-0.app.test", 4370);
            h.resolve("pod-0.app.test", 4370);
            assertEquals(2, fake.questions(), "the agent caches; its host resolver does not");
        }
    }
}

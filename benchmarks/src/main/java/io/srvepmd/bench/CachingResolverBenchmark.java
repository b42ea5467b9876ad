package io.srvepmd.bench;

import com.ericsson.otp.erlang.OtpPeer;
import io.srvepmd.agent.BenchAgent;
import io.srvepmd.dns.DnsSrvResolverProvider;
import io.srvepmd.spi.EpmdResolver;
import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.Resolution;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Uncached lookups through the resolver hosts really use: Unbound on 127.0.0.1 in front of the
 * dnsmasq, with minimal responses, so a lookup is an SRV question and then the target's A and AAAA
 * questions together (two round trips to Unbound, answered from its cache: the records' TTL is 5 s,
 * so about one lookup in 5 s also waits for dnsmasq). Beside it, the floor to the same Unbound, and
 * the dns-srv resolver alone (no agent core) against dnsmasq directly and through Unbound: the
 * direct case with the address in the additional section (one question), the direct case whose
 * target is asked for separately (A and AAAA), and through Unbound. No epmd here: scripts/bench.sh
 * runs this class in the same JMH run as {@link LookupBenchmark}, whose {@code stockLookupPort} is
 * the ratio's base.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CachingResolverBenchmark {

    static final NodeName SEED = NodeName.parse("jmh-erl@" + Fixtures.DOMAIN);
    static final NodeName CONSUL = NodeName.parse("jmh-consul@" + Fixtures.DOMAIN);

    private Fixtures fx;
    private BenchAgent viaUnbound;
    private UdpFloor floor;
    private EpmdResolver direct;
    private EpmdResolver throughUnbound;
    private final OtpPeer peer = new OtpPeer(SEED.toString());

    @Setup
    public void setUp() throws Exception {
        fx = new Fixtures();
        String seed = "jmh-erl." + Fixtures.DOMAIN;
        String consul = "jmh-consul." + Fixtures.DOMAIN;
        String target = "host-7.node." + Fixtures.DOMAIN;
        int dnsPort = fx.dnsmasq(List.of("local-ttl=5", "local=/" + Fixtures.DOMAIN + "/",
                // DynamicSrv.Epmd's shape: the SRV answer carries the target's A record.
                "srv-host=" + seed + "," + seed + ",4370,0,0", "host-record=" + seed + ",127.0.0.1",
                // Consul's shape without additional records: the target is asked for separately.
                "srv-host=" + consul + "," + target + ",4370,0,0", "address=/" + target + "/127.0.0.1",
                "txt-record=" + target + ",v4-only"), null);
        int unboundPort = fx.unbound(Fixtures.DOMAIN, dnsPort);
        String unbound = "127.0.0.1:" + unboundPort;
        viaUnbound = BenchAgent.create(Map.of("dns.servers", unbound, "dns.min-ttl", "0ms", "dns.max-ttl", "0ms"));
        floor = new UdpFloor(unboundPort, seed);
        direct = resolver("127.0.0.1:" + dnsPort);
        throughUnbound = resolver(unbound);
        LookupBenchmark.check(viaUnbound.lookupPort(peer) == 4370, "agent lookup through Unbound");
        LookupBenchmark.check(udpFloorViaUnbound() > 0, "plain UDP question to Unbound");
        LookupBenchmark.check(resolverDirect().candidates().get(0).port() == 4370, "resolver, direct");
        LookupBenchmark.check(resolverDirectAddressQuestions().candidates().get(0).port() == 4370,
                "resolver, direct, address questions");
        LookupBenchmark.check(resolverViaUnbound().candidates().get(0).port() == 4370, "resolver through Unbound");
    }

    private static EpmdResolver resolver(String servers) throws Exception {
        return new DnsSrvResolverProvider().get(BenchAgent.settings("dns.servers=" + servers));
    }

    @TearDown
    public void tearDown() {
        viaUnbound.close();
        floor.close();
        direct.close();
        throughUnbound.close();
        fx.close();
    }

    /** Agent, uncached, through Unbound: SRV, then A and AAAA together (minimal responses). */
    @Benchmark
    public int agentLookupPortViaUnbound() throws Exception {
        return viaUnbound.lookupPort(peer);
    }

    /** The floor through Unbound: one plain UDP SRV question and its answer, to the same Unbound. */
    @Benchmark
    public int udpFloorViaUnbound() throws Exception {
        return floor.exchange();
    }

    /** The dns-srv resolver alone, straight to dnsmasq: one SRV question, the address in its additional section. */
    @Benchmark
    public Resolution resolverDirect() throws Exception {
        return direct.resolve(SEED).orElseThrow();
    }

    /** The dns-srv resolver alone, straight to dnsmasq: SRV, then the target's A and AAAA questions. */
    @Benchmark
    public Resolution resolverDirectAddressQuestions() throws Exception {
        return direct.resolve(CONSUL).orElseThrow();
    }

    /** The dns-srv resolver alone, through Unbound: SRV, then the target's A and AAAA questions. */
    @Benchmark
    public Resolution resolverViaUnbound() throws Exception {
        return throughUnbound.resolve(SEED).orElseThrow();
    }
}

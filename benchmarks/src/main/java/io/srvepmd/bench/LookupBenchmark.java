package io.srvepmd.bench;

import com.ericsson.otp.erlang.OtpEpmd;
import com.ericsson.otp.erlang.OtpPeer;
import com.ericsson.otp.erlang.OtpSelf;
import io.srvepmd.agent.BenchAgent;
import java.util.ArrayList;
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
 * In-process lookups, stock and agent side by side in one run. Each benchmark's fork starts its own
 * real epmd ({@code epmd -port N}, a stock {@link OtpSelf} published in it) and its own dnsmasq
 * (SRV + A for one node, and an SRV set of 1,000 nodes for listing), and stops them at the end.
 * The agent side is the agent's own code from the shaded agent jar: ServiceLoader finds the dns-srv
 * provider, and {@link BenchAgent#lookupPort} is the body of the hooked {@code OtpEpmd.lookupPort},
 * called on a real JInterface 1.13.1 {@link OtpPeer}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LookupBenchmark {

    static final String SERVICE = "list." + Fixtures.DOMAIN;
    static final int LISTED = 1000;

    private Fixtures fx;
    private OtpSelf stockSelf;
    private BenchAgent uncached;
    private BenchAgent cached;
    private BenchAgent lister;
    private UdpFloor floor;
    private final String stockNode = "jmh-stock@127.0.0.1";
    private final String agentNode = "jmh-erl@" + Fixtures.DOMAIN;

    @Setup
    public void setUp() throws Exception {
        fx = new Fixtures();
        int epmdPort = fx.epmd();
        OtpEpmd.useEpmdPort(epmdPort);
        stockSelf = new OtpSelf(stockNode, Fixtures.COOKIE);
        if (!stockSelf.publishPort()) {
            throw new IllegalStateException("epmd refused " + stockNode);
        }
        List<String> conf = new ArrayList<>();
        conf.add("local-ttl=5");
        conf.add("srv-host=jmh-erl." + Fixtures.DOMAIN + ",jmh-erl." + Fixtures.DOMAIN + ",4370,0,0");
        conf.add("host-record=jmh-erl." + Fixtures.DOMAIN + ",127.0.0.1");
        for (int i = 0; i < LISTED; i++) {
            conf.add("srv-host=" + SERVICE + ",node-" + i + "." + SERVICE + "," + (20000 + i) + ",0,0");
        }
        int dnsPort = fx.dnsmasq(conf, null);
        String servers = "127.0.0.1:" + dnsPort;
        // TTL bounds 0: every lookup is a real DNS exchange (the cache entry expires at once).
        uncached = BenchAgent.create(Map.of("dns.servers", servers, "dns.min-ttl", "0ms", "dns.max-ttl", "0ms"));
        cached = BenchAgent.create(Map.of("dns.servers", servers)); // defaults: min-ttl 5s, max-ttl 5m
        lister = BenchAgent.create(Map.of("dns.servers", servers, "dns.service", SERVICE));
        floor = new UdpFloor(dnsPort, "jmh-erl." + Fixtures.DOMAIN);
        check(udpFloor() > 0, "plain UDP question");
        check(OtpEpmd.lookupPort(new OtpPeer(stockNode)) == stockSelf.port(), "stock lookup");
        check(uncached.lookupPort(new OtpPeer(agentNode)) == 4370, "agent lookup");
        check(cached.lookupPort(new OtpPeer(agentNode)) == 4370, "agent cached lookup");
        check(lister.lookupNames().length == LISTED, "listing");
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("unexpected answer: " + what);
        }
    }

    @TearDown
    public void tearDown() {
        stockSelf.unPublishPort();
        uncached.close();
        cached.close();
        lister.close();
        floor.close();
        fx.close();
    }

    /** Stock JInterface 1.13.1: one PORT_PLEASE2 exchange with the real epmd over TCP. */
    @Benchmark
    public int stockLookupPort() throws Exception {
        return OtpEpmd.lookupPort(new OtpPeer(stockNode));
    }

    /** Agent, uncached: SRV (+ address) from dnsmasq on every call. */
    @Benchmark
    public int agentLookupPortUncached() throws Exception {
        return uncached.lookupPort(new OtpPeer(agentNode));
    }

    /** Agent, cached: the hooked lookupPort's body with a fresh cache entry. */
    @Benchmark
    public int agentLookupPortCached() throws Exception {
        return cached.lookupPort(new OtpPeer(agentNode));
    }

    /**
     * The floor of an uncached lookup: one plain UDP question and its answer, to the same dnsmasq,
     * on a connected socket kept open (no codec, no resolver, no thread hand-off).
     *
     * @return the answer's length
     */
    @Benchmark
    public int udpFloor() throws Exception {
        return floor.exchange();
    }

    /** Stock epmd NAMES (one node registered), for context only: no epmd holds 1,000 nodes. */
    @Benchmark
    public String[] stockLookupNames() throws Exception {
        return OtpEpmd.lookupNames(Fixtures.LOOPBACK);
    }

    /** Agent listing of a 1,000-node SRV set (dns.service): UDP, truncated, then TCP. */
    @Benchmark
    public String[] agentListing1000() throws Exception {
        return lister.lookupNames();
    }
}

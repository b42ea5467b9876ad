package io.srvepmd.bench;

import io.srvepmd.agent.BenchAgent;
import io.srvepmd.spi.Candidate;
import io.srvepmd.spi.EpmdResolver;
import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.Resolution;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Retained heap of 100,000 cached nodes in the agent's cache (NodeResolver), by differencing the
 * used heap after repeated System.gc() before and after filling. The resolutions have the shape the
 * dns-srv resolver produces: one candidate, one address carrying its host name (dnsjava's
 * ARecord.getAddress), a TTL Duration, a source "SRV qname via server". The resolver is synthetic
 * (no DNS server holds 100,000 nodes here); the cache, keys and entries are the agent's own.
 */
public final class CacheHeap {

    static final class Synthetic implements EpmdResolver {
        @Override
        public Optional<Resolution> resolve(NodeName node) throws UnknownHostException {
            int i = Integer.parseInt(node.alive().substring(5));
            String qname = node.alive() + "." + node.host();
            InetAddress a = InetAddress.getByAddress(qname + ".",
                    new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i});
            return Optional.of(Resolution.of(List.of(Candidate.of(List.of(a), 4370, 0, 0)),
                    Duration.ofSeconds(30), "SRV " + qname + " via 127.0.0.1:8600"));
        }
    }

    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        // The cache must hold them all: dns.cache-size (default 10,000) raised to the node count.
        BenchAgent agent = BenchAgent.withResolver("dns-srv", new Synthetic(), "dns.cache-size=" + (nodes + 1));
        // Warm the path once so that class metadata and JIT are not counted.
        agent.resolve(NodeName.parse("warm-0@" + Fixtures.DOMAIN));
        long before = used(mem);
        for (int i = 0; i < nodes; i++) {
            agent.resolve(NodeName.parse("node-" + i + "@" + Fixtures.DOMAIN));
        }
        long after = used(mem);
        if (agent.cachedNodes() != nodes + 1) {
            throw new IllegalStateException("cache holds " + agent.cachedNodes());
        }
        double mib = (after - before) / (1024.0 * 1024.0);
        System.out.printf("cached %d nodes: %.1f MiB retained (%d bytes/node)%n", nodes, mib, (after - before) / nodes);
        System.out.printf("RESULT heap.mib %.1f%n", mib);
        System.out.println("RESULT heap.nodes " + nodes);
        System.out.println(agent.cachedNodes() > 0 ? "" : "."); // keep agent reachable
    }

    private static long used(MemoryMXBean mem) throws InterruptedException {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
            best = Math.min(best, mem.getHeapMemoryUsage().getUsed());
        }
        return best;
    }
}

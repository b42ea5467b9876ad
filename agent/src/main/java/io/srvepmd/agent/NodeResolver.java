package io.srvepmd.agent;

import io.srvepmd.spi.Candidate;
import io.srvepmd.spi.NodeEntry;
import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.Resolution;
import io.srvepmd.spi.UnavailableException;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The resolution core every resolver gets for free: local nodes first, then a
 * per-node cache (TTL bounds, negative answers, stale answers during outages),
 * coalescing of concurrent questions for one node, and the resolver chain in
 * configured order.
 */
final class NodeResolver {

    private final List<NamedResolver> chain;
    private final LocalNodes localNodes;
    private final CachePolicy policy;
    private final LongSupplier nanoTime;
    private final Map<NodeName, CacheEntry> cache = new ConcurrentHashMap<>();
    private final Map<NodeName, Question> inFlight = new ConcurrentHashMap<>();

    public NodeResolver(List<NamedResolver> chain, LocalNodes localNodes, CachePolicy policy, LongSupplier nanoTime) {
        this.chain = List.copyOf(chain);
        this.localNodes = localNodes;
        this.policy = policy;
        this.nanoTime = nanoTime;
    }

    /**
     * @return where {@code node} listens
     * @throws IOException naming the node, the resolver and what it was asked
     */
    public Resolution resolve(NodeName node) throws IOException {
        int localPort = localNodes.portOf(node);
        if (localPort != 0) {
            return Resolution.of(List.of(Candidate.of(InetAddress.getLoopbackAddress(), localPort)),
                    Duration.ZERO, "local node in this JVM");
        }
        CacheEntry cached = cache.get(node);
        if (cached != null && cached.isFresh(nanoTime.getAsLong())) {
            return cached.answer(node);
        }
        return coalesced(node).answer(node);
    }

    /** Marks the node's answer expired (a connection to it failed), keeping it only as a stale fallback. */
    public void invalidate(NodeName node) {
        CacheEntry entry = cache.get(node);
        if (entry != null) {
            cache.replace(node, entry, entry.expired(nanoTime.getAsLong()));
        }
    }

    /** @return the nodes listed by every resolver that can list */
    public List<NodeEntry> list() throws IOException {
        Map<NodeName, NodeEntry> merged = new LinkedHashMap<>();
        boolean anyCanList = false;
        for (NamedResolver r : chain) {
            Optional<List<NodeEntry>> listed;
            try {
                listed = r.resolver.list();
            } catch (IOException e) {
                throw new IOException("srv-epmd: listing nodes with resolver " + r.name + " failed: "
                        + e.getMessage(), e);
            } catch (RuntimeException | LinkageError e) {
                throw new IOException("srv-epmd: resolver " + r.name + " failed while listing nodes: " + e, e);
            }
            if (listed.isPresent()) {
                anyCanList = true;
                for (NodeEntry entry : listed.get()) {
                    merged.putIfAbsent(entry.node(), entry);
                }
            }
        }
        if (!anyCanList) {
            throw new IOException("srv-epmd: listing nodes needs a resolver that can list, and none of "
                    + names() + " can as configured (dns-srv lists with dns.service set; static lists its"
                    + " exact entries)");
        }
        return new ArrayList<>(merged.values());
    }

    private CacheEntry coalesced(NodeName node) throws IOException {
        Question mine = new Question();
        Question theirs = inFlight.putIfAbsent(node, mine);
        if (theirs != null) {
            return theirs.await(node);
        }
        try {
            // A question for this node may have been answered, cached and retired between our
            // cache miss and our putIfAbsent: look again before asking a second time.
            CacheEntry fresh = cache.get(node);
            CacheEntry entry = fresh != null && fresh.isFresh(nanoTime.getAsLong()) ? fresh : ask(node);
            mine.answer(entry, null);
            return entry;
        } catch (IOException | RuntimeException | Error e) {
            mine.answer(null, e);
            throw e;
        } finally {
            inFlight.remove(node, mine);
        }
    }

    /**
     * One question in flight: the thread that asked it answers, the others wait.
     * A plain monitor rather than a CompletableFuture, which would load a dozen
     * classes on the host's first connection.
     */
    private static final class Question {
        private boolean done;
        private CacheEntry entry;
        private Throwable failure;

        synchronized void answer(CacheEntry answer, Throwable error) {
            entry = answer;
            failure = error;
            done = true;
            notifyAll();
        }

        synchronized CacheEntry await(NodeName node) throws IOException {
            while (!done) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("srv-epmd: interrupted while waiting for the resolution of node "
                            + node, e);
                }
            }
            if (failure != null) {
                throw new IOException(failure.getMessage(), failure);
            }
            return entry;
        }
    }

    /** Asks the chain; caches and returns the answer, or serves a stale one during an outage. */
    private CacheEntry ask(NodeName node) throws IOException {
        for (NamedResolver r : chain) {
            Optional<Resolution> answer;
            try {
                answer = r.resolver.resolve(node);
            } catch (UnavailableException e) {
                return staleOr(node, r, e);
            } catch (IOException e) {
                return remember(node, CacheEntry.negative(failure(node, r, e), nanoTime.getAsLong(), policy));
            } catch (RuntimeException | LinkageError e) {
                throw new IOException("srv-epmd: cannot resolve node " + node + ": resolver " + r.name
                        + " failed: " + e, e);
            }
            if (answer.isPresent()) {
                AgentLog.rearm(staleKey(node));
                return remember(node, CacheEntry.positive(answer.get(), nanoTime.getAsLong(), policy));
            }
        }
        IOException none = new IOException("srv-epmd: cannot resolve node " + node + ": no resolver knows it"
                + " (asked " + names() + ")");
        return remember(node, CacheEntry.negative(none, nanoTime.getAsLong(), policy));
    }

    private CacheEntry staleOr(NodeName node, NamedResolver r, UnavailableException outage) throws IOException {
        long now = nanoTime.getAsLong();
        CacheEntry previous = cache.get(node);
        if (previous != null && previous.canServeStale(now)) {
            AgentLog.warnOnce(staleKey(node), "serving the last good answer for node " + node + " ("
                    + previous.resolution + ") because resolver " + r.name + " is unavailable: "
                    + outage.getMessage());
            return remember(node, previous.recheckAfter(now, policy));
        }
        String why = previous != null && previous.resolution != null
                ? " (its last good answer is older than dns.stale-ttl)" : "";
        IOException failure = new IOException(failure(node, r, outage).getMessage() + why, outage);
        // Remember the outage briefly (RFC 2308's spirit): a burst of connection attempts
        // then fails at once instead of each waiting out the DNS timeout.
        if (previous == null || previous.resolution == null) {
            remember(node, CacheEntry.negative(failure, now, policy));
        }
        throw failure;
    }

    private CacheEntry remember(NodeName node, CacheEntry entry) {
        cache.put(node, entry);
        return entry;
    }

    private static IOException failure(NodeName node, NamedResolver r, IOException e) {
        return new IOException("srv-epmd: cannot resolve node " + node + " with resolver " + r.name + ": "
                + e.getMessage(), e);
    }

    private static String staleKey(NodeName node) {
        return "stale:" + node;
    }

    private String names() {
        List<String> names = new ArrayList<>();
        for (NamedResolver r : chain) {
            names.add(r.name);
        }
        return String.join(", ", names);
    }

    /** Number of cached nodes, for tests and benchmarks. */
    public int cachedNodes() {
        return cache.size();
    }
}

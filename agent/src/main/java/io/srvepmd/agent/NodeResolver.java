package io.srvepmd.agent;

import io.srvepmd.spi.Candidate;
import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.Resolution;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * The resolution core every resolver gets for free, in the order a lookup
 * meets its parts: {@link LocalNodes} (nodes of this JVM, no question), the
 * {@link NodeCache}, {@link Inflight} (one question per node), and the
 * {@link ResolverChain}, whose resolvers run through {@link ResolverCalls}.
 * One resolution never takes longer than {@code dns.timeout}.
 */
final class NodeResolver {

    private final LocalNodes localNodes;
    private final NodeCache cache;
    private final Inflight inflight;
    private final ResolverChain chain;
    private final long timeoutNanos;
    private final Clock clock;
    private final Inflight.Asker asker = new ChainAsker();

    NodeResolver(LocalNodes localNodes, NodeCache cache, ResolverChain chain, Duration timeout, Clock clock) {
        this.localNodes = localNodes;
        this.cache = cache;
        this.inflight = new Inflight(clock);
        this.chain = chain;
        this.timeoutNanos = timeout.toNanos();
        this.clock = clock;
    }

    /**
     * @return where {@code node} listens
     * @throws IOException naming the node, the resolvers and what each said
     */
    Resolution resolve(NodeName node) throws IOException {
        int localPort = localNodes.portOf(node);
        if (localPort != 0) {
            return Resolution.of(List.of(Candidate.of(InetAddress.getLoopbackAddress(), localPort)),
                    Duration.ZERO, "local node in this JVM");
        }
        long now = clock.nanoTime();
        CacheEntry cached = cache.get(node);
        if (cached != null && cached.isFresh(now)) {
            return cached.answerOrThrow();
        }
        return inflight.resolve(node, now + timeoutNanos, asker).answerOrThrow();
    }

    /** Marks the node's answer expired (a connection to it failed), keeping it only as a stale fallback. */
    void invalidate(NodeName node) {
        CacheEntry entry = cache.peek(node);
        if (entry != null) {
            cache.replace(node, entry, entry.expired(clock.nanoTime()));
        }
    }

    NodeCache cache() {
        return cache;
    }

    ResolverChain chain() {
        return chain;
    }

    /** The question the first thread for a node asks: the chain, unless a question just answered it. */
    private final class ChainAsker implements Inflight.Asker {
        @Override
        public CacheEntry ask(NodeName node, long deadline) {
            // A question for this node may have been answered, cached and retired between
            // the caller's cache miss and its becoming the asker: look again before asking.
            CacheEntry previous = cache.peek(node);
            if (previous != null && previous.isFresh(clock.nanoTime())) {
                return previous;
            }
            CacheEntry entry = chain.resolve(node, deadline, previous);
            boolean keepPrevious = entry.outage && previous != null && previous.isAnswer()
                    && !previous.isDead(clock.nanoTime());
            if (!keepPrevious) { // an outage does not replace an answer that may yet serve stale
                cache.put(node, entry);
            }
            return entry;
        }
    }
}

package io.srvepmd.agent;

import io.srvepmd.spi.Candidate;
import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.NodeNotFoundException;
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
 *
 * <p>A lookup behaves as stock JInterface's blocking epmd exchange does on a
 * platform thread: a raised interrupt flag neither fails nor shortens it, and
 * it is still raised when the lookup returns.
 */
final class NodeResolver {

    private final LocalNodes localNodes;
    private final NodeCache cache;
    private final Inflight inflight;
    private final ResolverChain chain;
    private final long timeoutNanos;
    private final Clock clock;
    private final Telemetry telemetry;
    private final Inflight.Asker asker = new ChainAsker();

    NodeResolver(LocalNodes localNodes, NodeCache cache, ResolverChain chain, Duration timeout, Clock clock,
            Telemetry telemetry) {
        this.telemetry = telemetry;
        this.localNodes = localNodes;
        this.cache = cache;
        this.inflight = new Inflight(clock);
        this.chain = chain;
        this.timeoutNanos = timeout.toNanos();
        this.clock = clock;
    }

    /**
     * @return where {@code node} listens
     * @throws NodeNotFoundException if a resolver responsible for the node says
     *         it does not exist, naming the node, the resolver and what it said
     * @throws IOException if the resolvers could not find out, naming each and what it said
     */
    Resolution resolve(NodeName node) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            return lookUp(node);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Resolution lookUp(NodeName node) throws IOException {
        Object event = telemetry.beginResolution();
        long start = clock.nanoTime();
        int localPort = localNodes.portOf(node);
        if (localPort != 0) {
            Resolution local = Resolution.of(List.of(Candidate.of(InetAddress.getLoopbackAddress(), localPort)),
                    Duration.ZERO, "local node in this JVM");
            telemetry.resolved(event, node, Telemetry.LOCAL, null, local, null, false, start);
            return local;
        }
        CacheEntry entry = cache.get(node);
        String source = Telemetry.CACHE;
        if (entry == null || !entry.isFresh(start)) {
            try {
                entry = inflight.resolve(node, start + timeoutNanos, asker);
            } catch (IOException e) {
                telemetry.resolved(event, node, Telemetry.RESOLVER, null, null, e.getMessage(), false, start);
                throw e;
            }
            // Asked now (by this thread or the one it waited for), unless a question answered just before.
            source = entry.storedAt - start >= 0 ? Telemetry.RESOLVER : Telemetry.CACHE;
        }
        if (entry.stale) {
            source = Telemetry.STALE;
        }
        telemetry.resolved(event, node, source, entry.resolver, entry.resolution, entry.failure,
                !entry.isAnswer() && !entry.outage, start);
        return entry.answerOrThrow();
    }

    /**
     * Marks the node's answer expired (a connection to it failed, or an operator
     * asked), keeping it only as a stale fallback: the next lookup asks again.
     */
    void invalidate(NodeName node) {
        CacheEntry entry = cache.peek(node);
        if (entry != null) {
            cache.replace(node, entry, entry.expired(clock.nanoTime()));
            telemetry.invalidated();
        }
    }

    /** Expires every answer, as {@link #invalidate} does one. */
    void invalidateAll() {
        for (NodeName node : cache.snapshot().keySet()) {
            invalidate(node);
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
            // An outage does not replace an answer that may yet serve stale, and what a
            // resolver did while this thread was interrupted is not this node's news.
            if (!keepPrevious && !entry.provisional) {
                cache.put(node, entry);
            }
            return entry;
        }
    }
}

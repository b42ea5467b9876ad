package io.srvepmd.agent;

import io.srvepmd.spi.NodeEntry;
import io.srvepmd.spi.NodeName;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code OtpEpmd.lookupNames}: the nodes listed by every resolver that can
 * list, merged in chain order (a node listed twice keeps its first port), each
 * resolver bounded by its share of {@code dns.timeout} like a resolution.
 */
final class NodeListing {

    private final ResolverChain chain;
    private final ResolverCalls calls;
    private final long timeoutNanos;
    private final Clock clock;

    NodeListing(ResolverChain chain, ResolverCalls calls, Duration timeout, Clock clock) {
        this.chain = chain;
        this.calls = calls;
        this.timeoutNanos = timeout.toNanos();
        this.clock = clock;
    }

    /**
     * As a lookup, a listing ignores the caller's interrupt flag and leaves it raised.
     *
     * @throws IOException if no resolver can list, or one that can failed; the message names it
     */
    List<NodeEntry> list() throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            return listAll();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private List<NodeEntry> listAll() throws IOException {
        Map<NodeName, NodeEntry> merged = new LinkedHashMap<>();
        List<NamedResolver> resolvers = chain.resolvers();
        long deadline = clock.nanoTime() + timeoutNanos;
        boolean anyCanList = false;
        for (int i = 0; i < resolvers.size(); i++) {
            NamedResolver r = resolvers.get(i);
            long share = (deadline - clock.nanoTime()) / (resolvers.size() - i);
            CallOutcome outcome = calls.list(r, clock.nanoTime() + Math.max(0, share));
            switch (outcome.kind) {
                case LISTED:
                    anyCanList = true;
                    for (NodeEntry entry : outcome.listing) {
                        merged.putIfAbsent(entry.node(), entry);
                    }
                    break;
                case NOT_MINE:
                    break;
                default:
                    throw new IOException("srv-epmd: cannot list nodes with resolver " + r.name + ": "
                            + outcome.reason);
            }
        }
        if (!anyCanList) {
            throw new IOException("srv-epmd: listing nodes needs a resolver that can list, and none of "
                    + chain.names() + " can as configured (dns-srv lists with dns.service set; static lists its"
                    + " exact entries)");
        }
        return new ArrayList<>(merged.values());
    }
}

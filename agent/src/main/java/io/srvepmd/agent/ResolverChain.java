package io.srvepmd.agent;

import io.srvepmd.spi.NodeName;
import java.util.ArrayList;
import java.util.List;

/**
 * The resolvers in their configured order, and the chain's rules, in one
 * place (docs/resolver-chain.md restates them):
 *
 * <ol>
 * <li>Resolvers are asked in order; each gets an equal share of the time left
 *     in {@code dns.timeout}, so one that hangs leaves time for the next.</li>
 * <li>An answer ends the chain. "Not mine" asks the next resolver.</li>
 * <li>"Not there" (a {@code NodeNotFoundException}) ends the chain: the
 *     resolver owns the node and it does not exist. It is remembered for
 *     {@code dns.negative-ttl} - as an outage, naming both, when a resolver
 *     before it could not be asked, since that one may have known the node.</li>
 * <li>"Unavailable" (any other exception, a timeout, a crash): if that
 *     resolver answered for the node before, its last good answer is served
 *     stale (up to {@code dns.stale-ttl} past its expiry); otherwise the next
 *     resolver is asked.</li>
 * <li>When no resolver answered, the error names every resolver's reason; an
 *     outage is remembered briefly unless a stale answer remains to fall back
 *     on.</li>
 * <li>A failure that came while the asking thread was interrupted tells
 *     nothing about the node: it serves nothing stale, and the outcome is
 *     {@linkplain CacheEntry#provisional provisional}: that thread's alone.</li>
 * </ol>
 */
final class ResolverChain {

    private final List<NamedResolver> resolvers;
    private final ResolverCalls calls;
    private final CachePolicy policy;
    private final Clock clock;

    ResolverChain(List<NamedResolver> resolvers, ResolverCalls calls, CachePolicy policy, Clock clock) {
        this.resolvers = List.copyOf(resolvers);
        this.calls = calls;
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * @param previous the node's cached entry, if any: its answer may be served stale
     * @return the entry to cache and answer with: an answer (fresh or stale) or a failure
     */
    CacheEntry resolve(NodeName node, long deadline, CacheEntry previous) {
        List<String> outages = new ArrayList<>();
        boolean interrupted = false;
        for (int i = 0; i < resolvers.size(); i++) {
            NamedResolver r = resolvers.get(i);
            long share = (deadline - clock.nanoTime()) / (resolvers.size() - i);
            CallOutcome outcome = calls.resolve(r, node, clock.nanoTime() + Math.max(0, share));
            if (outcome.interrupted) {
                interrupted = true;
                outages.add(r.name + ": " + outcome.reason);
                continue;
            }
            switch (outcome.kind) {
                case ANSWER:
                    return CacheEntry.answer(outcome.resolution, r.name, clock.nanoTime(), policy);
                case NOT_FOUND:
                    if (!outages.isEmpty()) {
                        outages.add(r.name + ": " + outcome.reason);
                        return outage(node, outages, previous, interrupted);
                    }
                    return CacheEntry.failure(cannotResolve(node, r, outcome.reason), false, clock.nanoTime(),
                            policy);
                case UNAVAILABLE:
                    if (previous != null && previous.canServeStale(r.name, clock.nanoTime())) {
                        if (!previous.stale) { // once per outage: the flag stays until a fresh answer
                            AgentLog.warn("serving the last good answer for node " + node + " ("
                                    + previous.resolution + ") because resolver " + r.name + " is unavailable: "
                                    + outcome.reason);
                        }
                        return previous.servedStale(clock.nanoTime(), policy);
                    }
                    outages.add(r.name + ": " + outcome.reason);
                    break;
                default: // not mine
                    break;
            }
        }
        return outages.isEmpty() ? CacheEntry.failure("srv-epmd: cannot resolve node " + node
                + ": no resolver knows it (asked " + names() + ")", false, clock.nanoTime(), policy)
                : outage(node, outages, previous, interrupted);
    }

    private CacheEntry outage(NodeName node, List<String> outages, CacheEntry previous, boolean interrupted) {
        String why = outages.size() == 1 ? " with resolver " + outages.get(0)
                : ": no resolver answered (" + String.join("; ", outages) + ")";
        String tooOld = previous != null && previous.isAnswer()
                ? " (its last good answer, from " + previous.resolver + ", cannot stand in: "
                        + (previous.canServeStale(previous.resolver, clock.nanoTime())
                                ? "that resolver was not the one that failed" : "it is older than dns.stale-ttl") + ")"
                : "";
        String message = "srv-epmd: cannot resolve node " + node + why + tooOld;
        return interrupted ? CacheEntry.provisionalFailure(message, clock.nanoTime())
                : CacheEntry.failure(message, true, clock.nanoTime(), policy);
    }

    private static String cannotResolve(NodeName node, NamedResolver r, String reason) {
        return "srv-epmd: cannot resolve node " + node + " with resolver " + r.name + ": " + reason;
    }

    List<NamedResolver> resolvers() {
        return resolvers;
    }

    /** @return the resolvers' names, for messages */
    String names() {
        List<String> names = new ArrayList<>();
        for (NamedResolver r : resolvers) {
            names.add(r.name);
        }
        return String.join(", ", names);
    }
}

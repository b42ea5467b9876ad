package io.srvepmd.agent;

import java.util.concurrent.atomic.LongAdder;

/**
 * The agent's monotonic counters, as JMX shows them ({@code io.srvepmd:type=Agent}).
 * {@link LongAdder}s: lookups of a hot node come from many threads at once.
 */
final class AgentStats {

    /** Every lookup of a peer ({@code OtpEpmd.lookupPort}). */
    final LongAdder lookups = new LongAdder();
    /** Lookups of a node of this JVM, answered without a question. */
    final LongAdder localAnswers = new LongAdder();
    /** Lookups answered from a fresh cached answer. */
    final LongAdder cacheHits = new LongAdder();
    /** Lookups that needed a resolution (asked, or joined a question in flight). */
    final LongAdder cacheMisses = new LongAdder();
    /** Lookups answered with a last good answer while its resolver's source was unavailable. */
    final LongAdder staleAnswers = new LongAdder();
    /** Lookups answered "no such node" (from the cache or a resolver). */
    final LongAdder negativeAnswers = new LongAdder();
    /** Lookups that ended in an error, "no such node" included. */
    final LongAdder resolutionFailures = new LongAdder();
    /** TCP connect attempts to resolved endpoints. */
    final LongAdder connectAttempts = new LongAdder();
    /** Connect attempts that failed. */
    final LongAdder connectFailures = new LongAdder();
    /** Connections an endpoint accepted whose distribution handshake then failed. */
    final LongAdder handshakeFailures = new LongAdder();
    /** Answers dropped after a failed connection, or by an operator. */
    final LongAdder invalidations = new LongAdder();
}

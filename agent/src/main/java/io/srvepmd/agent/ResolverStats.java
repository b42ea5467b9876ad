package io.srvepmd.agent;

import java.util.concurrent.atomic.LongAdder;

/** How one resolver's calls went, as the agent saw them ({@code io.srvepmd:type=Resolver,name=...}). */
final class ResolverStats {

    final LongAdder calls = new LongAdder();
    final LongAdder answers = new LongAdder();
    final LongAdder notMine = new LongAdder();
    final LongAdder notFound = new LongAdder();
    final LongAdder unavailable = new LongAdder();
    /** Calls the agent stopped waiting for at their share of {@code dns.timeout}. */
    final LongAdder timeouts = new LongAdder();

    void count(CallOutcome outcome) {
        calls.increment();
        switch (outcome.kind) {
            case ANSWER:
            case LISTED:
                answers.increment();
                break;
            case NOT_MINE:
                notMine.increment();
                break;
            case NOT_FOUND:
                notFound.increment();
                break;
            default:
                unavailable.increment();
                if (outcome.timedOut) {
                    timeouts.increment();
                }
        }
    }
}

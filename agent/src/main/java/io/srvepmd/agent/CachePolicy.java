package io.srvepmd.agent;

import java.time.Duration;

/**
 * How long answers live and how many are kept: each answer's TTL bounded by
 * {@code dns.min-ttl} and {@code dns.max-ttl} (Consul's default TTL 0 must not
 * mean a question per connection; a resolver's "forever" must not mean
 * forever), failures kept for {@code dns.negative-ttl} (RFC 2308), the last
 * good answer served for up to {@code dns.stale-ttl} past its expiry while its
 * source is unreachable (RFC 8767), and at most {@code dns.cache-size} answers
 * and as many failures.
 */
final class CachePolicy {

    private final Duration minTtl;
    private final Duration maxTtl;
    final long minNanos;
    final long maxNanos;
    final long negativeNanos;
    final long staleNanos;
    final int capacity;

    /** Every duration at most a day (the settings' bound), so none overflows in nanoseconds. */
    CachePolicy(Duration minTtl, Duration maxTtl, Duration negativeTtl, Duration staleTtl, int capacity) {
        this.minTtl = minTtl;
        this.maxTtl = maxTtl;
        this.minNanos = minTtl.toNanos();
        this.maxNanos = maxTtl.toNanos();
        this.negativeNanos = negativeTtl.toNanos();
        this.staleNanos = staleTtl.toNanos();
        this.capacity = capacity;
    }

    Duration minTtl() {
        return minTtl;
    }

    Duration maxTtl() {
        return maxTtl;
    }

    /** @return how long an answer with TTL {@code answerTtl} stays fresh; clamped before any arithmetic */
    long positiveNanos(Duration answerTtl) {
        if (answerTtl.compareTo(maxTtl) >= 0) {
            return maxNanos;
        }
        return Math.max(minNanos, answerTtl.toNanos());
    }
}

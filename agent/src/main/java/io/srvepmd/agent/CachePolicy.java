package io.srvepmd.agent;

import java.time.Duration;

/**
 * How long answers live: each answer's TTL bounded by {@code min} and
 * {@code max} (Consul's default TTL 0 must not mean a question per
 * connection), negative answers kept for {@code negative} (RFC 2308), and the
 * last good answer served for up to {@code stale} past its expiry while the
 * source is unreachable (RFC 8767).
 */
final class CachePolicy {

    final long minNanos;
    final long maxNanos;
    final long negativeNanos;
    final long staleNanos;

    public CachePolicy(Duration min, Duration max, Duration negative, Duration stale) {
        this.minNanos = min.toNanos();
        this.maxNanos = max.toNanos();
        this.negativeNanos = negative.toNanos();
        this.staleNanos = stale.toNanos();
    }

    long positiveTtl(Duration answerTtl) {
        long ttl = answerTtl.toNanos();
        return Math.max(minNanos, Math.min(maxNanos, ttl));
    }
}

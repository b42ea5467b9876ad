package io.srvepmd.agent;

import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.Resolution;
import java.io.IOException;

/** One node's cached answer, positive or negative, with its deadlines in {@link System#nanoTime()} terms. */
final class CacheEntry {

    final Resolution resolution;
    private final IOException failure;
    private final long freshUntil;
    private final long staleUntil;

    private CacheEntry(Resolution resolution, IOException failure, long freshUntil, long staleUntil) {
        this.resolution = resolution;
        this.failure = failure;
        this.freshUntil = freshUntil;
        this.staleUntil = staleUntil;
    }

    static CacheEntry positive(Resolution r, long now, CachePolicy policy) {
        long fresh = now + policy.positiveTtl(r.ttl());
        return new CacheEntry(r, null, fresh, fresh + policy.staleNanos);
    }

    static CacheEntry negative(IOException failure, long now, CachePolicy policy) {
        return new CacheEntry(null, failure, now + policy.negativeNanos, now);
    }

    /** The same answer, expired now, still usable as a stale fallback. */
    CacheEntry expired(long now) {
        return new CacheEntry(resolution, failure, now, staleUntil);
    }

    /** The stale answer again, without asking the source until the next recheck (RFC 8767's failure timer). */
    CacheEntry recheckAfter(long now, CachePolicy policy) {
        return new CacheEntry(resolution, null, Math.min(now + policy.minNanos, staleUntil), staleUntil);
    }

    boolean isFresh(long now) {
        return now - freshUntil < 0;
    }

    boolean canServeStale(long now) {
        return resolution != null && now - staleUntil < 0;
    }

    /** @return the answer, or throws the cached failure as a new exception carrying the caller's stack */
    Resolution answer(NodeName node) throws IOException {
        if (resolution != null) {
            return resolution;
        }
        throw new IOException(failure.getMessage(), failure);
    }
}

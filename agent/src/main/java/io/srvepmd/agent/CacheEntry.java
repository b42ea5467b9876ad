package io.srvepmd.agent;

import io.srvepmd.spi.NodeNotFoundException;
import io.srvepmd.spi.Resolution;
import java.io.IOException;

/**
 * One node's cached outcome, with its deadlines in {@link System#nanoTime()}
 * terms: an answer (which resolver gave it, fresh until, usable as a stale
 * fallback until) or a failure. A failure keeps only its message: a cached
 * stack trace would cost kilobytes per unknown name and tell nothing about the
 * caller who gets it later.
 */
final class CacheEntry {

    /** The answer, or {@code null} for a failure. */
    final Resolution resolution;
    /** The provider name of the resolver that answered, or {@code null} for a failure. */
    final String resolver;
    /** The failure's message, or {@code null} for an answer. */
    final String failure;
    /** Whether the failure was an outage of the sources rather than "no such node". */
    final boolean outage;
    final long freshUntil;
    final long staleUntil;
    /** When this entry was stored; with {@link #lastUsed}, for operators and eviction. */
    final long storedAt;
    /** Whether this is a stale answer served during an outage (its warning logged). */
    final boolean stale;
    /** Last time a lookup used this entry; written at most once a millisecond (see {@link #touch}). */
    private volatile long lastUsed;

    /**
     * Whether this failure came from a resolver call during which the asking
     * thread was interrupted: it is that thread's alone, neither cached nor
     * handed to the threads waiting for the same node.
     */
    final boolean provisional;

    private CacheEntry(Resolution resolution, String resolver, String failure, boolean outage, long storedAt,
            long freshUntil, long staleUntil, boolean stale, boolean provisional, long lastUsed) {
        this.resolution = resolution;
        this.resolver = resolver;
        this.failure = failure;
        this.outage = outage;
        this.storedAt = storedAt;
        this.freshUntil = freshUntil;
        this.staleUntil = staleUntil;
        this.stale = stale;
        this.provisional = provisional;
        this.lastUsed = lastUsed;
    }

    static CacheEntry answer(Resolution r, String resolver, long now, CachePolicy policy) {
        long fresh = now + policy.positiveNanos(r.ttl());
        return new CacheEntry(r, resolver, null, false, now, fresh, fresh + policy.staleNanos, false, false, now);
    }

    /** "No such node", or an outage with no stale answer to serve: remembered for {@code dns.negative-ttl}. */
    static CacheEntry failure(String message, boolean outage, long now, CachePolicy policy) {
        return new CacheEntry(null, null, message, outage, now, now + policy.negativeNanos, now, false, false, now);
    }

    /** An outage seen by a thread that was interrupted while a resolver ran: see {@link #provisional}. */
    static CacheEntry provisionalFailure(String message, long now) {
        return new CacheEntry(null, null, message, true, now, now, now, false, true, now);
    }

    /**
     * The same answer, expired now (a connection to it failed), still usable as
     * a stale fallback. It keeps its last use: eviction must not take it for unused.
     */
    CacheEntry expired(long now) {
        return new CacheEntry(resolution, resolver, failure, outage, storedAt, now, staleUntil, stale, false,
                lastUsed);
    }

    /**
     * The last good answer served stale; asked again after {@code dns.min-ttl}
     * (RFC 8767's failure timer). Used now, so the last to be evicted.
     */
    CacheEntry servedStale(long now, CachePolicy policy) {
        return new CacheEntry(resolution, resolver, null, false, storedAt, Math.min(now + policy.minNanos, staleUntil),
                staleUntil, true, false, now);
    }

    boolean isAnswer() {
        return resolution != null;
    }

    boolean isFresh(long now) {
        return now - freshUntil < 0;
    }

    /** @return whether this entry is of no more use: a failure past its TTL, an answer past its stale window */
    boolean isDead(long now) {
        return isAnswer() ? now - staleUntil >= 0 : now - freshUntil >= 0;
    }

    /** @return whether {@code resolverName}'s answer may stand in for it during its outage */
    boolean canServeStale(String resolverName, long now) {
        return isAnswer() && resolver.equals(resolverName) && now - staleUntil < 0;
    }

    long lastUsed() {
        return lastUsed;
    }

    /**
     * Marks a use, for least-recently-used eviction. Hot nodes are looked up
     * by many threads at once: writing the shared field on every hit would
     * bounce its cache line between cores for a precision nobody needs.
     */
    void touch(long now) {
        if (now - lastUsed > 1_000_000) {
            lastUsed = now;
        }
    }

    /**
     * @return the answer, or throws the cached failure as a new exception
     *         carrying the caller's stack: a {@link NodeNotFoundException} for
     *         "no such node", a plain {@link IOException} for an outage
     */
    Resolution answerOrThrow() throws IOException {
        if (resolution != null) {
            return resolution;
        }
        throw outage ? new IOException(failure) : new NodeNotFoundException(failure);
    }
}

package io.srvepmd.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.spi.Candidate;
import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.Resolution;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The cache's bounds, under a hand-moved clock: whatever the names, memory stays bounded. */
class NodeCacheTest {

    private static final int CAPACITY = 100;

    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final CachePolicy policy = new CachePolicy(Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofSeconds(1), Duration.ofMinutes(30), CAPACITY);
    private final NodeCache cache = new NodeCache(CAPACITY, now::get);

    private static NodeName node(String alive) {
        return NodeName.of(alive, "svc");
    }

    private CacheEntry answer() {
        return CacheEntry.answer(Resolution.of(List.of(Candidate.of(InetAddress.getLoopbackAddress(), 4370)),
                Duration.ofMinutes(1), "test"), "a", now.get(), policy);
    }

    private CacheEntry failure(String node) {
        return CacheEntry.failure("srv-epmd: cannot resolve node " + node + ": NXDOMAIN", false, now.get(), policy);
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void answersAreCappedLeastRecentlyUsedFirst() {
        for (int i = 0; i < CAPACITY; i++) {
            cache.put(node("n" + i), answer());
            advance(Duration.ofMillis(10));
        }
        assertNotNull(cache.get(node("n0"))); // n0 is used again: n1 is now the least recently used
        advance(Duration.ofMillis(10));
        cache.put(node("new"), answer());
        assertTrue(cache.answers() <= CAPACITY, "answers kept: " + cache.answers());
        assertNotNull(cache.peek(node("n0")), "recently used: kept");
        assertNotNull(cache.peek(node("new")), "just stored: kept");
        assertNull(cache.peek(node("n1")), "least recently used: evicted");
        assertNotNull(cache.peek(node("n" + (CAPACITY - 1))), "recent: kept");
    }

    @Test
    void aFloodOfUnknownNamesCannotPushOutTheAnswers() {
        for (int i = 0; i < 10; i++) {
            cache.put(node("real" + i), answer());
        }
        for (int i = 0; i < 100 * CAPACITY; i++) {
            cache.put(node("unknown" + i), failure("unknown" + i));
        }
        assertEquals(10, cache.answers());
        for (int i = 0; i < 10; i++) {
            assertNotNull(cache.peek(node("real" + i)));
        }
        assertTrue(cache.failures() <= CAPACITY, "failures kept: " + cache.failures());
        assertTrue(cache.size() <= 10 + CAPACITY, "entries: " + cache.size());
    }

    @Test
    void expiredFailuresGoAwayWithoutPressure() {
        for (int i = 0; i < 10; i++) {
            cache.put(node("gone" + i), failure("gone" + i));
        }
        advance(Duration.ofSeconds(2)); // past dns.negative-ttl
        for (int i = 0; i < NodeCache.SWEEP_EVERY; i++) {
            cache.put(node("real"), answer());
        }
        assertEquals(0, cache.failures());
        assertEquals(1, cache.size());
    }

    @Test
    void answersPastTheirStaleWindowGoAway() {
        cache.put(node("old"), answer());
        advance(Duration.ofMinutes(1).plus(Duration.ofMinutes(30)).plusSeconds(1));
        for (int i = 0; i < NodeCache.SWEEP_EVERY; i++) {
            cache.put(node("real"), answer());
        }
        assertNull(cache.peek(node("old")));
    }

    @Test
    void aCachedFailureKeepsOnlyItsMessage() {
        CacheEntry e = failure("x");
        IOException thrown = assertThrows(IOException.class, e::answerOrThrow);
        assertEquals("srv-epmd: cannot resolve node x: NXDOMAIN", thrown.getMessage());
        assertNull(thrown.getCause(), "no exception chain is kept, nor its stack traces");
    }

    @Test
    void replaceKeepsTheCountsRight() {
        CacheEntry a = answer();
        cache.put(node("a"), a);
        cache.replace(node("a"), a, failure("a"));
        assertEquals(0, cache.answers());
        assertEquals(1, cache.failures());
        cache.replace(node("a"), a, answer()); // no longer the entry: nothing happens
        assertEquals(1, cache.failures());
    }

    @Test
    void aStaleAnswerInUseDuringAnOutageIsNotTakenForUnused() {
        cache.put(node("stale"), answer());
        for (int i = 0; i < CAPACITY - 1; i++) {
            advance(Duration.ofMillis(10));
            cache.put(node("n" + i), answer());
        }
        advance(Duration.ofMillis(10));
        CacheEntry inUse = cache.get(node("stale")); // used now: the most recently used of all
        cache.replace(node("stale"), inUse, inUse.expired(now.get())); // a connection to it failed
        CacheEntry expired = cache.peek(node("stale"));
        cache.replace(node("stale"), expired, expired.servedStale(now.get(), policy)); // served during an outage
        advance(Duration.ofMillis(10));
        cache.put(node("new"), answer());
        assertNotNull(cache.peek(node("stale")), "in use during the outage: kept");
        assertNull(cache.peek(node("n0")), "the least recently used went first");
    }

    @Test
    void expiringKeepsTheLastUse() {
        CacheEntry entry = answer();
        advance(Duration.ofSeconds(3));
        entry.touch(now.get());
        assertEquals(now.get(), entry.expired(now.get() + 1).lastUsed());
    }
}

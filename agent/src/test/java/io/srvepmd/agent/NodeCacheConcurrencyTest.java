package io.srvepmd.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.spi.Candidate;
import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.Resolution;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The cache shared by many threads, as in a cluster larger than
 * {@code dns.cache-size}: lookups mark entries used while stores evict. A
 * seeded stress test: each thread's operations come from a fixed seed, and the
 * clock moves on every read, so every use is written and eviction always sorts
 * entries whose use other threads are changing. Whatever the interleaving,
 * no store may throw, and the bounds hold.
 */
class NodeCacheConcurrencyTest {

    private static final int CAPACITY = 200;
    private static final int NAMES = 1_000;
    private static final int READERS = 4;
    private static final int STORES = 40_000;

    /** Moves 2 ms on every read: each touch() writes (it skips writes within 1 ms). */
    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final Clock clock = () -> now.addAndGet(2_000_000);
    private final CachePolicy policy = new CachePolicy(Duration.ofHours(24), Duration.ofHours(24),
            Duration.ofSeconds(1), Duration.ofHours(24), CAPACITY);
    private final NodeCache cache = new NodeCache(CAPACITY, clock);

    private final List<NodeName> names = new ArrayList<>();
    private final Resolution answer = Resolution.of(List.of(Candidate.of(InetAddress.getLoopbackAddress(), 4370)),
            Duration.ofHours(1), "test");

    @Test
    void evictionWhileOtherThreadsUseEntriesNeverThrowsAndKeepsTheBound() throws Exception {
        for (int i = 0; i < NAMES; i++) {
            names.add(NodeName.of("n" + i, "svc"));
        }
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> readers = new ArrayList<>();
        Thread writer = new Thread(() -> store(start, failures), "writer");
        for (int r = 0; r < READERS; r++) {
            long seed = 1000 + r;
            readers.add(new Thread(() -> read(seed, start, writer, failures), "reader-" + r));
        }
        writer.start();
        readers.forEach(Thread::start);
        start.countDown();
        writer.join();
        for (Thread t : readers) {
            t.join();
        }
        assertEquals(List.of(), new ArrayList<>(failures), "stores or reads that threw");
        assertTrue(cache.answers() <= CAPACITY, "answers kept: " + cache.answers());
        assertEquals(cache.size(), cache.answers() + cache.failures(), "the counts match the entries");
    }

    /**
     * Found by {@link NodeCacheLincheckTest}: an invalidation (what a failed
     * connect does) that meets a trim must not leave the cache over its
     * capacity once both are done. Round after round, a tiny cache is filled,
     * then one thread stores a new name (the cache is full: it trims) while
     * another invalidates the answers, in a seeded order, until the store is
     * done.
     */
    @Test
    void theBoundHoldsAtRestWhenInvalidationsMeetATrim() throws Exception {
        int capacity = 4;
        AtomicBoolean stored = new AtomicBoolean();
        Random random = new Random(77);
        List<String> overflows = inRounds(40_000, () -> {
            NodeCache cache = new NodeCache(capacity, () -> now.get());
            for (int i = 0; i < capacity; i++) {
                cache.put(NodeName.of("n" + i, "svc"), storedAnswer(capacity));
            }
            stored.set(false);
            return cache;
        }, List.of(cache -> {
            cache.put(NodeName.of("new", "svc"), storedAnswer(capacity));
            stored.set(true);
        }, cache -> {
            while (!stored.get()) {
                NodeName node = NodeName.of("n" + random.nextInt(capacity), "svc");
                CacheEntry e = cache.peek(node);
                if (e != null) {
                    cache.replace(node, e, e.expired(now.get()));
                }
            }
        }), capacity);
        assertEquals(List.of(), overflows, "rounds that left the cache over its capacity at rest");
    }

    /**
     * Found by {@link NodeCacheLincheckTest}: a store that finds another store
     * trimming leaves its entry to that trim; the cache must still be within its
     * capacity once both are done. Round after round, a cache full of answers
     * and of failures gets a new failure on one thread (its trim sorts the
     * failures, the answers' count already looked at) and a new answer on
     * another, after a seeded pause.
     */
    @Test
    void theBoundHoldsAtRestWhenAStoreMeetsAnotherStoresTrim() throws Exception {
        int capacity = 200;
        CacheEntry answerEntry = storedAnswer(capacity);
        CacheEntry failureEntry = CacheEntry.failure("no such node", false, now.get(), policy);
        List<NodeName> answered = new ArrayList<>();
        List<NodeName> failed = new ArrayList<>();
        for (int i = 0; i < capacity; i++) {
            answered.add(NodeName.of("a" + i, "svc"));
            failed.add(NodeName.of("f" + i, "svc"));
        }
        Random random = new Random(91);
        List<String> overflows = inRounds(8_000, () -> {
            NodeCache cache = new NodeCache(capacity, () -> now.get());
            for (int i = 0; i < capacity; i++) {
                cache.put(answered.get(i), answerEntry);
                cache.put(failed.get(i), failureEntry);
            }
            return cache;
        }, List.of(cache -> cache.put(NodeName.of("new-failure", "svc"), failureEntry), cache -> {
            for (int spin = random.nextInt(2_000); spin > 0; spin--) {
                Thread.onSpinWait();
            }
            cache.put(NodeName.of("new-answer", "svc"), answerEntry);
        }), capacity);
        assertEquals(List.of(), overflows, "rounds that left the cache over its capacity at rest");
    }

    /**
     * Runs rounds: a fresh cache, the {@code work} of each thread on it, all
     * threads starting together, then a look at the cache at rest.
     *
     * @return the rounds that left it over {@code capacity}, or with counts that are not its entries'
     */
    private static List<String> inRounds(int rounds, Supplier<NodeCache> fresh, List<Consumer<NodeCache>> work,
            int capacity) throws Exception {
        CyclicBarrier start = new CyclicBarrier(work.size() + 1);
        CyclicBarrier end = new CyclicBarrier(work.size() + 1);
        AtomicReference<NodeCache> current = new AtomicReference<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (Consumer<NodeCache> w : work) {
            threads.add(new Thread(() -> {
                try {
                    for (int r = 0; r < rounds; r++) {
                        start.await(10, TimeUnit.SECONDS);
                        w.accept(current.get());
                        end.await(10, TimeUnit.SECONDS);
                    }
                } catch (Exception | AssertionError e) {
                    failures.add(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        List<String> overflows = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            NodeCache cache = fresh.get();
            current.set(cache);
            start.await(10, TimeUnit.SECONDS);
            end.await(10, TimeUnit.SECONDS);
            if (cache.answers() > capacity || cache.failures() > capacity
                    || cache.answers() + cache.failures() != cache.size()) {
                overflows.add("round " + r + ": " + cache.answers() + " answers and " + cache.failures()
                        + " failures counted, " + cache.size() + " entries");
            }
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), new ArrayList<>(failures), "threads that threw");
        return overflows;
    }

    private CacheEntry storedAnswer(int capacity) {
        CachePolicy small = new CachePolicy(Duration.ofHours(24), Duration.ofHours(24), Duration.ofSeconds(1),
                Duration.ofHours(24), capacity);
        return CacheEntry.answer(answer, "a", now.get(), small);
    }

    private void store(CountDownLatch start, ConcurrentLinkedQueue<Throwable> failures) {
        Random random = new Random(42);
        await(start);
        try {
            for (int i = 0; i < STORES; i++) {
                cache.put(names.get(random.nextInt(NAMES)), CacheEntry.answer(answer, "a", now.get(), policy));
            }
        } catch (Throwable t) {
            failures.add(t);
        }
    }

    private void read(long seed, CountDownLatch start, Thread writer, ConcurrentLinkedQueue<Throwable> failures) {
        Random random = new Random(seed);
        await(start);
        try {
            while (writer.isAlive()) {
                cache.get(names.get(random.nextInt(NAMES)));
            }
        } catch (Throwable t) {
            failures.add(t);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

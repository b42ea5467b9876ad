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
import java.util.concurrent.atomic.AtomicLong;
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

package io.srvepmd.agent;

import io.srvepmd.spi.NodeName;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Every node's last outcome, bounded whatever the names: node names come from
 * peers (every pid a peer sends names a node), so a hostile or broken peer can
 * make the agent look up any number of names.
 *
 * <p>Answers and failures are counted apart and each kept to the policy's
 * capacity, so a flood of unknown names cannot push out the answers of real
 * nodes. Over capacity, dead entries go first (failures past their TTL,
 * answers past their stale window), then the least recently used answers, or
 * the oldest failures. Dead entries are also swept every
 * {@value #SWEEP_EVERY} stores, so expired failures do not linger.
 *
 * <p>Reads are a plain concurrent-map look-up; bookkeeping happens on stores,
 * by one thread at a time, and never blocks a store.
 */
final class NodeCache {

    static final int SWEEP_EVERY = 1024;

    private final Map<NodeName, CacheEntry> entries = new ConcurrentHashMap<>();
    private final AtomicInteger answers = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger storesSinceSweep = new AtomicInteger();
    private final ReentrantLock trimming = new ReentrantLock();
    private final int capacity;
    private final Clock clock;

    NodeCache(int capacity, Clock clock) {
        this.capacity = capacity;
        this.clock = clock;
    }

    /** @return the node's entry, or {@code null}; marks it used */
    CacheEntry get(NodeName node) {
        CacheEntry e = entries.get(node);
        if (e != null) {
            e.touch(clock.nanoTime());
        }
        return e;
    }

    /** @return the node's entry without marking it used, or {@code null} */
    CacheEntry peek(NodeName node) {
        return entries.get(node);
    }

    void put(NodeName node, CacheEntry entry) {
        counted(entries.put(node, entry), -1);
        counted(entry, +1);
        boolean sweepDue = storesSinceSweep.incrementAndGet() >= SWEEP_EVERY;
        if (sweepDue || answers.get() > capacity || failures.get() > capacity) {
            trim();
        }
    }

    /** Replaces {@code expected} with {@code replacement} if it is still the node's entry. */
    void replace(NodeName node, CacheEntry expected, CacheEntry replacement) {
        if (entries.replace(node, expected, replacement)) {
            counted(expected, -1);
            counted(replacement, +1);
        }
    }

    int size() {
        return entries.size();
    }

    int answers() {
        return answers.get();
    }

    int failures() {
        return failures.get();
    }

    /** @return a snapshot of the entries, for operators */
    Map<NodeName, CacheEntry> snapshot() {
        return Map.copyOf(entries);
    }

    private void counted(CacheEntry e, int delta) {
        if (e != null) {
            (e.isAnswer() ? answers : failures).addAndGet(delta);
        }
    }

    private void remove(NodeName node, CacheEntry entry) {
        if (entries.remove(node, entry)) {
            counted(entry, -1);
        }
    }

    /** Sweeps dead entries, then evicts down to 90% of capacity, so that trimming is rare. */
    private void trim() {
        if (!trimming.tryLock()) {
            return; // another store is trimming; it sees this entry too
        }
        try {
            storesSinceSweep.set(0);
            long now = clock.nanoTime();
            List<Map.Entry<NodeName, CacheEntry>> liveAnswers = new ArrayList<>();
            List<Map.Entry<NodeName, CacheEntry>> liveFailures = new ArrayList<>();
            for (Map.Entry<NodeName, CacheEntry> e : entries.entrySet()) {
                CacheEntry entry = e.getValue();
                if (entry.isDead(now)) {
                    remove(e.getKey(), entry);
                } else {
                    (entry.isAnswer() ? liveAnswers : liveFailures).add(e);
                }
            }
            int keep = Math.max(1, capacity - capacity / 10);
            evict(liveAnswers, answers, keep, LEAST_RECENTLY_USED);
            evict(liveFailures, failures, keep, OLDEST);
        } finally {
            trimming.unlock();
        }
    }

    private void evict(List<Map.Entry<NodeName, CacheEntry>> live, AtomicInteger count, int keep,
            Comparator<Map.Entry<NodeName, CacheEntry>> firstOut) {
        if (count.get() <= capacity) {
            return;
        }
        live.sort(firstOut);
        for (int i = 0; i < live.size() && count.get() > keep; i++) {
            remove(live.get(i).getKey(), live.get(i).getValue());
        }
    }

    // Comparator classes (start-up discipline, it-tests' StartupDisciplineTest).

    private static final Comparator<Map.Entry<NodeName, CacheEntry>> LEAST_RECENTLY_USED = new Comparator<>() {
        @Override
        public int compare(Map.Entry<NodeName, CacheEntry> a, Map.Entry<NodeName, CacheEntry> b) {
            return Long.compare(a.getValue().lastUsed() - b.getValue().lastUsed(), 0);
        }
    };

    private static final Comparator<Map.Entry<NodeName, CacheEntry>> OLDEST = new Comparator<>() {
        @Override
        public int compare(Map.Entry<NodeName, CacheEntry> a, Map.Entry<NodeName, CacheEntry> b) {
            return Long.compare(a.getValue().storedAt - b.getValue().storedAt, 0);
        }
    };
}

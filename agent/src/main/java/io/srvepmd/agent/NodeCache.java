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
        recount(entries.put(node, entry), entry);
        boolean sweepDue = storesSinceSweep.incrementAndGet() >= SWEEP_EVERY;
        if (sweepDue || overCapacity()) {
            trim();
        }
    }

    /** Replaces {@code expected} with {@code replacement} if it is still the node's entry. */
    void replace(NodeName node, CacheEntry expected, CacheEntry replacement) {
        if (entries.replace(node, expected, replacement)) {
            recount(expected, replacement);
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

    /**
     * Moves the counts when an entry replaces another, only if its kind changed:
     * a count that dipped and rose again could be read by a trim in between,
     * which would then leave the cache over its capacity.
     */
    private void recount(CacheEntry old, CacheEntry entry) {
        if (old == null || old.isAnswer() != entry.isAnswer()) {
            counted(old, -1);
            counted(entry, +1);
        }
    }

    private void counted(CacheEntry e, int delta) {
        if (e != null) {
            (e.isAnswer() ? answers : failures).addAndGet(delta);
        }
    }

    /** @return 1 if it removed the entry, 0 if another had replaced it */
    private int remove(NodeName node, CacheEntry entry) {
        if (entries.remove(node, entry)) {
            counted(entry, -1);
            return 1;
        }
        return 0;
    }

    private boolean overCapacity() {
        return answers.get() > capacity || failures.get() > capacity;
    }

    /**
     * Trims, unless another store is trimming: that one looks at the counts
     * again once it lets go, and trims again if a store it did not see
     * (counted after its own look) left the cache over capacity. Each round
     * removes entries, or it is the last.
     */
    private void trim() {
        while (trimming.tryLock()) {
            int removed;
            try {
                removed = sweepAndEvict();
            } finally {
                trimming.unlock();
            }
            if (removed == 0 || !overCapacity()) {
                return;
            }
        }
    }

    /**
     * Sweeps dead entries, then evicts down to 90% of capacity, so that trimming is rare.
     *
     * @return how many entries it removed
     */
    private int sweepAndEvict() {
        storesSinceSweep.set(0);
        long now = clock.nanoTime();
        List<Victim> liveAnswers = new ArrayList<>();
        List<Victim> liveFailures = new ArrayList<>();
        int removed = 0;
        for (Map.Entry<NodeName, CacheEntry> e : entries.entrySet()) {
            CacheEntry entry = e.getValue();
            if (entry.isDead(now)) {
                removed += remove(e.getKey(), entry);
            } else if (entry.isAnswer()) {
                liveAnswers.add(new Victim(e.getKey(), entry, entry.lastUsed() - now));
            } else {
                liveFailures.add(new Victim(e.getKey(), entry, entry.storedAt - now));
            }
        }
        int keep = Math.max(1, capacity - capacity / 10);
        removed += evict(liveAnswers, answers, keep); // least recently used first
        removed += evict(liveFailures, failures, keep); // oldest first
        return removed;
    }

    private int evict(List<Victim> live, AtomicInteger count, int keep) {
        int removed = 0;
        if (count.get() <= capacity) {
            return removed;
        }
        live.sort(Victim.FIRST_OUT);
        for (int i = 0; i < live.size() && count.get() > keep; i++) {
            removed += remove(live.get(i).node, live.get(i).entry);
        }
        return removed;
    }

    /**
     * An entry that may be evicted, with the time it is ranked by read once:
     * other threads keep touching entries while the sort runs, and a sort whose
     * keys change under it breaks (TimSort throws "Comparison method violates
     * its general contract!"). The key is relative to the trim's start, so the
     * order is a plain total order of longs whatever {@code nanoTime}'s origin.
     */
    private static final class Victim {
        final NodeName node;
        final CacheEntry entry;
        final long key;

        Victim(NodeName node, CacheEntry entry, long key) {
            this.node = node;
            this.entry = entry;
            this.key = key;
        }

        // A named class (start-up discipline, it-tests' StartupDisciplineTest).
        static final Comparator<Victim> FIRST_OUT = new Comparator<>() {
            @Override
            public int compare(Victim a, Victim b) {
                return Long.compare(a.key, b.key);
            }
        };
    }
}

package io.srvepmd.agent;

import io.srvepmd.spi.Candidate;
import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.Resolution;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import kotlin.Unit;
import kotlin.reflect.KFunction;
import kotlin.reflect.jvm.ReflectJvmMapping;
import org.jetbrains.lincheck.datastructures.DSLThreadScenario;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link NodeCache} checked for linearizability by Lincheck: every concurrent
 * run of a few threads' operations must give the results of some sequential
 * order of them in {@link Model}, the cache's documented policy written
 * plainly. Stress mode runs the operations on real threads; model checking
 * explores thread switches at every shared access.
 *
 * <p>Eviction ranks entries by time, and when a trim reads the time against
 * when each operation takes effect is not part of the contract (a use is
 * recorded at most once a millisecond anyway). So the clock stands still and
 * the order of eviction is made unambiguous instead: the cache starts full of
 * filler answers, used before any other entry and each at its own instant
 * ({@code f0} the least recently), and the operations work on three other
 * nodes. Every answer stored for them beyond the capacity evicts the least
 * recently used filler, as the policy says.
 *
 * <p>What is not linearizable, by design, is checked at rest instead
 * ({@link #countsMatchTheEntriesAndTheBoundHolds}, after every run): a store
 * adds its entry before it trims and counts it just after, so the counts and
 * the size may lag the entries, or exceed the capacity, while stores are under
 * way; once they are done, the counts are the entries' and the bound holds.
 * And a dead entry (a failure past its TTL: here stored with a TTL of 0, or
 * invalidated) reads as none, as it does for a lookup: a trim may sweep one
 * stored after it began.
 *
 * <p>Cost in the test command (2 cores shared with other builds, JDK 17 and
 * 25): model checking 11-15 s, most of it Lincheck's own start-up, stress
 * 4 s. Model checking found the cache
 * left over its capacity at rest, two ways (an invalidation's count moving
 * down and up again under a trim's look; a store finding another store
 * trimming after that trim had counted), which {@code NodeCacheConcurrencyTest}
 * reproduces with plain threads.
 */
@Param(name = "node", gen = IntGen.class, conf = "0:2")
@Param(name = "value", gen = IntGen.class, conf = "1:3")
@Param(name = "kind", gen = IntGen.class, conf = "0:2")
@Tag("lincheck") // in a JVM of its own: see the surefire configuration in pom.xml
public class NodeCacheLincheckTest {

    static final int CAPACITY = 4;
    /** What a trim keeps: the policy's 90% of the capacity, here all of it. */
    static final int KEEP = Math.max(1, CAPACITY - CAPACITY / 10);
    static final long NOW = 1_000_000_000_000L;

    static final int ANSWER = 0;
    static final int FAILURE = 1;
    static final int DEAD_FAILURE = 2;

    private static final CachePolicy POLICY = new CachePolicy(Duration.ofMinutes(1), Duration.ofHours(1),
            Duration.ofSeconds(1), Duration.ofHours(1), CAPACITY);
    private static final CachePolicy DEAD_FAILURES = new CachePolicy(Duration.ofMinutes(1), Duration.ofHours(1),
            Duration.ZERO, Duration.ofHours(1), CAPACITY);

    /** Made once: the operations checked are the cache's, not the building of names and entries. */
    private static final NodeName[] NODES = {node(0), node(1), node(2)};
    private static final CacheEntry[][] ENTRIES = new CacheEntry[3][4];

    static {
        for (int kind = ANSWER; kind <= DEAD_FAILURE; kind++) {
            for (int value = 1; value <= 3; value++) {
                ENTRIES[kind][value] = entry(kind, value);
            }
        }
    }

    private final NodeCache cache = new NodeCache(CAPACITY, () -> NOW);

    public NodeCacheLincheckTest() {
        for (int i = 0; i < CAPACITY; i++) {
            cache.put(filler(i), CacheEntry.answer(resolution(100 + i), "a", NOW - (CAPACITY - i) * 10_000_000L,
                    POLICY));
        }
    }

    @Operation
    public void put(@Param(name = "node") int node, @Param(name = "value") int value,
            @Param(name = "kind") int kind) {
        cache.put(NODES[node], ENTRIES[kind][value]);
    }

    @Operation
    public String get(@Param(name = "node") int node) {
        return describe(cache.get(NODES[node]));
    }

    @Operation
    public String peek(@Param(name = "node") int node) {
        return describe(cache.peek(NODES[node]));
    }

    /** What {@link NodeResolver#invalidate} does when a connection to the node fails. */
    @Operation
    public void invalidate(@Param(name = "node") int node) {
        CacheEntry e = cache.peek(NODES[node]);
        if (e != null) {
            cache.replace(NODES[node], e, e.expired(NOW));
        }
    }

    /** After every run, at rest: the counts are the entries' and the bound holds. */
    @Validate
    public void countsMatchTheEntriesAndTheBoundHolds() {
        int answers = 0;
        int failures = 0;
        for (CacheEntry e : cache.snapshot().values()) {
            if (e.isAnswer()) {
                answers++;
            } else {
                failures++;
            }
        }
        if (answers != cache.answers() || failures != cache.failures() || answers + failures != cache.size()) {
            throw new IllegalStateException("counted " + cache.answers() + " answers and " + cache.failures()
                    + " failures, size " + cache.size() + "; the entries hold " + answers + " and " + failures);
        }
        if (answers > CAPACITY || failures > CAPACITY) {
            throw new IllegalStateException(answers + " answers and " + failures + " failures kept; capacity "
                    + CAPACITY);
        }
    }

    @Test
    void stress() {
        new StressOptions().iterations(10).invocationsPerIteration(300).threads(3).actorsPerThread(3)
                .actorsBefore(2).actorsAfter(2).sequentialSpecification(Model.class).check(getClass());
    }

    /**
     * Random scenarios, and the two that once left the cache over its capacity
     * at rest, so that every run explores their interleavings: a new answer's
     * store (it trims) beside an invalidation, and beside another new answer.
     * (Lincheck's custom scenarios are written in Kotlin's terms: its functions and {@code Unit}.)
     */
    @Test
    void modelChecking() throws Exception {
        KFunction<?> put = operation("put", int.class, int.class, int.class);
        KFunction<?> invalidate = operation("invalidate", int.class);
        new ModelCheckingOptions().iterations(5).invocationsPerIteration(30).threads(3).actorsPerThread(2)
                .actorsBefore(1).actorsAfter(1).sequentialSpecification(Model.class)
                .addCustomScenario(s -> {
                    s.initial(t -> actor(t, put, 0, 1, ANSWER));
                    s.parallel(p -> {
                        p.thread(t -> actor(t, put, 1, 1, ANSWER));
                        p.thread(t -> actor(t, invalidate, 0));
                        return Unit.INSTANCE;
                    });
                    return Unit.INSTANCE;
                })
                .addCustomScenario(s -> {
                    s.parallel(p -> {
                        p.thread(t -> actor(t, put, 1, 1, ANSWER));
                        p.thread(t -> actor(t, put, 2, 1, ANSWER));
                        return Unit.INSTANCE;
                    });
                    return Unit.INSTANCE;
                })
                .check(getClass());
    }

    private static KFunction<?> operation(String name, Class<?>... parameters) throws NoSuchMethodException {
        return ReflectJvmMapping.getKotlinFunction(NodeCacheLincheckTest.class.getMethod(name, parameters));
    }

    private static Unit actor(DSLThreadScenario thread, KFunction<?> operation, Object... arguments) {
        thread.actor(operation, arguments);
        return Unit.INSTANCE;
    }

    static NodeName node(int i) {
        return NodeName.of("n" + i, "svc");
    }

    static NodeName filler(int i) {
        return NodeName.of("f" + i, "svc");
    }

    static Resolution resolution(int port) {
        return Resolution.of(List.of(Candidate.of(InetAddress.getLoopbackAddress(), port)), Duration.ofMinutes(10),
                "test");
    }

    static CacheEntry entry(int kind, int value) {
        switch (kind) {
            case ANSWER:
                return CacheEntry.answer(resolution(5000 + value), "a", NOW, POLICY);
            case FAILURE:
                return CacheEntry.failure("failure " + value, false, NOW, POLICY);
            case DEAD_FAILURE:
                return CacheEntry.failure("failure " + value, false, NOW, DEAD_FAILURES);
            default:
                throw new IllegalArgumentException("kind " + kind);
        }
    }

    /** What a lookup can tell of an entry: a dead one is as good as none (it is asked again, then replaced). */
    static String describe(CacheEntry e) {
        if (e == null || e.isDead(NOW)) {
            return null;
        }
        String what = e.isAnswer() ? "answer " + e.resolution.candidates().get(0).port() : e.failure;
        return what + (e.isFresh(NOW) ? "" : " expired");
    }

    /**
     * The policy, one operation at a time: a store over the capacity evicts the
     * least recently used answers down to {@link #KEEP}: fillers, oldest first
     * (three nodes never exhaust them). An invalidated answer is kept as a
     * stale fallback; an invalidated failure is dead.
     */
    public static final class Model {
        private final Map<Integer, String> entries = new HashMap<>();
        private final TreeSet<Integer> fillers = new TreeSet<>();

        public Model() {
            for (int i = 0; i < CAPACITY; i++) {
                fillers.add(i);
            }
        }

        public void put(int node, int value, int kind) {
            String entry = describe(entry(kind, value));
            if (entry == null) {
                entries.remove(node);
            } else {
                entries.put(node, entry);
            }
            if (answers() > CAPACITY) {
                while (answers() > KEEP) {
                    fillers.pollFirst();
                }
            }
        }

        public String get(int node) {
            return entries.get(node);
        }

        public String peek(int node) {
            return entries.get(node);
        }

        public void invalidate(int node) {
            String entry = entries.get(node);
            if (entry == null) {
                return;
            }
            if (entry.startsWith("answer")) {
                entries.put(node, entry.endsWith(" expired") ? entry : entry + " expired");
            } else {
                entries.remove(node);
            }
        }

        private int answers() {
            return fillers.size() + (int) entries.values().stream().filter(e -> e.startsWith("answer")).count();
        }
    }
}

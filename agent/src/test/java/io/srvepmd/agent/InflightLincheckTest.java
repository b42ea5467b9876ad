package io.srvepmd.agent;

import io.srvepmd.spi.Candidate;
import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.Resolution;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.datastructures.BooleanGen;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link Inflight} checked by Lincheck: threads resolve the same and different
 * nodes at once, and whatever the interleaving each gets its node's outcome,
 * as one thread resolving alone would ({@link Model}).
 *
 * <p>Node 0 has an answer, node 1 a cached "no such node", and asking for node 2
 * throws. A resolve marked {@code interrupted} stands for a thread interrupted
 * while its resolver ran: when it is the one that asks, its outcome is
 * {@linkplain CacheEntry#provisional provisional}, its own. So the checks are:
 * <ul>
 * <li>a thread never gets another thread's provisional outcome (the threads
 *     that waited for it ask again), and gets its own only if it asked;
 * <li>every waiter gets the asker's outcome: the result is the node's, the
 *     failure carries the asker's message;
 * <li>one asker per node in flight: no two asks of a node overlap
 *     ({@link #oneAskerPerNode}, after every run), and none is left in flight.
 * </ul>
 * The clock stands still, far from any deadline: no wait ends for want of time.
 *
 * <p>Stress mode only: Lincheck's model checking takes a timed
 * {@code Object.wait} to time out at once, keeping the monitor (its
 * {@code ManagedStrategy.wait}), so a waiter bounded by a clock, as
 * {@code Inflight}'s are, spins there and the asker can never hand its answer
 * over: every run is reported as hung. Cost in the test command: 1-2 s.
 */
@Param(name = "node", gen = IntGen.class, conf = "0:2")
@Param(name = "interrupted", gen = BooleanGen.class)
@Tag("lincheck") // in a JVM of its own: see the surefire configuration in pom.xml
public class InflightLincheckTest {

    static final long NOW = 1_000_000_000_000L;
    private static final NodeName[] NODES = {NodeName.of("n0", "svc"), NodeName.of("n1", "svc"),
        NodeName.of("n2", "svc")};
    private static final CachePolicy POLICY = new CachePolicy(Duration.ofMinutes(1), Duration.ofHours(1),
            Duration.ofSeconds(1), Duration.ofHours(1), 100);
    private static final Resolution ANSWER = Resolution.of(List.of(Candidate.of(InetAddress.getLoopbackAddress(),
            5000)), Duration.ofMinutes(10), "test");

    private final Inflight inflight = new Inflight(() -> NOW);
    private final AtomicInteger[] asking = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
    private final Map<String, Boolean> overlaps = new ConcurrentHashMap<>();

    @Operation
    public String resolve(@Param(name = "node") int node, @Param(name = "interrupted") boolean interrupted) {
        Asker mine = new Asker(node, interrupted);
        try {
            CacheEntry e = inflight.resolve(NODES[node], NOW + 1_000_000_000L, mine);
            if (e.provisional) {
                return e == mine.made ? outcome(node) : "another thread's provisional outcome";
            }
            return e.isAnswer() ? "answer " + e.resolution.candidates().get(0).port() : "failure " + e.failure;
        } catch (IOException | RuntimeException e) {
            return "thrown " + e.getMessage();
        }
    }

    @Validate
    public void oneAskerPerNode() {
        if (!overlaps.isEmpty()) {
            throw new IllegalStateException("asks of a node overlapped: " + overlaps.keySet());
        }
        for (AtomicInteger a : asking) {
            if (a.get() != 0) {
                throw new IllegalStateException("an ask is still in flight");
            }
        }
    }

    @Test
    void stress() {
        new StressOptions().iterations(10).invocationsPerIteration(300).threads(3).actorsPerThread(3)
                .actorsBefore(0).actorsAfter(1).sequentialSpecification(Model.class).check(getClass());
    }

    /** Each node's outcome, as a lone thread sees it. */
    static String outcome(int node) {
        switch (node) {
            case 0:
                return "answer 5000";
            case 1:
                return "failure no such node n1";
            default:
                return "thrown resolver for n2 broke";
        }
    }

    /** The resolution a thread does when it is the one that asks. */
    private final class Asker implements Inflight.Asker {
        private final int node;
        private final boolean interrupted;
        volatile CacheEntry made;

        Asker(int node, boolean interrupted) {
            this.node = node;
            this.interrupted = interrupted;
        }

        @Override
        public CacheEntry ask(NodeName name, long deadline) throws IOException {
            if (asking[node].incrementAndGet() > 1) {
                overlaps.put(name.toString(), true);
            }
            try {
                Thread.yield(); // a resolver takes a while: let other threads come and wait
                made = make();
                return made;
            } finally {
                asking[node].decrementAndGet();
            }
        }

        private CacheEntry make() throws IOException {
            if (interrupted && node != 2) {
                return CacheEntry.provisionalFailure("interrupted while resolving n" + node, NOW);
            }
            switch (node) {
                case 0:
                    return CacheEntry.answer(ANSWER, "test", NOW, POLICY);
                case 1:
                    return CacheEntry.failure("no such node n1", false, NOW, POLICY);
                default:
                    throw new IOException("resolver for n2 broke");
            }
        }
    }

    /** One thread alone: every resolve gets its node's outcome. */
    public static final class Model {
        public String resolve(int node, boolean interrupted) {
            return outcome(node);
        }
    }
}

package io.srvepmd.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.srvepmd.spi.Candidate;
import io.srvepmd.spi.EpmdResolver;
import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.Resolution;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * Many threads look up a few nodes while a seeded chaos thread interrupts them
 * at random (an executor shutting down, {@code Future.cancel(true)}): every
 * lookup still gets its node's answer, none fails, and every thread finds its
 * interrupt flag as the chaos thread left it. The answers expire at once
 * (TTL 0, {@code dns.min-ttl} 0), so lookups keep joining and asking questions.
 */
class InterruptStressTest {

    private static final int THREADS = 8;
    private static final int LOOKUPS = 2_000;
    private static final int NODES = 3;

    /** Answers each node with port 5000 + its number, after a short pause, on the agent's threads. */
    private static final class SlowResolver implements EpmdResolver {
        @Override
        public Optional<Resolution> resolve(NodeName node) throws IOException {
            try {
                Thread.sleep(0, 200_000);
            } catch (InterruptedException e) {
                throw new AssertionError("nobody interrupts the agent's threads", e);
            }
            int port = 5000 + Integer.parseInt(node.alive().substring(1));
            return Optional.of(Resolution.of(List.of(Candidate.of(InetAddress.getLoopbackAddress(), port)),
                    Duration.ZERO, "slow"));
        }
    }

    @Test
    void interruptsNeverFailALookupNorGetLost() throws Exception {
        CachePolicy policy = new CachePolicy(Duration.ZERO, Duration.ofMinutes(5), Duration.ofSeconds(1),
                Duration.ofMinutes(30), 10_000);
        ResolverCalls calls = new ResolverCalls(Clock.SYSTEM);
        ResolverChain chain = new ResolverChain(List.of(new NamedResolver("slow", new SlowResolver())), calls,
                policy, Clock.SYSTEM);
        NodeResolver resolver = new NodeResolver(new LocalNodes(HelperNames.of("^(rpc|rem)-")),
                new NodeCache(10_000, Clock.SYSTEM), chain, Duration.ofSeconds(30), Clock.SYSTEM, new Telemetry());
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long seed = 7 + t;
            workers.add(new Thread(() -> lookUp(resolver, seed, wrong), "worker-" + t));
        }
        workers.forEach(Thread::start);
        Random chaos = new Random(99);
        while (workers.stream().anyMatch(Thread::isAlive)) {
            workers.get(chaos.nextInt(THREADS)).interrupt();
            Thread.sleep(0, 100_000 + chaos.nextInt(400_000));
        }
        calls.close();
        assertEquals(List.of(), new ArrayList<>(wrong), "lookups that failed, answered wrongly or lost the flag");
    }

    private static void lookUp(NodeResolver resolver, long seed, ConcurrentLinkedQueue<String> wrong) {
        Random random = new Random(seed);
        for (int i = 0; i < LOOKUPS; i++) {
            int n = random.nextInt(NODES);
            boolean raisedBefore = Thread.currentThread().isInterrupted();
            try {
                int port = resolver.resolve(NodeName.of("n" + n, "svc")).candidates().get(0).port();
                if (port != 5000 + n) {
                    wrong.add("n" + n + " answered " + port);
                }
            } catch (IOException e) {
                wrong.add("n" + n + ": " + e.getMessage());
            }
            if (raisedBefore && !Thread.interrupted()) {
                wrong.add("n" + n + ": the interrupt flag raised before the lookup was lost");
            }
            Thread.interrupted(); // the worker clears it, as a host would after handling it
        }
    }
}

package io.srvepmd.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.spi.Candidate;
import io.srvepmd.spi.EpmdResolver;
import io.srvepmd.spi.NodeEntry;
import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.NodeNotFoundException;
import io.srvepmd.spi.Resolution;
import io.srvepmd.spi.UnavailableException;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class NodeResolverTest {

    private static final NodeName NODE = NodeName.parse("node-0@svc.service.consul");

    /** What the fake resolver does on one call. */
    interface Behaviour {
        Optional<Resolution> answer(NodeName node) throws IOException;
    }

    /** A resolver whose answer the test changes between calls, counting the calls. */
    static final class FakeResolver implements EpmdResolver {
        final AtomicInteger calls = new AtomicInteger();
        volatile Behaviour behaviour;
        volatile Optional<List<NodeEntry>> listing = Optional.empty();

        FakeResolver(Behaviour behaviour) {
            this.behaviour = behaviour;
        }

        @Override
        public Optional<Resolution> resolve(NodeName node) throws IOException {
            calls.incrementAndGet();
            return behaviour.answer(node);
        }

        @Override
        public Optional<List<NodeEntry>> list() throws IOException {
            return listing;
        }
    }

    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final CachePolicy policy = new CachePolicy(Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofSeconds(1), Duration.ofMinutes(30), 10_000);
    private final LocalNodes localNodes = new LocalNodes(HelperNames.of("^(rpc|rem)-"));
    private final Clock clock = now::get;
    private NodeListing listing;

    private NodeResolver resolver(EpmdResolver... chain) {
        return resolver(clock, Duration.ofSeconds(2), chain);
    }

    /** The core as Bootstrap wires it, around resolvers named a, b, c... */
    private NodeResolver resolver(Clock c, Duration timeout, EpmdResolver... chain) {
        List<NamedResolver> named = new ArrayList<>();
        char name = 'a';
        for (EpmdResolver r : chain) {
            named.add(new NamedResolver(String.valueOf(name++), r));
        }
        ResolverCalls calls = new ResolverCalls(c);
        ResolverChain resolvers = new ResolverChain(named, calls, policy, c);
        listing = new NodeListing(resolvers, calls, timeout, c);
        return new NodeResolver(localNodes, new NodeCache(policy.capacity, c), resolvers, timeout, c, new Telemetry());
    }

    private List<NodeEntry> list(EpmdResolver... chain) throws IOException {
        resolver(chain);
        return listing.list();
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    private static Resolution answer(int port, Duration ttl) {
        return Resolution.of(List.of(Candidate.of(InetAddress.getLoopbackAddress(), port)), ttl,
                "fake " + port);
    }

    private static Behaviour answers(int port, Duration ttl) {
        Resolution r = answer(port, ttl);
        return node -> Optional.of(r);
    }

    /** "No such node": the resolver owns the node and its source says it is not there. */
    private static Behaviour fails(String message) {
        return node -> {
            throw new NodeNotFoundException(message);
        };
    }

    private static Behaviour unavailable(String message) {
        return node -> {
            throw new UnavailableException(message);
        };
    }

    private static int port(Resolution r) {
        return r.candidates().get(0).port();
    }

    // ---- a question answered between a cache miss and joining the in-flight questions ----

    /**
     * Thread B sees an expired entry, then (inside its clock read) waits until thread A has
     * asked, cached the fresh answer and retired its question; B then finds no question in
     * flight. It must take A's fresh answer from the cache, not ask a second time.
     */
    @Test
    void aQuestionRetiredJustBeforeJoiningIsNotAskedAgain() throws Exception {
        FakeResolver fake = new FakeResolver(answers(4370, Duration.ofMinutes(1)));
        CountDownLatch bMissedTheCache = new CountDownLatch(1);
        CountDownLatch aIsDone = new CountDownLatch(1);
        Thread[] b = new Thread[1];
        AtomicInteger bReads = new AtomicInteger();
        // B's first clock read is its "now"; its second marks the expired entry used: by then
        // B has missed the cache. It waits there until A has asked, cached and retired.
        NodeResolver nr = resolver(() -> {
            if (Thread.currentThread() == b[0] && bReads.incrementAndGet() == 2) {
                bMissedTheCache.countDown();
                try {
                    aIsDone.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return now.get();
        }, Duration.ofSeconds(2), fake);
        nr.resolve(NODE); // a first answer, then let it expire
        advance(Duration.ofMinutes(2));
        Object[] bResult = new Object[1];
        b[0] = new Thread(() -> {
            try {
                bResult[0] = nr.resolve(NODE);
            } catch (Throwable t) {
                bResult[0] = t;
            }
        });
        b[0].start();
        bMissedTheCache.await();
        assertEquals(4370, port(nr.resolve(NODE))); // thread A: asks, caches, retires its question
        aIsDone.countDown();
        b[0].join();
        assertTrue(bResult[0] instanceof Resolution, String.valueOf(bResult[0]));
        assertEquals(2, fake.calls.get(), "the first answer and thread A's question; thread B asked nothing");
    }

    // ---- TTL ----

    @Test
    void answerIsCachedForItsTtl() throws IOException {
        FakeResolver fake = new FakeResolver(answers(4370, Duration.ofSeconds(60)));
        NodeResolver nr = resolver(fake);
        assertEquals(4370, port(nr.resolve(NODE)));
        fake.behaviour = answers(4371, Duration.ofSeconds(60));
        advance(Duration.ofSeconds(59));
        assertEquals(4370, port(nr.resolve(NODE)));
        assertEquals(1, fake.calls.get());
        advance(Duration.ofSeconds(2));
        assertEquals(4371, port(nr.resolve(NODE)));
        assertEquals(2, fake.calls.get());
    }

    @Test
    void ttlZeroIsRaisedToMinTtl() throws IOException {
        FakeResolver fake = new FakeResolver(answers(4370, Duration.ZERO));
        NodeResolver nr = resolver(fake);
        nr.resolve(NODE);
        nr.resolve(NODE);
        advance(Duration.ofMillis(4999));
        nr.resolve(NODE);
        assertEquals(1, fake.calls.get(), "TTL 0 must not mean a question per lookup");
        advance(Duration.ofMillis(2));
        nr.resolve(NODE);
        assertEquals(2, fake.calls.get());
    }

    @Test
    void ttlIsCappedAtMaxTtl() throws IOException {
        FakeResolver fake = new FakeResolver(answers(4370, Duration.ofDays(7)));
        NodeResolver nr = resolver(fake);
        nr.resolve(NODE);
        advance(Duration.ofMinutes(5).minusMillis(1));
        nr.resolve(NODE);
        assertEquals(1, fake.calls.get());
        advance(Duration.ofMillis(2));
        nr.resolve(NODE);
        assertEquals(2, fake.calls.get());
    }

    @Test
    void nodesAreCachedSeparately() throws IOException {
        FakeResolver fake = new FakeResolver(node -> Optional.of(answer(node.alive().length() + 1000,
                Duration.ofMinutes(1))));
        NodeResolver nr = resolver(fake);
        assertEquals(1001, port(nr.resolve(NodeName.parse("a@h"))));
        assertEquals(1002, port(nr.resolve(NodeName.parse("bb@h"))));
        assertEquals(1001, port(nr.resolve(NodeName.parse("a@h"))));
        assertEquals(2, fake.calls.get());
        assertEquals(2, nr.cache().size());
    }

    // ---- negative answers ----

    @Test
    void plainFailureIsCachedForNegativeTtlThenAskedAgain() throws IOException {
        FakeResolver fake = new FakeResolver(fails("SRV node-0.svc.service.consul: NXDOMAIN from 127.0.0.1:53"));
        NodeResolver nr = resolver(fake);
        IOException first = assertThrows(IOException.class, () -> nr.resolve(NODE));
        assertTrue(first.getMessage().contains("node-0@svc.service.consul"), first.getMessage());
        assertTrue(first.getMessage().contains("resolver a"), first.getMessage());
        assertTrue(first.getMessage().contains("NXDOMAIN from 127.0.0.1:53"), first.getMessage());

        advance(Duration.ofMillis(999));
        IOException cached = assertThrows(IOException.class, () -> nr.resolve(NODE));
        assertEquals(first.getMessage(), cached.getMessage());
        assertEquals(1, fake.calls.get());

        advance(Duration.ofMillis(2));
        fake.behaviour = answers(4370, Duration.ofSeconds(60));
        assertEquals(4370, port(nr.resolve(NODE)));
        assertEquals(2, fake.calls.get());
    }

    // ---- stale answers ----

    @Test
    void unavailableServesTheStaleAnswerWithOneWarning() throws IOException {
        FakeResolver fake = new FakeResolver(answers(4370, Duration.ofSeconds(10)));
        NodeResolver nr = resolver(fake);
        nr.resolve(NODE);
        advance(Duration.ofSeconds(11));
        fake.behaviour = unavailable("SRV node-0.svc.service.consul: timeout after 2s from 127.0.0.1:53");
        try (CapturedWarnings warnings = new CapturedWarnings()) {
            assertEquals(4370, port(nr.resolve(NODE)));
            assertEquals(2, fake.calls.get());
            // not asked again until the recheck (min-ttl) is over
            advance(Duration.ofMillis(4999));
            assertEquals(4370, port(nr.resolve(NODE)));
            assertEquals(2, fake.calls.get());
            advance(Duration.ofMillis(2));
            assertEquals(4370, port(nr.resolve(NODE)));
            assertEquals(3, fake.calls.get());
            assertEquals(1, warnings.mentioning(NODE.toString()), warnings.messages().toString());
            assertTrue(warnings.messages().get(0).contains("timeout after 2s"), warnings.messages().toString());
        }
    }

    @Test
    void staleAnswerIsServedUpToStaleTtlPastExpiryAndNotAfter() throws IOException {
        FakeResolver fake = new FakeResolver(answers(4370, Duration.ofSeconds(10)));
        NodeResolver nr = resolver(fake);
        nr.resolve(NODE);
        fake.behaviour = unavailable("all servers timed out");
        advance(Duration.ofSeconds(10).plus(Duration.ofMinutes(30)).minusMillis(1));
        assertEquals(4370, port(nr.resolve(NODE)));
        advance(Duration.ofMillis(2));
        IOException e = assertThrows(IOException.class, () -> nr.resolve(NODE));
        assertTrue(e.getMessage().contains(NODE.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("all servers timed out"), e.getMessage());
        assertTrue(e.getMessage().contains("resolver a"), e.getMessage());
    }

    @Test
    void unavailableWithNothingCachedFails() {
        FakeResolver fake = new FakeResolver(unavailable("SERVFAIL from 127.0.0.1:53"));
        NodeResolver nr = resolver(fake);
        IOException e = assertThrows(IOException.class, () -> nr.resolve(NODE));
        assertTrue(e.getMessage().contains("SERVFAIL from 127.0.0.1:53"), e.getMessage());
        assertTrue(e.getMessage().contains(NODE.toString()), e.getMessage());
    }

    @Test
    void nxdomainIsAnAnswerAndNotServedStale() throws IOException {
        FakeResolver fake = new FakeResolver(answers(4370, Duration.ofSeconds(10)));
        NodeResolver nr = resolver(fake);
        nr.resolve(NODE);
        advance(Duration.ofSeconds(11));
        fake.behaviour = fails("NXDOMAIN");
        IOException e = assertThrows(IOException.class, () -> nr.resolve(NODE));
        assertTrue(e.getMessage().contains("NXDOMAIN"), e.getMessage());
        // and the NXDOMAIN replaced the good answer: an outage now has nothing to serve
        advance(Duration.ofSeconds(2));
        fake.behaviour = unavailable("timeout");
        assertThrows(IOException.class, () -> nr.resolve(NODE));
    }

    // ---- invalidation ----

    @Test
    void invalidateForcesANewQuestion() throws IOException {
        FakeResolver fake = new FakeResolver(answers(4370, Duration.ofMinutes(1)));
        NodeResolver nr = resolver(fake);
        nr.resolve(NODE);
        fake.behaviour = answers(4999, Duration.ofMinutes(1));
        nr.invalidate(NODE);
        assertEquals(4999, port(nr.resolve(NODE)));
        assertEquals(2, fake.calls.get());
    }

    @Test
    void invalidateKeepsTheStaleFallback() throws IOException {
        FakeResolver fake = new FakeResolver(answers(4370, Duration.ofMinutes(1)));
        NodeResolver nr = resolver(fake);
        nr.resolve(NODE);
        nr.invalidate(NODE);
        fake.behaviour = unavailable("down");
        assertEquals(4370, port(nr.resolve(NODE)));
        assertEquals(2, fake.calls.get());
    }

    @Test
    void invalidateOfAnUnknownNodeIsHarmless() throws IOException {
        FakeResolver fake = new FakeResolver(answers(4370, Duration.ofMinutes(1)));
        NodeResolver nr = resolver(fake);
        nr.invalidate(NODE);
        assertEquals(4370, port(nr.resolve(NODE)));
        assertEquals(0 + 1, fake.calls.get());
    }

    // ---- the chain ----

    @Test
    void notMineFallsToTheNextResolver() throws IOException {
        FakeResolver first = new FakeResolver(node -> Optional.empty());
        FakeResolver second = new FakeResolver(answers(4370, Duration.ofMinutes(1)));
        NodeResolver nr = resolver(first, second);
        assertEquals(4370, port(nr.resolve(NODE)));
        assertEquals(1, first.calls.get());
        assertEquals(1, second.calls.get());
    }

    @Test
    void firstAnswerWins() throws IOException {
        FakeResolver first = new FakeResolver(answers(4370, Duration.ofMinutes(1)));
        FakeResolver second = new FakeResolver(answers(4999, Duration.ofMinutes(1)));
        assertEquals(4370, port(resolver(first, second).resolve(NODE)));
        assertEquals(0, second.calls.get());
    }

    @Test
    void failureOfTheFirstResolverIsTheAnswer() {
        FakeResolver first = new FakeResolver(fails("NXDOMAIN"));
        FakeResolver second = new FakeResolver(answers(4999, Duration.ofMinutes(1)));
        assertThrows(IOException.class, () -> resolver(first, second).resolve(NODE));
        assertEquals(0, second.calls.get());
    }

    @Test
    void noResolverAnswersNamesTheNodeAndTheResolvers() {
        FakeResolver first = new FakeResolver(node -> Optional.empty());
        FakeResolver second = new FakeResolver(node -> Optional.empty());
        NodeResolver nr = resolver(first, second);
        IOException e = assertThrows(IOException.class, () -> nr.resolve(NODE));
        assertTrue(e.getMessage().contains(NODE.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("a, b"), e.getMessage());
    }

    @Test
    void runtimeExceptionBecomesIOException() {
        FakeResolver fake = new FakeResolver(node -> {
            throw new IllegalStateException("bug in a plug-in");
        });
        NodeResolver nr = resolver(fake);
        IOException e = assertThrows(IOException.class, () -> nr.resolve(NODE));
        assertTrue(e.getMessage().contains(NODE.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("resolver a"), e.getMessage());
        assertTrue(e.getMessage().contains("failed: java.lang.IllegalStateException: bug in a plug-in"),
                e.getMessage());
    }

    @Test
    void linkageErrorBecomesIOException() {
        FakeResolver fake = new FakeResolver(node -> {
            throw new NoClassDefFoundError("org/missing/Thing");
        });
        IOException e = assertThrows(IOException.class, () -> resolver(fake).resolve(NODE));
        assertTrue(e.getMessage().contains("org/missing/Thing"), e.getMessage());
    }

    // ---- local nodes ----

    @Test
    void localNodeIsAnsweredWithoutAskingResolvers() throws IOException {
        FakeResolver fake = new FakeResolver(answers(4999, Duration.ofMinutes(1)));
        NodeResolver nr = resolver(fake);
        localNodes.publish(NODE, 40123);
        Resolution r = nr.resolve(NODE);
        assertEquals(List.of(Candidate.of(InetAddress.getLoopbackAddress(), 40123)), r.candidates());
        Resolution helper = nr.resolve(NodeName.parse("rpc-node-0-77@svc.service.consul"));
        assertEquals(40123, port(helper));
        assertTrue(helper.candidates().get(0).addresses().get(0).isLoopbackAddress());
        assertEquals(0, fake.calls.get());
    }

    // ---- coalescing ----

    private static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // a hang guard, not a timing claim
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("gave up waiting until " + what);
            }
            Thread.sleep(1);
        }
    }

    /** Whether a thread is parked waiting on another's question or on the test's latch. */
    private static boolean parked(Thread t) {
        if (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            return false;
        }
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().equals(Inflight.class.getName() + "$Question")
                    || e.getClassName().equals(ResolverCalls.class.getName() + "$Call")) {
                return true;
            }
        }
        return false;
    }

    private void coalesce(Behaviour afterRelease, int threads, List<Object> results) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        FakeResolver fake = new FakeResolver(node -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            return afterRelease.answer(node);
        });
        NodeResolver nr = resolver(Clock.SYSTEM, Duration.ofSeconds(60), fake);
        Object[] out = new Object[threads];
        Thread[] all = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            int n = i;
            all[i] = new Thread(() -> {
                try {
                    out[n] = nr.resolve(NODE);
                } catch (Throwable t) {
                    out[n] = t;
                }
            }, "resolve-" + i);
            all[i].start();
        }
        waitUntil(() -> fake.calls.get() >= 1 && Arrays.stream(all).allMatch(NodeResolverTest::parked),
                "one thread asks and the others wait for it");
        release.countDown();
        for (Thread t : all) {
            t.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(t.isAlive(), t.getName() + " still running");
        }
        assertEquals(1, fake.calls.get(), "concurrent lookups of one node share one question");
        results.addAll(Arrays.asList(out));
    }

    @Test
    void concurrentLookupsShareOneQuestion() throws Exception {
        List<Object> results = new ArrayList<>();
        coalesce(answers(4370, Duration.ofMinutes(1)), 50, results);
        assertEquals(50, results.size());
        for (Object r : results) {
            assertInstanceOf(Resolution.class, r, String.valueOf(r));
            assertEquals(4370, port((Resolution) r));
        }
    }

    @Test
    void concurrentLookupsShareOneFailure() throws Exception {
        List<Object> results = new ArrayList<>();
        coalesce(fails("NXDOMAIN from 127.0.0.1:53"), 50, results);
        assertEquals(50, results.size());
        for (Object r : results) {
            assertInstanceOf(IOException.class, r, String.valueOf(r));
            assertTrue(((IOException) r).getMessage().contains("NXDOMAIN from 127.0.0.1:53"),
                    ((IOException) r).getMessage());
            assertTrue(((IOException) r).getMessage().contains(NODE.toString()), ((IOException) r).getMessage());
        }
    }

    @Test
    void concurrentLookupsShareOneOutage() throws Exception {
        List<Object> results = new ArrayList<>();
        coalesce(unavailable("timeout"), 20, results);
        for (Object r : results) {
            assertInstanceOf(IOException.class, r, String.valueOf(r));
        }
    }

    @Test
    void concurrentLookupsShareOneBug() throws Exception {
        List<Object> results = new ArrayList<>();
        coalesce(node -> {
            throw new IllegalStateException("boom");
        }, 20, results);
        for (Object r : results) {
            assertInstanceOf(IOException.class, r, "never a RuntimeException: " + r);
        }
    }

    // ---- time: no resolver holds a caller past dns.timeout, no wait is without a bound ----

    /** A resolver that blocks until the test ends, as a plugin with a hung socket would. */
    private final CountDownLatch testOver = new CountDownLatch(1);

    @org.junit.jupiter.api.AfterEach
    void releaseBlockedResolvers() {
        testOver.countDown();
    }

    private FakeResolver hanging() {
        return new FakeResolver(node -> {
            try {
                testOver.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.empty();
        });
    }

    /** Runs {@code lookups} threads resolving {@code node} at once; returns what each got. */
    private static List<Object> concurrently(NodeResolver nr, NodeName node, int lookups) throws Exception {
        List<Object> out = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < lookups; i++) {
            Thread t = new Thread(() -> {
                try {
                    out.add(nr.resolve(node));
                } catch (Throwable e) {
                    out.add(e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        return out;
    }

    @Test
    void aResolverThatBlocksIsAbandonedAtTheTimeoutForEveryCoalescedCaller() {
        NodeResolver nr = resolver(Clock.SYSTEM, Duration.ofMillis(300), hanging());
        List<Object> results = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> concurrently(nr, NODE, 10), "a blocked resolver held its callers");
        assertEquals(10, results.size());
        for (Object r : results) {
            assertInstanceOf(IOException.class, r, String.valueOf(r));
            String m = ((IOException) r).getMessage();
            assertTrue(m.contains("cannot resolve node " + NODE + " with resolver a: did not answer within "), m);
            assertTrue(m.endsWith(" ms (dns.timeout)"), m);
        }
    }

    @Test
    void aResolverThatBlocksLeavesTheNextOneItsShare() throws Exception {
        FakeResolver next = new FakeResolver(answers(4370, Duration.ofMinutes(1)));
        NodeResolver nr = resolver(Clock.SYSTEM, Duration.ofMillis(600), hanging(), next);
        Resolution r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> nr.resolve(NODE));
        assertEquals(4370, port(r));
    }

    @Test
    void aResolverThatHangsForGoodTiesUpABoundedNumberOfThreads() throws Exception {
        FakeResolver hung = hanging();
        NodeResolver nr = resolver(Clock.SYSTEM, Duration.ofMillis(100), hung);
        List<Object> results = new ArrayList<>();
        for (int i = 0; i < ResolverCalls.CALLS_PER_RESOLVER + 2; i++) {
            results.addAll(concurrently(nr, NodeName.parse("n" + i + "@svc"), 1));
        }
        // It never returns, so each call it got still holds its thread.
        assertEquals(ResolverCalls.CALLS_PER_RESOLVER, hung.calls.get(), "calls started on the hung resolver");
        String last = ((IOException) results.get(results.size() - 1)).getMessage();
        assertTrue(last.contains("resolver a: was not asked: all its " + ResolverCalls.CALLS_PER_RESOLVER
                + " calls were still running until the deadline"), last);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }

    @Test
    void aCheckedExceptionThrownUndeclaredReleasesEveryWaiter() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        FakeResolver sneaky = new FakeResolver(node -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            NodeResolverTest.<RuntimeException>sneakyThrow(new Exception("undeclared, as Kotlin may throw"));
            return Optional.empty();
        });
        NodeResolver nr = resolver(Clock.SYSTEM, Duration.ofMinutes(10), sneaky);
        Thread releaser = new Thread(() -> {
            try {
                waitUntil(() -> sneaky.calls.get() == 1, "the resolver is called");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            release.countDown();
        });
        releaser.start();
        List<Object> results = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> concurrently(nr, NODE, 20), "waiters of a question whose resolver threw undeclared");
        for (Object r : results) {
            assertInstanceOf(IOException.class, r, String.valueOf(r));
            assertTrue(((IOException) r).getMessage().contains("undeclared, as Kotlin may throw"), r.toString());
        }
        assertEquals(1, sneaky.calls.get());
    }

    @Test
    void theAskingThreadAnswersItsWaitersWhateverWayItLeaves() throws Exception {
        Inflight inflight = new Inflight(Clock.SYSTEM);
        CountDownLatch waiterJoined = new CountDownLatch(1);
        Object[] waiterGot = new Object[1];
        Thread waiter = new Thread(() -> {
            try {
                waiterJoined.await();
                waiterGot[0] = inflight.resolve(NODE, System.nanoTime() + Duration.ofMinutes(10).toNanos(),
                        (n, d) -> null);
            } catch (Throwable t) {
                waiterGot[0] = t;
            }
        });
        waiter.start();
        IOException asker = assertThrows(IOException.class, () -> inflight.resolve(NODE,
                System.nanoTime() + Duration.ofMinutes(10).toNanos(), (n, d) -> {
                    waiterJoined.countDown();
                    try {
                        waitUntil(() -> parked(waiter), "the waiter waits");
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    NodeResolverTest.<RuntimeException>sneakyThrow(new Exception("sneaky"));
                    return null;
                }));
        assertTrue(asker.getMessage().contains("sneaky"), asker.getMessage());
        waiter.join(Duration.ofSeconds(20).toMillis());
        assertFalse(waiter.isAlive(), "the waiter still waits");
        assertInstanceOf(IOException.class, waiterGot[0]);
    }

    @Test
    void aForeverTtlIsClampedToMaxTtl() throws IOException {
        FakeResolver fake = new FakeResolver(answers(4370, Duration.ofSeconds(Long.MAX_VALUE)));
        NodeResolver nr = resolver(fake);
        nr.resolve(NODE);
        advance(Duration.ofMinutes(5).plusMillis(1));
        nr.resolve(NODE);
        assertEquals(2, fake.calls.get());
    }

    @Test
    void aRaisedInterruptFlagNeitherFailsTheLookupNorIsLost() throws IOException {
        FakeResolver fake = new FakeResolver(answers(4370, Duration.ofMinutes(1)));
        NodeResolver nr = resolver(Clock.SYSTEM, Duration.ofSeconds(2), fake);
        Thread.currentThread().interrupt();
        try {
            assertEquals(4370, port(nr.resolve(NODE)), "stock JInterface's blocking lookup ignores the flag too");
            assertTrue(Thread.currentThread().isInterrupted(), "the flag is still raised for the host");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aResolverOnTheAgentsThreadIsAwaitedDespiteAnInterrupt() throws IOException {
        FakeResolver fake = new FakeResolver(node -> {
            sleepUninterruptibly(Duration.ofMillis(50));
            return Optional.of(answer(4370, Duration.ofMinutes(1)));
        });
        NodeResolver nr = resolver(Clock.SYSTEM, Duration.ofSeconds(20), fake);
        Thread.currentThread().interrupt();
        try {
            assertEquals(4370, port(nr.resolve(NODE)));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aFailureWhileTheAskerWasInterruptedIsNeitherCachedNorSharedNorServedStale() throws Exception {
        // A resolver on the caller's thread that fails because of an interrupt raised during
        // its call (an interruptible channel, say): that failure is the asker's alone.
        CountDownLatch calling = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        EpmdResolver direct = new EpmdResolver() {
            @Override
            public Optional<Resolution> resolve(NodeName node) throws IOException {
                if (calls.incrementAndGet() == 1) {
                    calling.countDown();
                    awaitUninterruptibly(interrupted);
                    if (Thread.currentThread().isInterrupted()) {
                        throw new IOException("java.nio.channels.ClosedByInterruptException");
                    }
                }
                return Optional.of(answer(4370, Duration.ofMinutes(1)));
            }

            @Override
            public boolean honoursTimeout() {
                return true;
            }
        };
        NodeResolver nr = resolver(Clock.SYSTEM, Duration.ofSeconds(20), direct);
        AtomicReference<Object> askerGot = new AtomicReference<>();
        Thread asker = new Thread(() -> {
            try {
                askerGot.set(nr.resolve(NODE));
            } catch (IOException e) {
                askerGot.set(e);
            }
        });
        asker.start();
        assertTrue(calling.await(20, TimeUnit.SECONDS));
        AtomicReference<Object> waiterGot = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                waiterGot.set(nr.resolve(NODE));
            } catch (IOException e) {
                waiterGot.set(e);
            }
        });
        waiter.start();
        waitUntil(() -> parked(waiter), "the waiter waits for the asker");
        asker.interrupt();
        interrupted.countDown();
        asker.join(20_000);
        waiter.join(20_000);
        assertInstanceOf(IOException.class, askerGot.get(), "the asker's own call failed");
        assertTrue(((IOException) askerGot.get()).getMessage().contains("interrupted"), askerGot.toString());
        assertEquals(4370, port((Resolution) waiterGot.get()), "the waiter asked again rather than share it");
        assertEquals(2, calls.get());
        assertEquals(4370, port(nr.resolve(NODE)), "nothing was cached from the interrupted call");
    }

    @Test
    void anUnclassifiedIOExceptionIsAnOutageNotNoSuchNode() throws IOException {
        FakeResolver fake = new FakeResolver(answers(4370, Duration.ofSeconds(10)));
        NodeResolver nr = resolver(fake);
        nr.resolve(NODE);
        advance(Duration.ofSeconds(11));
        fake.behaviour = node -> {
            throw new java.net.SocketTimeoutException("Read timed out");
        };
        assertEquals(4370, port(nr.resolve(NODE)), "served stale, as for an UnavailableException");
        FakeResolver plain = new FakeResolver(node -> {
            throw new IOException("registry said 503");
        });
        FakeResolver next = new FakeResolver(answers(4999, Duration.ofMinutes(1)));
        assertEquals(4999, port(resolver(plain, next).resolve(NODE)), "the next resolver is asked");
    }

    @Test
    void noSuchNodeAfterAnUnavailableResolverIsAnOutageNamingBoth() {
        FakeResolver first = new FakeResolver(unavailable("kv file /etc/kv missing"));
        FakeResolver second = new FakeResolver(fails("SRV n.svc: NXDOMAIN"));
        IOException e = assertThrows(IOException.class, () -> resolver(first, second).resolve(NODE));
        assertFalse(e instanceof NodeNotFoundException, "the first resolver may have known it: " + e);
        assertTrue(e.getMessage().contains("kv file /etc/kv missing") && e.getMessage().contains("NXDOMAIN"),
                e.getMessage());
    }

    @Test
    void noSuchNodeReachesTheCallerAsNodeNotFoundException() {
        FakeResolver fake = new FakeResolver(fails("SRV n.svc: NXDOMAIN"));
        NodeResolver nr = resolver(fake);
        assertInstanceOf(NodeNotFoundException.class, assertThrows(IOException.class, () -> nr.resolve(NODE)));
        assertInstanceOf(NodeNotFoundException.class, assertThrows(IOException.class, () -> nr.resolve(NODE)),
                "also when answered from the cache");
    }

    @Test
    void aResolverGetsItsShareOfTheTimeAsItsTimeout() throws IOException {
        TimeoutRecorder first = new TimeoutRecorder(true, Optional.empty());
        FakeResolver second = new FakeResolver(answers(4370, Duration.ofMinutes(1)));
        assertEquals(4370, port(resolver(first, second).resolve(NODE)));
        assertEquals(List.of(Duration.ofSeconds(1)), first.given, "half of dns.timeout=2s, the clock standing still");
    }

    @Test
    void aResolverOnTheAgentsThreadsGetsItsShareLessAReserve() throws IOException {
        TimeoutRecorder plugin = new TimeoutRecorder(false, Optional.of(answer(4370, Duration.ofMinutes(1))));
        assertEquals(4370, port(resolver(plugin).resolve(NODE)));
        assertEquals(List.of(Duration.ofMillis(1800)), plugin.given,
                "2 s less 200 ms: it finishes before the agent stops waiting, with its own account");
    }

    /** A resolver that records the timeouts the agent gives it and answers as told; the old call fails it. */
    private static final class TimeoutRecorder implements EpmdResolver {
        final List<Duration> given = new ArrayList<>();
        private final boolean honours;
        private final Optional<Resolution> answer;

        TimeoutRecorder(boolean honours, Optional<Resolution> answer) {
            this.honours = honours;
            this.answer = answer;
        }

        @Override
        public Optional<Resolution> resolve(NodeName node) {
            throw new AssertionError("the agent calls resolve(node, timeout)");
        }

        @Override
        public Optional<Resolution> resolve(NodeName node, Duration timeout) {
            given.add(timeout);
            return answer;
        }

        @Override
        public boolean honoursTimeout() {
            return honours;
        }
    }

    /** A resolver's work on the agent's thread, which nobody interrupts. */
    private static void sleepUninterruptibly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            throw new AssertionError("the agent's resolver thread was interrupted", e);
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the chain's rules when a source is unavailable ----

    @Test
    void anUnavailableResolverLetsTheNextAnswerANeverSeenNode() throws IOException {
        FakeResolver file = new FakeResolver(unavailable("kv file /etc/kv missing"));
        FakeResolver dns = new FakeResolver(answers(4370, Duration.ofMinutes(1)));
        assertEquals(4370, port(resolver(file, dns).resolve(NODE)));
        assertEquals(1, dns.calls.get());
    }

    @Test
    void anUnavailableResolverServesItsOwnStaleAnswerWithoutAskingTheNext() throws IOException {
        FakeResolver file = new FakeResolver(answers(4370, Duration.ofSeconds(10)));
        FakeResolver dns = new FakeResolver(answers(4999, Duration.ofMinutes(1)));
        NodeResolver nr = resolver(file, dns);
        nr.resolve(NODE);
        advance(Duration.ofSeconds(11));
        file.behaviour = unavailable("kv file /etc/kv missing");
        try (CapturedWarnings warnings = new CapturedWarnings()) {
            assertEquals(4370, port(nr.resolve(NODE)), "the node is the file's: its last answer stands in");
            assertEquals(1, warnings.mentioning("because resolver a is unavailable: kv file /etc/kv missing"));
        }
        assertEquals(0, dns.calls.get());
    }

    @Test
    void whenEveryResolverFailsTheErrorNamesEachReason() {
        FakeResolver file = new FakeResolver(unavailable("kv file /etc/kv missing"));
        FakeResolver dns = new FakeResolver(unavailable("SRV node-0.svc.service.consul: no usable answer"));
        IOException e = assertThrows(IOException.class, () -> resolver(file, dns).resolve(NODE));
        assertEquals("srv-epmd: cannot resolve node " + NODE + ": no resolver answered (a: kv file /etc/kv missing;"
                + " b: SRV node-0.svc.service.consul: no usable answer)", e.getMessage());
    }

    @Test
    void anotherResolversStaleAnswerIsServedOnlyForItsOwnOutage() throws IOException {
        FakeResolver file = new FakeResolver(node -> Optional.empty());
        FakeResolver dns = new FakeResolver(answers(4370, Duration.ofSeconds(10)));
        NodeResolver nr = resolver(file, dns);
        nr.resolve(NODE); // answered by b
        advance(Duration.ofSeconds(11));
        file.behaviour = unavailable("kv file missing");
        dns.behaviour = answers(4371, Duration.ofSeconds(10));
        assertEquals(4371, port(nr.resolve(NODE)), "a's outage: b is asked, not b's old answer served");
        advance(Duration.ofSeconds(11));
        dns.behaviour = unavailable("DNS down");
        assertEquals(4371, port(nr.resolve(NODE)), "both down: b's own last answer stands in for b");
    }

    // ---- listing ----

    private static NodeEntry entry(String node, int port) {
        return NodeEntry.of(NodeName.parse(node), port);
    }

    @Test
    void listMergesEveryResolverThatCanListFirstOneWins() throws IOException {
        FakeResolver first = new FakeResolver(node -> Optional.empty());
        first.listing = Optional.of(List.of(entry("x@h", 1), entry("y@h", 2)));
        FakeResolver cannot = new FakeResolver(node -> Optional.empty());
        FakeResolver third = new FakeResolver(node -> Optional.empty());
        third.listing = Optional.of(List.of(entry("y@h", 3), entry("z@h", 4)));
        assertEquals(List.of(entry("x@h", 1), entry("y@h", 2), entry("z@h", 4)), list(first, cannot, third));
    }

    @Test
    void emptyListingIsAnAnswer() throws IOException {
        FakeResolver fake = new FakeResolver(node -> Optional.empty());
        fake.listing = Optional.of(List.of());
        assertEquals(List.of(), list(fake));
    }

    @Test
    void listWithoutAResolverThatCanListIsAClearError() {
        IOException e = assertThrows(IOException.class, () -> list(new FakeResolver(node -> Optional.empty()),
                new FakeResolver(node -> Optional.empty())));
        assertTrue(e.getMessage().contains("needs a resolver that can list"), e.getMessage());
        assertTrue(e.getMessage().contains("a, b"), e.getMessage());
    }

    @Test
    void listingFailureNamesTheResolver() {
        EpmdResolver failing = new EpmdResolver() {
            @Override
            public Optional<Resolution> resolve(NodeName node) {
                return Optional.empty();
            }

            @Override
            public Optional<List<NodeEntry>> list() throws IOException {
                throw new UnavailableException("SRV svc: SERVFAIL");
            }
        };
        IOException e = assertThrows(IOException.class, () -> list(failing));
        assertTrue(e.getMessage().contains("cannot list nodes with resolver a: SRV svc: SERVFAIL"), e.getMessage());
        assertTrue(e.getMessage().contains("SERVFAIL"), e.getMessage());
    }

    @Test
    void listingRuntimeExceptionBecomesIOException() {
        AtomicReference<String> seen = new AtomicReference<>();
        EpmdResolver buggy = new EpmdResolver() {
            @Override
            public Optional<Resolution> resolve(NodeName node) {
                return Optional.empty();
            }

            @Override
            public Optional<List<NodeEntry>> list() {
                seen.set("called");
                throw new NullPointerException("oops");
            }
        };
        IOException e = assertThrows(IOException.class, () -> list(buggy));
        assertNotNull(seen.get());
        assertTrue(e.getMessage().contains("cannot list nodes with resolver a: failed: java.lang.NullPointerException: oops"),
                e.getMessage());
    }
}

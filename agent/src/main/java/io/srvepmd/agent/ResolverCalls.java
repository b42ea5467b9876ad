package io.srvepmd.agent;

import io.srvepmd.spi.EpmdResolver;
import io.srvepmd.spi.NodeEntry;
import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.Resolution;
import io.srvepmd.spi.UnavailableException;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Calls resolvers on the agent's own daemon threads and waits for them no
 * longer than the caller's deadline. A resolver is a plugin the agent cannot
 * trust to bound itself: one that blocks must not hold the host's thread (and,
 * through JInterface, the node's connection lock) past {@code dns.timeout}.
 *
 * <p>Each resolver may have at most {@value #CALLS_PER_RESOLVER} calls running;
 * a call that outlives its caller keeps its thread until the resolver returns,
 * and its late outcome is dropped. So a resolver that hangs for good ties up
 * at most that many threads, and its next callers are told so rather than
 * queued behind it. Idle threads end after {@value #IDLE_SECONDS} seconds.
 */
final class ResolverCalls {

    static final int CALLS_PER_RESOLVER = 16;
    static final int IDLE_SECONDS = 5;

    private final ThreadPoolExecutor threads;
    private final Clock clock;

    ResolverCalls(Clock clock) {
        this.clock = clock;
        // Direct hand-off: a call gets a thread at once or a new one; the per-resolver
        // permits bound how many there can be.
        this.threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<Runnable>(), new DaemonThreads());
    }

    /** @return the resolver's outcome for {@code node}, or why there is none, by {@code deadline} */
    CallOutcome resolve(NamedResolver r, NodeName node, long deadline) {
        return run(new ResolveCall(r, node), deadline);
    }

    /** @return the resolver's listing, or why there is none, by {@code deadline} */
    CallOutcome list(NamedResolver r, long deadline) {
        return run(new ListCall(r), deadline);
    }

    /** Stops the idle threads; calls still running finish on theirs. */
    void close() {
        threads.shutdown();
    }

    private CallOutcome run(Call call, long deadline) {
        CallOutcome outcome = attempt(call, deadline);
        call.resolver.stats.count(outcome);
        return outcome;
    }

    private CallOutcome attempt(Call call, long deadline) {
        NamedResolver r = call.resolver;
        try {
            long left = deadline - clock.nanoTime();
            if (left <= 0 || !r.permits.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                return CallOutcome.timedOut(left <= 0 ? "was not asked: no time was left (dns.timeout)"
                        : "was not asked: all its " + CALLS_PER_RESOLVER + " calls were still running until the"
                        + " deadline (dns.timeout)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CallOutcome.unavailable("not asked: the calling thread was interrupted");
        }
        try {
            threads.execute(call);
        } catch (RuntimeException | Error e) { // cannot start a thread (out of memory, ulimit)
            r.permits.release();
            return CallOutcome.unavailable("could not be called: no thread to call it on (" + e + ")");
        }
        return call.await(deadline, clock);
    }

    /** One call of a resolver: runs on a pool thread, answers the caller through a monitor. */
    private abstract static class Call implements Runnable {
        final NamedResolver resolver;
        private boolean done;
        private CallOutcome outcome;

        Call(NamedResolver resolver) {
            this.resolver = resolver;
        }

        abstract CallOutcome invoke(EpmdResolver r) throws IOException;

        @Override
        public void run() {
            CallOutcome result;
            try {
                result = invoke(resolver.resolver);
            } catch (UnavailableException e) {
                result = CallOutcome.unavailable(e.getMessage());
            } catch (IOException e) {
                result = CallOutcome.notFound(e.getMessage());
            } catch (Throwable t) { // a bug in the resolver, or a checked exception it threw undeclared
                result = CallOutcome.unavailable("failed: " + t);
            } finally {
                resolver.permits.release();
            }
            finish(result);
        }

        private synchronized void finish(CallOutcome result) {
            outcome = result;
            done = true;
            notifyAll();
        }

        synchronized CallOutcome await(long deadline, Clock clock) {
            long start = clock.nanoTime();
            while (!done) {
                long left = deadline - clock.nanoTime();
                if (left <= 0) {
                    return CallOutcome.timedOut("did not answer within "
                            + (clock.nanoTime() - start) / 1_000_000 + " ms (dns.timeout)");
                }
                try {
                    wait(Math.max(1, left / 1_000_000), 0);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return CallOutcome.unavailable("not awaited: the calling thread was interrupted");
                }
            }
            return outcome;
        }
    }

    private static final class ResolveCall extends Call {
        private final NodeName node;

        ResolveCall(NamedResolver resolver, NodeName node) {
            super(resolver);
            this.node = node;
        }

        @Override
        CallOutcome invoke(EpmdResolver r) throws IOException {
            Optional<Resolution> answer = r.resolve(node);
            if (answer == null) {
                return CallOutcome.unavailable("failed: it returned null instead of an Optional");
            }
            return answer.isPresent() ? CallOutcome.answer(answer.get()) : CallOutcome.notMine();
        }
    }

    private static final class ListCall extends Call {
        ListCall(NamedResolver resolver) {
            super(resolver);
        }

        @Override
        CallOutcome invoke(EpmdResolver r) throws IOException {
            Optional<List<NodeEntry>> listed = r.list();
            if (listed == null) {
                return CallOutcome.unavailable("failed: it returned null instead of an Optional");
            }
            return listed.isPresent() ? CallOutcome.listed(listed.get()) : CallOutcome.notMine();
        }
    }

    /**
     * Daemon threads named for the agent, with the system class loader as
     * context loader: they must never keep the JVM alive, and must not pin
     * whichever loader the host thread that happened to start them had.
     */
    private static final class DaemonThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "srv-epmd-resolver-" + count.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(ClassLoader.getSystemClassLoader());
            return t;
        }
    }
}

package io.srvepmd.agent;

import io.srvepmd.spi.EpmdResolver;
import io.srvepmd.spi.NodeEntry;
import io.srvepmd.spi.NodeName;
import io.srvepmd.spi.NodeNotFoundException;
import io.srvepmd.spi.Resolution;
import io.srvepmd.spi.UnavailableException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Calls resolvers, each with the time left until the caller's deadline, and
 * turns whatever they do into a {@link CallOutcome}.
 *
 * <p>A resolver that {@linkplain EpmdResolver#honoursTimeout() honours} its
 * timeout (the built-in ones do) runs on the caller's thread: handing the call
 * to another thread and waiting on a monitor costs two context switches, more
 * than a DNS question to a local server, and on a busy machine the two threads
 * do not always meet quickly. The caller's interrupt flag is cleared for the
 * call and set again after it; a failure while the flag was raised during the
 * call is marked {@linkplain CallOutcome#interrupted interrupted}.
 *
 * <p>Any other resolver is a plug-in the agent cannot trust to bound itself:
 * one that blocks must not hold the host's thread (and, through JInterface,
 * the node's connection lock) past {@code dns.timeout}. It runs on the agent's
 * own daemon threads, and the caller waits no longer than its deadline (an
 * interrupt does not cut that wait short). Each such resolver may have at most
 * {@value #CALLS_PER_RESOLVER} calls running; a call that outlives its caller
 * keeps its thread until the resolver returns, and its late outcome is
 * dropped. So a resolver that hangs for good ties up at most that many
 * threads, and its next callers are told so rather than queued behind it. Idle
 * threads end after {@value #IDLE_SECONDS} seconds.
 */
final class ResolverCalls {

    static final int CALLS_PER_RESOLVER = 16;
    static final int IDLE_SECONDS = 5;
    static final long RESERVE_MILLIS = 200;

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
        long left = deadline - clock.nanoTime();
        CallOutcome outcome;
        if (left <= 0) {
            outcome = CallOutcome.timedOut("was not asked: no time was left (dns.timeout)");
        } else if (call.resolver.onCallersThread) {
            outcome = direct(call, left);
        } else {
            outcome = handOff(call, deadline);
        }
        call.resolver.stats.count(outcome);
        return outcome;
    }

    /** Calls the resolver on this thread, with its interrupt flag down. */
    private static CallOutcome direct(Call call, long timeoutNanos) {
        boolean interrupted = Thread.interrupted();
        try {
            CallOutcome outcome = call.invokeSafely(timeoutNanos);
            if (Thread.interrupted()) {
                interrupted = true;
                return outcome.whileInterrupted();
            }
            return outcome;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private CallOutcome handOff(Call call, long deadline) {
        NamedResolver r = call.resolver;
        if (!acquire(r, deadline)) {
            return CallOutcome.timedOut("was not asked: all its " + CALLS_PER_RESOLVER + " calls were still"
                    + " running until the deadline (dns.timeout)");
        }
        call.timeoutNanos = withReserve(deadline - clock.nanoTime());
        try {
            threads.execute(call);
        } catch (RuntimeException | Error e) { // cannot start a thread (out of memory, ulimit)
            r.permits.release();
            return CallOutcome.unavailable("could not be called: no thread to call it on (" + e + ")");
        }
        return call.await(deadline, clock);
    }

    /**
     * The timeout a resolver on the agent's threads is given: what is left, less a reserve of a tenth (at
     * most {@value #RESERVE_MILLIS} ms), so that one which plans against it finishes before the caller
     * stops waiting, and the caller gets the resolver's own account of what went wrong rather than a bare
     * "did not answer in time".
     */
    static long withReserve(long leftNanos) {
        return Math.max(1, leftNanos - Math.min(leftNanos / 10, RESERVE_MILLIS * 1_000_000));
    }

    /** Takes one of the resolver's permits by the deadline; an interrupt does not cut the wait short. */
    private boolean acquire(NamedResolver r, long deadline) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return r.permits.tryAcquire(Math.max(0, deadline - clock.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * One call of a resolver: on the caller's thread ({@link #invokeSafely}),
     * or on a pool thread ({@link #run}) answering the caller through a monitor.
     */
    private abstract static class Call implements Runnable {
        final NamedResolver resolver;
        /** The timeout a pool thread passes on; set before the call is handed over. */
        long timeoutNanos;
        private boolean done;
        private CallOutcome outcome;

        Call(NamedResolver resolver) {
            this.resolver = resolver;
        }

        abstract CallOutcome invoke(EpmdResolver r, Duration timeout) throws IOException;

        /**
         * Only {@link NodeNotFoundException} means "no such node"; every other
         * failure, an unclassified {@code IOException} or a bug, means "could
         * not find out", which keeps the last good answer and asks the next resolver.
         */
        final CallOutcome invokeSafely(long timeoutNanos) {
            try {
                return invoke(resolver.resolver, Duration.ofNanos(timeoutNanos));
            } catch (NodeNotFoundException e) {
                return CallOutcome.notFound(e.getMessage());
            } catch (IOException e) {
                // Name the type when it tells something (a SocketTimeoutException from a plug-in's client).
                boolean plain = e instanceof UnavailableException || e.getClass() == IOException.class;
                return CallOutcome.unavailable(plain ? e.getMessage() : "failed: " + e);
            } catch (Throwable t) { // a bug in the resolver, or a checked exception it threw undeclared
                return CallOutcome.unavailable("failed: " + t);
            }
        }

        @Override
        public void run() {
            CallOutcome result;
            try {
                result = invokeSafely(timeoutNanos);
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

        /** Waits for the pool thread's outcome by the deadline; an interrupt does not cut the wait short. */
        synchronized CallOutcome await(long deadline, Clock clock) {
            long start = clock.nanoTime();
            boolean interrupted = false;
            try {
                while (!done) {
                    long left = deadline - clock.nanoTime();
                    if (left <= 0) {
                        return CallOutcome.timedOut("did not answer within "
                                + (clock.nanoTime() - start) / 1_000_000 + " ms (dns.timeout)");
                    }
                    try {
                        wait(Math.max(1, left / 1_000_000), 0);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                return outcome;
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static final class ResolveCall extends Call {
        private final NodeName node;

        ResolveCall(NamedResolver resolver, NodeName node) {
            super(resolver);
            this.node = node;
        }

        @Override
        CallOutcome invoke(EpmdResolver r, Duration timeout) throws IOException {
            Optional<Resolution> answer = r.resolve(node, timeout);
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
        CallOutcome invoke(EpmdResolver r, Duration timeout) throws IOException {
            Optional<List<NodeEntry>> listed = r.list(timeout);
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

package io.srvepmd.agent;

import io.srvepmd.spi.NodeName;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One question per node in flight: the first thread that needs a node asks,
 * the threads that need it meanwhile wait for that answer. A storm of
 * connections to a node never seen before costs one resolution.
 *
 * <p>No wait is without a bound. The asking thread is itself bounded by its
 * deadline and answers its waiters whatever way it leaves (an exception a
 * resolver threw undeclared included); a waiter waits for that answer until
 * the asker's deadline plus {@link #GRACE_NANOS}, time for the asker to hand
 * its outcome over, so that every thread of a storm gets the same outcome.
 *
 * <p>Interrupts do not cut a wait short: stock JInterface's blocking socket
 * calls ignore them, so a lookup does too, and the flag is set again when the
 * wait ends. An asker's {@linkplain CacheEntry#provisional provisional}
 * outcome (a resolver failed while the asker was interrupted) is not handed
 * over: its waiters ask again themselves.
 */
final class Inflight {

    /** What the asking thread does: the whole resolution, within the deadline. */
    interface Asker {
        CacheEntry ask(NodeName node, long deadline) throws IOException;
    }

    static final long GRACE_NANOS = 1_000_000_000L;

    private final Map<NodeName, Question> questions = new ConcurrentHashMap<>();
    private final Clock clock;

    Inflight(Clock clock) {
        this.clock = clock;
    }

    /**
     * @return the outcome of the one question for {@code node}, asked by
     *         {@code asker} on this thread or on the thread that came first
     * @throws IOException if the question failed or the deadline passed first
     */
    CacheEntry resolve(NodeName node, long deadline, Asker asker) throws IOException {
        while (true) {
            Question mine = new Question(deadline);
            Question theirs = questions.putIfAbsent(node, mine);
            if (theirs == null) {
                return ask(node, deadline, asker, mine);
            }
            CacheEntry shared = theirs.await(node, clock);
            if (shared != null) {
                return shared;
            }
            // The asker's outcome was its own (provisional): ask again, perhaps as the asker.
        }
    }

    private CacheEntry ask(NodeName node, long deadline, Asker asker, Question mine) throws IOException {
        Throwable failure = null;
        CacheEntry entry = null;
        try {
            entry = asker.ask(node, deadline);
            return entry;
        } catch (IOException | RuntimeException | Error e) {
            failure = e;
            throw e;
        } catch (Throwable undeclared) { // a checked exception thrown sneakily: still answer the waiters
            failure = undeclared;
            throw new IOException("srv-epmd: cannot resolve node " + node + ": " + undeclared, undeclared);
        } finally {
            questions.remove(node, mine);
            mine.answer(entry, failure);
        }
    }

    /**
     * One question. A plain monitor rather than a CompletableFuture, which
     * would load a dozen classes on the host's first connection.
     */
    private static final class Question {
        private final long askersDeadline;
        private boolean done;
        private CacheEntry entry;
        private Throwable failure;

        Question(long askersDeadline) {
            this.askersDeadline = askersDeadline;
        }

        synchronized void answer(CacheEntry answer, Throwable error) {
            entry = answer;
            failure = error;
            done = true;
            notifyAll();
        }

        /** @return the asker's entry, or {@code null} if it was provisional (ask again) */
        synchronized CacheEntry await(NodeName node, Clock clock) throws IOException {
            boolean interrupted = false;
            try {
                while (!done) {
                    long left = askersDeadline + GRACE_NANOS - clock.nanoTime();
                    if (left <= 0) {
                        throw new IOException("srv-epmd: cannot resolve node " + node + ": no answer in time to"
                                + " the question another thread asked (dns.timeout)");
                    }
                    try {
                        wait(Math.max(1, left / 1_000_000), 0);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failure != null) {
                throw new IOException(failure.getMessage(), failure);
            }
            return entry.provisional ? null : entry;
        }
    }
}

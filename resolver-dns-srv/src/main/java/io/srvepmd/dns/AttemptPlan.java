package io.srvepmd.dns;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Which server one question's next attempt goes to, and how long that attempt
 * may take: every server in the configured order, then all of them again, at
 * most {@link #ROUNDS} times; each attempt gets an equal share of the time left
 * in the deadline, so a silent first server leaves time for the second.
 *
 * <p>Kept apart from the exchange itself (as Netty keeps its server address
 * stream apart from its query code) so the retry policy can be read, and
 * changed, in one place. One instance per question; not thread-safe.
 */
final class AttemptPlan {

    /** How often each server is asked at most within one question. */
    static final int ROUNDS = 2;

    private final List<InetSocketAddress> servers;
    private final Deadline deadline;
    private final int total;
    private int started;
    private InetSocketAddress server;
    private long end;

    AttemptPlan(List<InetSocketAddress> servers, Deadline deadline) {
        this.servers = servers;
        this.deadline = deadline;
        this.total = servers.size() * ROUNDS;
    }

    /**
     * Moves to the next attempt.
     *
     * @return false when every attempt was made or no time is left
     */
    boolean next() {
        long left = deadline.remainingNanos();
        if (started >= total || left <= 0) {
            return false;
        }
        server = servers.get(started % servers.size());
        end = System.nanoTime() + left / (total - started);
        started++;
        return true;
    }

    /** @return the server of the current attempt */
    InetSocketAddress server() {
        return server;
    }

    /** @return the {@link System#nanoTime()} at which the current attempt gives up */
    long end() {
        return end;
    }
}

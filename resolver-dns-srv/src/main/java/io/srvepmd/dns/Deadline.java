package io.srvepmd.dns;

import java.time.Duration;

/** The end of one resolution's time budget, shared by every query it sends. */
final class Deadline {

    private final long end;
    private final long start;

    private Deadline(long start, long end) {
        this.start = start;
        this.end = end;
    }

    /** @return a deadline {@code budget} from now */
    static Deadline after(Duration budget) {
        long now = System.nanoTime();
        return new Deadline(now, now + budget.toNanos());
    }

    /** @return nanoseconds left, never negative */
    long remainingNanos() {
        return Math.max(0, end - System.nanoTime());
    }

    boolean expired() {
        return end - System.nanoTime() <= 0;
    }

    /**
     * @param nanos a budget in nanoseconds, positive
     * @return the budget in whole milliseconds, rounded up and at least 1 (0 means "forever" to a socket)
     */
    static int toSocketTimeout(long nanos) {
        long ms = (nanos + 999_999) / 1_000_000;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
    }

    /** @return milliseconds since this deadline was set, for messages */
    long elapsedMillis() {
        return (System.nanoTime() - start) / 1_000_000;
    }
}

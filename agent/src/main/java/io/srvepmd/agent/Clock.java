package io.srvepmd.agent;

/** Monotonic time in nanoseconds: {@link System#nanoTime()}, or a test's hand-moved clock. */
interface Clock {

    Clock SYSTEM = new SystemClock();

    long nanoTime();

    /** A named class, not a lambda: the agent keeps java.lang.invoke out of the host's start-up. */
    final class SystemClock implements Clock {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }
    }
}
